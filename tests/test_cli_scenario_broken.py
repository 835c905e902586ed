"""Every broken scenario gives one clear line, exit code 2 and no traceback (issue 2)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from finsim.cli import app
from finsim.errors import ExitCode

BROKEN = Path(__file__).parent / "data" / "broken"
CJK = re.compile(r"[\u4e00-\u9fff]")
QUOTED = re.compile(r"“[^”]*”")


@dataclass(frozen=True)
class Case:
    """A broken file, where the problem is, and a fragment of the message in each language."""

    file: str
    line: int
    column: int
    zh: str
    en: str


CASES = [
    Case(
        "missing_key.yaml", 1, 1, "title: 缺少必填字段 “title”", "required field 'title' is missing"
    ),
    Case("wrong_type.yaml", 30, 24, "persona.profile.age: 应为整数", "should be a whole number"),
    Case("unknown_intent.yaml", 44, 21, "不存在的意图 “ask_famly”", "unknown intent 'ask_famly'"),
    Case("unknown_fact.yaml", 64, 71, "不存在的隐藏事实 “maturity”", "unknown fact 'maturity'"),
    Case("unknown_product.yaml", 54, 5, "不存在的产品 “savings”", "unknown product 'savings'"),
    Case(
        "duplicate_key.yaml", 12, 5, "键 “kind” 重复出现（第一次出现在第 11 行）", "duplicate key"
    ),
    Case("tab_indent.yaml", 9, 1, "制表符（Tab）", "tab is used for indentation"),
    Case("unclosed_quote.yaml", 3, 8, "引号没有闭合", "unclosed quote"),
    Case("top_level_list.yaml", 1, 1, "顶层必须是映射", "top level must be a mapping"),
    Case("billion_laughs.yaml", 3, 8, "不支持 YAML 锚点与别名", "aliases (& and *) are not"),
    Case("invalid_utf8.yaml", 30, 20, "不是有效的 UTF-8 编码", "not valid UTF-8"),
    Case("empty.yaml", 1, 1, "文件是空的", "the file is empty"),
    Case("comments_only.yaml", 1, 1, "文件是空的", "the file is empty"),
    Case("unknown_field.yaml", 4, 1, "未知字段 “sumary”：是不是想写 “summary”", "did you mean"),
    Case("schema_old.yaml", 1, 1, "旧的 finsim/scenario@0 格式", "older format"),
    Case("schema_new.yaml", 1, 1, "较新的 finsim/scenario@2 格式", "upgrade finsim"),
]


def run(runner: CliRunner, *args: str) -> Result:
    """Run the real CLI and check that it ended cleanly (no uncaught exception)."""
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def only_line(result: Result) -> str:
    """The single line on stderr."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
@pytest.mark.parametrize("command", ["validate", "show"])
def test_broken_file_gives_one_located_line_in_chinese(
    runner: CliRunner, case: Case, command: str
) -> None:
    path = BROKEN / case.file
    result = run(runner, "scenario", command, str(path))
    assert result.exit_code == ExitCode.BAD_INPUT
    line = only_line(result)
    assert line.startswith("finsim: 错误：")
    assert f"{path}:{case.line}:{case.column}: " in line
    assert case.zh in line


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_broken_file_message_in_english(runner: CliRunner, case: Case) -> None:
    path = BROKEN / case.file
    result = run(runner, "--lang", "en", "scenario", "validate", str(path))
    assert result.exit_code == ExitCode.BAD_INPUT
    line = only_line(result)
    assert line.startswith("finsim: error: ")
    assert f"{path}:{case.line}:{case.column}: " in line
    assert case.en in line
    assert not CJK.search(QUOTED.sub("", line)), "only the user's own words may be Chinese"


def test_english_from_environment(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FINSIM_LANG", "en_US.UTF-8")
    result = run(runner, "scenario", "show", str(BROKEN / "tab_indent.yaml"))
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "finsim: error: " in only_line(result)


def test_language_does_not_stick_between_runs(runner: CliRunner) -> None:
    run(runner, "--lang", "en", "scenario", "validate", str(BROKEN / "empty.yaml"))
    result = run(runner, "scenario", "validate", str(BROKEN / "empty.yaml"))
    assert "文件是空的" in only_line(result)


def test_file_of_60_megabytes_is_refused_unread(runner: CliRunner, tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as stream:
        stream.write(b"schema: finsim/scenario@1\n")
        chunk = b"# " + b"x" * 1021 + b"\n"
        for _ in range(60 * 1024):
            stream.write(chunk)
    assert big.stat().st_size > 60 * 1024 * 1024
    for command in ("validate", "show"):
        result = run(runner, "scenario", command, str(big))
        assert result.exit_code == ExitCode.BAD_INPUT
        line = only_line(result)
        assert f"{big}: 文件太大（60.0 MB），上限为 2 MB" in line


@pytest.mark.parametrize("command", ["validate", "show"])
def test_directory_passed_as_a_file(runner: CliRunner, tmp_path: Path, command: str) -> None:
    result = run(runner, "scenario", command, str(tmp_path))
    assert result.exit_code == ExitCode.BAD_INPUT
    assert f"{tmp_path}: 这是一个目录，不是文件" in only_line(result)


@pytest.mark.parametrize("command", ["validate", "show"])
def test_nonexistent_path(runner: CliRunner, tmp_path: Path, command: str) -> None:
    missing = tmp_path / "nope.yaml"
    result = run(runner, "scenario", command, str(missing))
    assert result.exit_code == ExitCode.BAD_INPUT
    assert f"{missing}: 文件不存在" in only_line(result)


def test_unknown_scenario_id_is_not_found(runner: CliRunner) -> None:
    result = run(runner, "scenario", "show", "no-such-scenario")
    assert result.exit_code == ExitCode.NOT_FOUND
    assert "找不到场景 “no-such-scenario”" in only_line(result)


@pytest.mark.parametrize("command", [["list"], ["validate"], ["show", "minimal"]])
def test_scenarios_folder_that_does_not_exist(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    missing = tmp_path / "no-such-folder"
    result = run(runner, "--scenarios", str(missing), "scenario", *command)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert f"场景目录 “{missing}” 不存在" in only_line(result)


def test_scenarios_env_folder_that_does_not_exist(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FINSIM_SCENARIOS", str(tmp_path / "gone"))
    result = run(runner, "scenario", "list")
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "FINSIM_SCENARIOS" in only_line(result)


def test_several_files_report_each_problem(runner: CliRunner) -> None:
    files = [BROKEN / "tab_indent.yaml", BROKEN / "unknown_product.yaml"]
    result = run(runner, "scenario", "validate", *map(str, files))
    assert result.exit_code == ExitCode.BAD_INPUT
    errors = result.stderr.splitlines()
    assert [Path(e.split("：", 1)[1].split(":")[0]) for e in errors] == files
    assert "2 个有错误" in result.stdout


def test_scenario_text_is_not_rich_markup(runner: CliRunner, tmp_path: Path) -> None:
    source = (BROKEN.parent / "minimal.yaml").read_text(encoding="utf-8")
    text = source.replace("summary: 测试用的最小场景。", 'summary: "备注[/bold]与[注]"')
    (tmp_path / "markup.yaml").write_text(text, encoding="utf-8")
    result = run(runner, "--scenarios", str(tmp_path), "scenario", "show", "minimal")
    assert result.exit_code == 0, result.output
    assert "备注[/bold]与[注]" in result.stdout
    listed = run(runner, "--scenarios", str(tmp_path), "scenario", "list")
    assert listed.exit_code == 0, listed.output
