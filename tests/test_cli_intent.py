"""``finsim intent``: classify (table, JSON, stdin streaming), check and eval, with exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from finsim.cli.app import app

MINIMAL = str(Path(__file__).parent / "data" / "minimal.yaml")
EVAL = str(Path(__file__).parent / "nlu_eval" / "zh.yaml")


def test_classify_text_prints_a_table(runner: CliRunner) -> None:
    result = runner.invoke(app, ["intent", "classify", "您好，我是小王，想了解一下您的理财需求"])
    assert result.exit_code == 0, result.output
    assert "greet" in result.stdout and "explain_purpose" in result.stdout
    assert "问候与自我介绍" in result.stdout


def test_classify_explain_shows_evidence_products_and_jargon(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["intent", "classify", "--scenario", MINIMAL, "--explain", "股票型基金净值会波动"]
    )
    assert result.exit_code == 0, result.output
    assert "equity-fund" in result.stdout and "净值" in result.stdout
    assert "disclose_risk" in result.stdout


def test_classify_json_shape(runner: CliRunner) -> None:
    result = runner.invoke(app, ["intent", "classify", "--json", "这款产品不保本，净值会波动"])
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert record["text"] == "这款产品不保本，净值会波动"
    assert record["intents"][0] == {"id": "disclose_risk", "score": record["intents"][0]["score"]}
    scores = [i["score"] for i in record["intents"]]
    assert scores == sorted(scores, reverse=True)


def test_classify_stdin_thousand_lines_in_order(runner: CliRunner) -> None:
    lines = [
        f"第{n}句：您好，我是小王" if n % 3 else f"名额就剩{n}个了今天必须定" for n in range(1000)
    ]
    lines[500] = ""
    result = runner.invoke(app, ["intent", "classify", "--json"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in records] == lines
    assert records[500]["intents"] == []
    assert records[0]["intents"][0]["id"] == "pressure_tactics"
    assert records[1]["intents"][0]["id"] == "greet"


def test_classify_stdin_plain_lines(runner: CliRunner) -> None:
    result = runner.invoke(app, ["intent", "classify"], input="您觉得那边的服务怎么样\n")
    assert result.exit_code == 0
    assert result.stdout.startswith("您觉得那边的服务怎么样\task_competitor_opinion(")


def test_unknown_scenario_is_exit_3_with_one_line(runner: CliRunner) -> None:
    result = runner.invoke(app, ["intent", "classify", "--scenario", "no-such-scenario", "您好"])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "no-such-scenario" in result.stderr


def test_check_base_library_has_no_errors(runner: CliRunner) -> None:
    result = runner.invoke(app, ["intent", "check"])
    assert result.exit_code == 0, result.stderr
    assert "0 个错误" in result.stdout
    strict = runner.invoke(app, ["intent", "check", "--strict"])
    assert strict.exit_code == (1 if "警告" in result.stderr else 0)


def test_check_reports_colliding_examples(runner: CliRunner, tmp_path: Path) -> None:
    scenario = Path(MINIMAL).read_text(encoding="utf-8") + (
        "intents:\n"
        "  - id: demo_hello\n"
        "    name: 重复的问候\n"
        "    examples: [您好，我是XX银行的客户经理]\n"
    )
    path = tmp_path / "dup.yaml"
    path.write_text(scenario, encoding="utf-8")
    result = runner.invoke(app, ["intent", "check", str(path)])
    assert result.exit_code == 1
    assert "demo_hello" in result.stderr and "greet" in result.stderr


def test_eval_prints_figures(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--lang", "en", "intent", "eval", EVAL])
    assert result.exit_code == 0, result.stdout
    assert "top-1" in result.stdout and "recall" in result.stdout
    assert "0 false alarms" in result.stdout
    assert "per intent" in result.stdout and "per register" in result.stdout


def test_eval_bad_file_is_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("schema: finsim/nlu-eval@1\ncases: [1, 2]\n", encoding="utf-8")
    result = runner.invoke(app, ["intent", "eval", str(path)])
    assert result.exit_code == 2
    assert "bad.yaml" in result.stderr
