"""Where finsim finds its shipped data and the user's own.

The shipped scenarios and rubrics live at the top of the repository
(``scenarios/``, ``scoring/``); a wheel carries them as ``finsim/_data/…`` so
that a plain ``pip install .`` finds them from any directory.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

_PACKAGE_DIR = Path(__file__).resolve().parent

SCENARIOS_ENV = "FINSIM_SCENARIOS"
"""Extra scenario folders, separated like ``PATH`` entries."""

DATA_DIR_ENV = "FINSIM_DATA_DIR"
"""Overrides the data directory (transcripts, the class database)."""


def shipped_dir(kind: str) -> Path:
    """Return the folder of shipped ``scenarios`` or ``scoring`` data (installed or source)."""
    installed = _PACKAGE_DIR / "_data" / kind
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / kind


def env_scenario_dirs() -> list[Path]:
    """Folders named by ``FINSIM_SCENARIOS``."""
    value = os.environ.get(SCENARIOS_ENV, "")
    return [Path(part).expanduser() for part in value.split(os.pathsep) if part.strip()]


def data_dir() -> Path:
    """Return the user's data directory (created on first use by the code that writes there)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return user_data_path("finsim", appauthor=False)
