"""``finsim score`` and ``finsim rubric``: exit codes, JSON, messages; the done-when figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from finsim.cli.app import app
from finsim.drill.script import run_script
from finsim.scenario import ScenarioCatalog
from finsim.scoring.auto import auto_score, score_session_summary
from finsim.scoring.loader import default_rubric_path
from finsim.transcript.reader import read_transcript

SCRIPTS = Path(__file__).parent / "scripts"


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The careful and careless retired-teacher scripts, played once into transcripts."""
    folder = tmp_path_factory.mktemp("transcripts")
    scenario = ScenarioCatalog().resolve("retired-teacher").scenario
    paths = {}
    for name in ("careful", "careless"):
        script = SCRIPTS / f"retired-teacher-{name}.txt"
        out = folder / f"{name}.jsonl"
        run_script(
            scenario, script.read_text(encoding="utf-8"), seed=1, out_path=out, source=str(script)
        )
        paths[name] = out
    return paths


def _json_lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_careful_scores_at_least_80_percent_careless_at_most_35(played: dict[str, Path]) -> None:
    careful = score_session_summary(played["careful"])
    careless = score_session_summary(played["careless"])
    assert careful.total >= 0.8 * careful.max, careful.lines()
    assert careless.total <= 0.35 * careless.max, careless.lines()
    assert careful.max == careless.max == 100


def test_every_red_line_of_the_careless_script_is_listed_with_its_turn(
    played: dict[str, Path],
) -> None:
    transcript = read_transcript(played["careless"])
    report = auto_score(transcript)
    recorded = [
        (v.id, e.turn)
        for e in transcript.turns()
        if e.annotations is not None
        for v in e.annotations.violations
    ]
    listed = [(v.id, v.turn) for v in report.violations]
    assert set(recorded) <= set(listed) and len(set(listed)) == len(listed)
    # the script's own: R4 fund pushed (turn 2), 保本保收益 (3), 催促 with a close on the fund
    # before any risk was disclosed (4), 贬低同业 (5); the engine's refusal of the fund at the
    # close of turn 6 is the push of turn 2, counted once
    assert listed == [
        ("unsuitable_recommendation", 2),
        ("promise_guaranteed_return", 3),
        ("missing_disclosure", 4),
        ("pressure_tactics", 4),
        ("disparage_competitor", 5),
    ]
    compliance = next(c for c in report.overall if c.id == "compliance")
    for vid, turn in listed:
        assert f"第{turn}轮" in compliance.line, (vid, compliance.line)


def test_score_json_has_the_documented_fields(runner: CliRunner, played: dict[str, Path]) -> None:
    result = runner.invoke(app, ["score", str(played["careless"]), "--json"])
    assert result.exit_code == 0, result.output
    [data] = _json_lines(result.stdout)
    assert {"total", "max", "steps", "violations", "metrics", "suggestions"} <= set(data)
    step = data["steps"][0]
    assert {"id", "points", "max", "criteria"} <= set(step)
    assert step["criteria"][0]["checks"][0]["explanation"]
    assert all({"id", "turn"} <= set(v) for v in data["violations"])
    assert 2 <= len(data["suggestions"]) <= 3


def test_several_transcripts_give_json_lines_in_order(
    runner: CliRunner, played: dict[str, Path]
) -> None:
    args = ["score", str(played["careful"]), str(played["careless"]), "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    first, second = _json_lines(result.stdout)
    assert first["total"] > second["total"]
    again = _json_lines(runner.invoke(app, args).stdout)
    assert again == [first, second]


def test_rich_output_explains_points_with_turns(runner: CliRunner, played: dict[str, Path]) -> None:
    result = runner.invoke(app, ["score", str(played["careless"])])
    assert result.exit_code == 0
    assert "第1步 市场调研与营销环境分析" in result.stdout
    assert "第3轮" in result.stdout and "承诺保本保收益" in result.stdout
    assert "改进建议" in result.stdout
    english = runner.invoke(app, ["--lang", "en", "score", str(played["careless"])])
    assert "Suggestions" in english.stdout
    assert "(turn " in english.stdout and "（turn" not in english.stdout
    assert "fail" in english.stdout and "不及格" not in english.stdout


def test_missing_transcript_is_exit_2_after_scoring_the_others(
    runner: CliRunner, played: dict[str, Path], tmp_path: Path
) -> None:
    missing = tmp_path / "nope.jsonl"
    result = runner.invoke(app, ["score", str(missing), str(played["careful"]), "--json"])
    assert result.exit_code == 2
    assert str(missing) in result.stderr
    assert len(_json_lines(result.stdout)) == 1
    assert "Traceback" not in result.output


def test_bad_rubric_is_exit_2_with_location(
    runner: CliRunner, played: dict[str, Path], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    text = default_rubric_path().read_text(encoding="utf-8")
    bad.write_text(
        text.replace("        points: 2\n", "        points: [2]\n", 1), encoding="utf-8"
    )
    result = runner.invoke(app, ["score", str(played["careful"]), "--rubric", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:" in result.stderr and "应为数字" in result.stderr
    unknown = runner.invoke(app, ["score", str(played["careful"]), "--rubric", "nosuch"])
    assert unknown.exit_code == 2 and "nosuch" in unknown.stderr
    named = runner.invoke(app, ["score", str(played["careful"]), "--rubric", "default", "--json"])
    assert named.exit_code == 0


def test_rubric_validate(runner: CliRunner, tmp_path: Path) -> None:
    ok = runner.invoke(app, ["rubric", "validate"])
    assert ok.exit_code == 0 and "default.yaml" in ok.stdout
    bad = tmp_path / "bad.yaml"
    text = default_rubric_path().read_text(encoding="utf-8")
    bad.write_text(text.replace("id: default\n", "", 1), encoding="utf-8")
    result = runner.invoke(app, ["rubric", "validate", str(default_rubric_path()), str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:1:1: id: 缺少必填字段" in result.stderr.replace("\n", "")
    assert "1 个有错误" in result.stdout


def test_rubric_form(runner: CliRunner) -> None:
    result = runner.invoke(app, ["rubric", "form", "peer"])
    assert result.exit_code == 0
    assert "学生互评表" in result.stdout and "满分 100" in result.stdout
    assert runner.invoke(app, ["rubric", "form", "boss"]).exit_code == 2


# ── a reason for every point lost, no internal id (issue 11) ───────────


def _ids(report: Any) -> set[str]:
    """Every violation id a report could show (those of the rubric and the score)."""
    from finsim.scoring.loader import read_rubric

    return {r.id for r in read_rubric().red_lines} | {v["id"] for v in report["violations"]}


@pytest.mark.parametrize("name", ["careful", "careless"])
def test_every_criterion_below_full_marks_says_what_was_missing(
    runner: CliRunner, played: dict[str, Path], name: str
) -> None:
    data = _json_lines(runner.invoke(app, ["score", str(played[name]), "--json"]).stdout)[0]
    criteria = [c for s in data["steps"] for c in s["criteria"]] + data["overall"]
    short = [c for c in criteria if c["max"] > 0 and c["points"] < c["max"]]
    assert short  # neither script is perfect
    for c in short:
        assert c["missing"].strip(), c
    for c in criteria:
        if c["points"] >= c["max"]:
            assert c["missing"] == ""


def test_chinese_output_shows_no_internal_id(runner: CliRunner, played: dict[str, Path]) -> None:
    result = runner.invoke(app, ["score", str(played["careless"])])
    assert result.exit_code == 0
    data = _json_lines(runner.invoke(app, ["score", str(played["careless"]), "--json"]).stdout)[0]
    for violation_id in _ids(data):
        assert violation_id not in result.stdout, violation_id
    for step in data["steps"]:
        assert f"（{step['id']}）" not in result.stdout
    assert "key_point:" not in result.stdout and "未发现违规" not in result.stdout
    for v in data["violations"]:
        assert f"第{v['turn']}轮" in v["line"] and v["line"] in result.stdout.replace("\n", "")


def test_end_card_gives_a_reason_per_lost_criterion_and_points_to_finsim_score(
    played: dict[str, Path],
) -> None:
    from io import StringIO

    from rich.console import Console

    from finsim.cli.score_cmds import render_score

    buffer = StringIO()
    console = Console(file=buffer, width=2000, color_system=None)
    report = score_session_summary(played["careless"])
    render_score(console, report, brief=True, detail_path=str(played["careless"]))
    text = buffer.getvalue()
    assert f"finsim score {played['careless']}" in text
    assert "失分原因" in text
    for step in report.steps:
        for c in step.criteria:
            if c.max > 0 and c.points < c.max:
                assert f"第{step.number}步 {c.name} " in text and c.missing[:20] in text
    for v in report.violations:
        assert v.id not in text
