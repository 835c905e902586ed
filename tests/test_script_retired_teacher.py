"""The careful and the careless manager on the default scenario: clearly different counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from finsim.drill import DrillSummary, run_script
from finsim.drill.session import DrillSession
from finsim.scenario.loader import ScenarioCatalog
from finsim.transcript import Outcome, read_transcript

SCRIPTS = Path(__file__).parent / "scripts"


def play(name: str, tmp_path: Path, seed: int) -> tuple[Outcome, DrillSummary]:
    scenario = ScenarioCatalog().resolve("retired-teacher").scenario
    out = tmp_path / f"{name}-{seed}.jsonl"
    text = (SCRIPTS / f"retired-teacher-{name}.txt").read_text(encoding="utf-8")
    outcome = run_script(scenario, text, seed=seed, out_path=out, source=f"{name}.txt")
    transcript = read_transcript(out)
    assert transcript.end is not None and transcript.end.outcome == outcome
    # the summary a resumed reading of the transcript gives must match the live one
    return outcome, summary_from(transcript.path)


def summary_from(path: Path) -> DrillSummary:
    """Rebuild the drill from its transcript alone (no scenario file) and summarise it."""
    lines = path.read_bytes().splitlines(keepends=True)
    replay = path.with_name("replay-" + path.name)
    replay.write_bytes(b"".join(line for line in lines if b'"type":"end"' not in line))
    session = DrillSession.resume(replay)
    assert session.warnings == []
    summary = session.summary()
    session.close()
    return summary


@pytest.mark.parametrize("seed", [1, 2])
def test_careful_and_careless_differ_clearly(tmp_path: Path, seed: int) -> None:
    careful, good = play("careful", tmp_path, seed)
    careless, bad = play("careless", tmp_path, seed)

    assert careful.decision == "bought" and careful.product == "deposit-3y"
    assert careless.decision == "declined"
    assert len(good.facts_found) >= 15 and len(bad.facts_found) <= 1
    assert good.violations == []
    assert {v.id for v in bad.violations} >= {
        "promise_guaranteed_return",
        "pressure_tactics",
        "disparage_competitor",
        "unsuitable_recommendation",
    }
    assert set(good.objections_resolved) == set(good.objections_raised)
    assert len(good.objections_raised) == 5 and bad.objections_resolved == []
    covered_good = sum(len(s.covered) for s in good.steps)
    covered_bad = sum(len(s.covered) for s in bad.steps)
    assert covered_good >= 18 and covered_bad <= 2
    assert good.trust >= 80 and bad.trust <= 20
    assert any("信任度" in r for r in careless.reasons)
