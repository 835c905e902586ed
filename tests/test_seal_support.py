"""Helpers for the seal, verify, import, rescore and batch tests (no tests of its own)."""

from __future__ import annotations

from pathlib import Path

from finsim.drill import run_script
from finsim.scenario import ScenarioCatalog
from finsim.scenario.models import Scenario

SCRIPTS = Path(__file__).parent / "scripts"


def scenario(scenario_id: str = "retired-teacher") -> Scenario:
    """A shipped scenario."""
    return ScenarioCatalog([]).resolve(scenario_id).scenario


def script_scenario(script: Path) -> Scenario:
    """The scenario a test script is written for: the longest scenario id its name starts with."""
    catalog = ScenarioCatalog([])
    found = sorted(catalog.load_all(), key=lambda loaded: len(loaded.scenario.id), reverse=True)
    for loaded in found:
        scenario_id = loaded.scenario.id
        if script.stem.startswith(scenario_id + "-") or script.stem == scenario_id:
            return loaded.scenario
    raise AssertionError(f"no scenario for the script {script.name}")


def play(out: Path, name: str = "careless", *, seed: int = 1, group: str | None = None) -> Path:
    """Play ``tests/scripts/retired-teacher-<name>.txt`` into ``out`` (sealed as configured)."""
    text = (SCRIPTS / f"retired-teacher-{name}.txt").read_text(encoding="utf-8")
    run_script(scenario(), text, seed=seed, out_path=out, group=group, source=f"{name}.txt")
    return out


def lines_of(path: Path) -> list[bytes]:
    """The file's lines, each with its newline."""
    return path.read_bytes().splitlines(keepends=True)
