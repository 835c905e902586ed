"""`finsim replay --rescore`: the saved lines through today's engine and rubric, side by side."""

from __future__ import annotations

from pathlib import Path

from test_rescore import variant_rubric
from test_seal_support import SCRIPTS, script_scenario
from typer.testing import CliRunner

from finsim.cli.app import app
from finsim.drill import run_script

CAREFUL = SCRIPTS / "retired-teacher-careful.txt"


def _transcript(tmp_path: Path) -> Path:
    out = tmp_path / "t.jsonl"
    text = CAREFUL.read_text(encoding="utf-8")
    run_script(script_scenario(CAREFUL), text, seed=1, out_path=out, source=CAREFUL.name)
    return out


def test_rescore_of_an_unchanged_drill_shows_the_same_score(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["replay", "--rescore", str(_transcript(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "重新评分" in result.output
    totals = [line for line in result.output.splitlines() if "总分" in line]
    assert totals, result.output
    cells = [cell.strip() for cell in totals[0].split("│") if cell.strip()]
    assert cells[1] == cells[2]  # old == new


def test_rescore_under_another_rubric_shows_the_changed_points(tmp_path: Path) -> None:
    transcript = _transcript(tmp_path)
    rubric = variant_rubric(tmp_path)
    result = CliRunner().invoke(
        app, ["replay", "--rescore", "--rubric", str(rubric), str(transcript)]
    )
    assert result.exit_code == 0, result.output
    assert "得分变化" in result.output
    assert "说明来意" in result.output or "市场调研" in result.output
