"""Shared fixtures: a clean environment for every test and a CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finsim.i18n import set_language


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No user settings leak in: Chinese by default, no extra scenarios, data in tmp."""
    monkeypatch.delenv("FINSIM_LANG", raising=False)
    monkeypatch.delenv("FINSIM_SCENARIOS", raising=False)
    monkeypatch.setenv("FINSIM_DATA_DIR", str(tmp_path / "finsim-data"))
    set_language(None)
    yield
    set_language(None)


@pytest.fixture
def runner() -> CliRunner:
    """A Typer CLI runner (stdout and stderr kept apart)."""
    return CliRunner()
