"""Every shipped scenario at every level: careful scripts buy; a hard client walks out on pushing.

The scripts are those of tests/scripts/ (the ones the engine was tuned on). A
careless script played at ``--level hard`` ends with the client leaving
before the script's close, and saying why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from finsim.batch.rescore import compare_turns, replay_events
from finsim.client.lines import SITUATION_LINES
from finsim.drill import run_script
from finsim.nlu.recogniser import recogniser_for
from finsim.scenario import ScenarioCatalog
from finsim.scenario.loader import load_base_library
from finsim.scenario.models import Scenario
from finsim.transcript import read_transcript
from finsim.transcript.reader import Transcript

SCRIPTS = Path(__file__).parent / "scripts"
SHIPPED = {loaded.scenario.id: loaded.scenario for loaded in ScenarioCatalog([]).load_all()}
LEVELS = ["easy", "normal", "hard"]
CARELESS = sorted(p.stem.removesuffix("-careless") for p in SCRIPTS.glob("*-careless.txt"))


def play(scenario_id: str, kind: str, level: str, out: Path) -> Transcript:
    script = SCRIPTS / f"{scenario_id}-{kind}.txt"
    text = script.read_text(encoding="utf-8")
    run_script(SHIPPED[scenario_id], text, seed=1, out_path=out, source=script.name, level=level)  # type: ignore[arg-type]
    return read_transcript(out)


def test_every_shipped_scenario_has_a_careful_and_a_careless_script() -> None:
    assert {s for s in SHIPPED if (SCRIPTS / f"{s}-careful.txt").is_file()} == set(SHIPPED)
    assert set(CARELESS) == set(SHIPPED)


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("scenario_id", sorted(SHIPPED))
def test_careful_script_buys_at_every_level(tmp_path: Path, scenario_id: str, level: str) -> None:
    transcript = play(scenario_id, "careful", level, tmp_path / "t.jsonl")
    assert transcript.header.level == level
    assert transcript.end is not None and transcript.end.reason == "finished"
    outcome = transcript.end.outcome
    assert outcome.decision == "bought", outcome.reasons
    assert outcome.product == SHIPPED[scenario_id].persona.decision.product


def first_close(scenario: Scenario, script: Path) -> int:
    """The number of the script's first manager line that asks for the decision."""
    commit = set(load_base_library().roles.commit)
    recogniser = recogniser_for(scenario)
    lines = [
        line
        for line in script.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith(("#", "/", "C:"))
    ]
    for number, line in enumerate(lines, start=1):
        if commit & recogniser.analyse(line.removeprefix("M:").strip()).ids():
            return number
    return len(lines) + 1


@pytest.mark.parametrize("scenario_id", CARELESS)
def test_a_hard_client_walks_out_on_a_pushy_script_before_the_close(
    tmp_path: Path, scenario_id: str
) -> None:
    transcript = play(scenario_id, "careless", "hard", tmp_path / "t.jsonl")
    end = transcript.end
    assert end is not None and end.reason == "walked_out"
    assert end.outcome.decision == "declined"
    assert "离开" in end.outcome.reasons[0] or "left" in end.outcome.reasons[0]
    managers = [t for t in transcript.turns() if t.speaker == "manager"]
    close = first_close(SHIPPED[scenario_id], SCRIPTS / f"{scenario_id}-careless.txt")
    assert len(managers) < close
    last = transcript.turns()[-1]
    scenario = SHIPPED[scenario_id]
    leaving = scenario.lines.walk_out or SITUATION_LINES[scenario.language]["walk_out"]
    tails = [line.text.split("}")[-1] for line in leaving]
    assert last.speaker == "client" and any(tail in last.text for tail in tails), last.text


@pytest.mark.parametrize("scenario_id", CARELESS)
def test_at_normal_the_careless_client_stays_and_declines(tmp_path: Path, scenario_id: str) -> None:
    transcript = play(scenario_id, "careless", "normal", tmp_path / "t.jsonl")
    assert transcript.end is not None and transcript.end.reason == "finished"
    assert transcript.end.outcome.decision == "declined"


def test_a_replayed_hard_drill_walks_out_the_same_way(tmp_path: Path) -> None:
    transcript = play("retired-teacher", "careless", "hard", tmp_path / "t.jsonl")
    header, *events = replay_events(transcript)
    assert header.level == "hard"
    assert compare_turns(transcript.events, events) == []
    ends = [e for e in events if e.type == "end"]
    assert [e.reason for e in ends] == ["walked_out"]
