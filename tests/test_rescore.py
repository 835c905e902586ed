"""Rescoring: an unchanged transcript reproduces its score exactly; changes shown side by side."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_seal_support import SCRIPTS, lines_of, play, scenario, script_scenario
from typer.testing import CliRunner

from finsim.batch import rescore
from finsim.cli.app import app
from finsim.drill import run_script
from finsim.drill.session import DrillSession
from finsim.resources import shipped_dir
from finsim.scoring import load_rubric
from finsim.transcript import read_transcript

ALL_SCRIPTS = sorted(SCRIPTS.glob("*.txt"))


def variant_rubric(tmp_path: Path) -> Path:
    """The default rubric with 说明来意 worth 4 points instead of 2."""
    text = (shipped_dir("scoring") / "default.yaml").read_text(encoding="utf-8")
    marker = "      - id: purpose\n        name: 说明来意\n        name_en: States the purpose\n"
    assert text.count(marker + "        points: 2\n") == 1
    path = tmp_path / "variant.yaml"
    path.write_text(text.replace(marker + "        points: 2\n", marker + "        points: 4\n"))
    return path


def test_there_are_scripts_to_rescore() -> None:
    assert len(ALL_SCRIPTS) >= 2


@pytest.mark.parametrize("script", ALL_SCRIPTS, ids=lambda p: p.stem)
@pytest.mark.parametrize("seed", [1, 7])
def test_unchanged_transcript_reproduces_its_score_exactly(
    tmp_path: Path, script: Path, seed: int
) -> None:
    out = tmp_path / "t.jsonl"
    text = script.read_text(encoding="utf-8")
    run_script(script_scenario(script), text, seed=seed, out_path=out, source=script.name)
    result = rescore(out)
    assert result.old == result.new  # every step, criterion, check, line and suggestion
    assert result.turns == [] and result.points == [] and not result.changed
    assert result.delta == 0 and result.old.total == result.new.total


def test_pair_mode_transcript_reproduces(tmp_path: Path) -> None:
    text = "\n".join(
        [
            "M: 陈老师您好，我是城南支行的客户经理小李，今天想了解一下您的理财需求。",
            "C: 好的，你说吧。",
            "M: 您现在手上都有哪些存款或者理财？",
            "C: 主要是定期存款。",
            "/next",
            "M: 您今年多大年纪了？退休前做什么工作？",
            "C: 六十六了，以前是中学老师。",
        ]
    )
    out = tmp_path / "pair.jsonl"
    run_script(scenario(), text, seed=5, out_path=out)
    assert read_transcript(out).header.mode == "pair"
    result = rescore(out)
    assert result.old == result.new and not result.changed


def test_resumed_transcript_reproduces(tmp_path: Path) -> None:
    path = tmp_path / "resumed.jsonl"
    session = DrillSession(scenario(), seed=3, transcript_path=path)
    session.opening()
    session.manager_says("陈老师您好，我是城南支行的客户经理小李。")
    session.end("interrupted")
    resumed = DrillSession.resume(path)
    resumed.manager_says("今天请您来，是想帮您把到期的定期安排好。")
    resumed.next_step()
    resumed.manager_says("您今年多大年纪了？")
    resumed.end("finished")
    result = rescore(path)
    assert result.old == result.new and not result.changed


def test_a_new_rubric_shows_the_points_that_changed(tmp_path: Path) -> None:
    path = play(tmp_path / "t.jsonl", "careful")
    result = rescore(path, load_rubric(variant_rubric(tmp_path)), old_rubric=load_rubric())
    assert result.changed and result.turns == []
    keys = {c.key: c for c in result.points}
    assert keys["research/purpose"].old_max == 2 and keys["research/purpose"].new_max == 4
    assert keys["research/purpose"].new_points == 4  # the careful manager states the purpose
    assert result.delta == round(result.new.total - result.old.total, 2) != 0


def test_a_changed_scenario_shows_the_turns_read_differently(tmp_path: Path) -> None:
    path = play(tmp_path / "t.jsonl", "careful")
    played = scenario()
    persona = played.persona.model_copy(
        update={"starting_trust": played.persona.starting_trust - 30}
    )
    edited = played.model_copy(update={"persona": persona})
    result = rescore(path, scenario=edited)
    assert result.scenario_changed and result.turns
    first = result.turns[0]
    assert "trust" in first.changed and first.old_notes["trust"] != first.new_notes["trust"]


def test_edited_annotations_are_shown_old_and_new(tmp_path: Path) -> None:
    path = play(tmp_path / "t.jsonl", "careful")
    lines = lines_of(path)
    at = next(i for i, line in enumerate(lines) if b'"speaker":"manager"' in line)
    record = json.loads(lines[at])
    record["annotations"]["intents"] = []
    lines[at] = (json.dumps(record, ensure_ascii=False) + "\n").encode()
    path.write_bytes(b"".join(lines))
    result = rescore(path)
    change = result.turns[0]
    assert change.turn == record["turn"] and change.changed == ["intents"]
    assert change.old_intents == [] and change.new_intents
    assert change.old_reply == change.new_reply  # the reply is the engine's, unchanged
    assert result.new.total > result.old.total


def test_rescore_command_unchanged(runner: CliRunner, tmp_path: Path) -> None:
    path = play(tmp_path / "t.jsonl")
    result = runner.invoke(app, ["rescore", "--check", str(path)])
    assert result.exit_code == 0, result.output
    assert "没有变化" in result.stdout


def test_rescore_command_with_another_rubric(runner: CliRunner, tmp_path: Path) -> None:
    path = play(tmp_path / "t.jsonl", "careful")
    variant = str(variant_rubric(tmp_path))
    shown = runner.invoke(app, ["--lang", "en", "rescore", "--rubric", variant, str(path)])
    assert shown.exit_code == 0, shown.output
    assert "Points that changed" in shown.stdout and "States the purpose" in shown.stdout
    checked = runner.invoke(app, ["rescore", "--check", "--rubric", variant, str(path)])
    assert checked.exit_code == 1
    data = json.loads(
        runner.invoke(app, ["rescore", "--json", "--rubric", variant, str(path)]).stdout
    )
    assert data["schema"] == "finsim/rescore@1" and data["changed"] is True
    assert any(p["key"] == "research/purpose" for p in data["points"])


def test_rescore_command_bad_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("not json\n", encoding="utf-8")
    result = runner.invoke(app, ["rescore", str(path)])
    assert result.exit_code == 2 and f"{path}:1" in result.stderr
    assert "Traceback" not in result.output


def _with_judge(path: Path, **judge: str) -> None:
    """Rewrite the header's judge fields (as if an older recogniser had written the file)."""
    lines = lines_of(path)
    header = json.loads(lines[0])
    header["judge"].update(judge)
    lines[0] = (json.dumps(header, ensure_ascii=False) + "\n").encode()
    path.write_bytes(b"".join(lines))


def test_the_transcript_records_its_judge(tmp_path: Path) -> None:
    header = read_transcript(play(tmp_path / "t.jsonl")).header
    assert header.schema_ == "finsim/transcript@3" and header.judge is not None
    assert header.judge.recogniser.startswith("finsim-recogniser@")
    assert len(header.judge.library) == 64 and header.judge.model


def test_same_judge_reuses_the_recorded_reading(tmp_path: Path) -> None:
    path = play(tmp_path / "t.jsonl", "careful")
    reused = rescore(path, reuse=True)
    replayed = rescore(path)
    assert reused.reused and not replayed.reused
    assert not reused.judge_changed and reused.new == replayed.new


def test_another_judge_is_replayed_and_named(runner: CliRunner, tmp_path: Path) -> None:
    path = play(tmp_path / "t.jsonl", "careful")
    _with_judge(path, recogniser="finsim-recogniser@1", library="0" * 64)
    result = rescore(path, reuse=True)
    assert not result.reused and result.judge_changed
    shown = runner.invoke(app, ["rescore", str(path)])
    assert shown.exit_code == 0, shown.output
    assert "识别器与记录时不同" in shown.stdout and "finsim-recogniser@1" in shown.stdout
