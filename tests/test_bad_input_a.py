"""Bad input to scenario, drill, demo, score, replay, export and showcase: one clear line.

Each test is a case an adversarial audit found: the input, what the user must
see (the file and line where known, what to do), and the exit code (README,
"Exit codes"); no traceback, and nothing the user wrote is lost or overwritten.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from finsim.cli import app
from finsim.drill import run_script
from finsim.errors import ExitCode, InputFileError
from finsim.scenario import ScenarioCatalog
from finsim.transcript.reader import read_transcript

SCRIPT = (
    "M: 陈老师您好，我是城南支行的客户经理小李。\n"
    "M: 您这笔定期打算怎么安排？\n"
    "/next\n"
    "M: 您今年多大年纪了？\n"
)


def drill_file(path: Path, script: str = SCRIPT + "/end\n") -> Path:
    """Play a short retired-teacher drill into ``path`` (finished with ``/end`` by default)."""
    scenario = ScenarioCatalog([]).resolve("retired-teacher").scenario
    run_script(scenario, script, seed=1, out_path=path)
    return path


def unfinished(path: Path) -> Path:
    """A drill cut off before its end event: a transcript ``--resume`` accepts."""
    drill_file(path)
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:-1]))
    return path


def edit_line(path: Path, index: int, text: str) -> Path:
    """Replace line ``index`` (0-based) of ``path`` with ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[index] = text + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def error_line(result: Result) -> str:
    """The one ``finsim: 错误：`` line on stderr; fails on a traceback or more lines."""
    assert (
        "Traceback" not in result.stderr
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    ), result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("finsim: 错误：")]
    assert len(lines) == 1, result.stderr
    return lines[0]


READERS = [
    ["score"],
    ["replay", "--speed", "100000"],
    ["export", "-f", "md"],
    ["drill", "--resume"],
]


# ── transcripts: damaged, foreign, too large ──────────────────────────


@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
def test_a_line_nested_too_deeply_is_bad_input_not_a_crash(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    path = edit_line(unfinished(tmp_path / "t.jsonl"), 3, '{"a":' * 100_000)
    result = runner.invoke(app, [*command, str(path)])
    assert result.exit_code == ExitCode.BAD_INPUT
    line = error_line(result)
    assert f"{path}:4: " in line and "嵌套层数过深" in line and "finsim verify" in line


def test_a_broken_line_in_the_middle_names_file_line_and_what_to_do(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = drill_file(tmp_path / "t.jsonl")
    text = path.read_text(encoding="utf-8").splitlines()[4]
    edit_line(path, 4, text[:40])
    result = runner.invoke(app, ["replay", str(path)])
    assert result.exit_code == ExitCode.BAD_INPUT
    line = error_line(result)
    assert f"{path}:5: 不是有效的 JSON" in line and "请用原始文件" in line
    assert "(char " not in line  # not json's own position in a one-line string


def test_an_unknown_event_type_is_said_in_plain_words(runner: CliRunner, tmp_path: Path) -> None:
    path = edit_line(drill_file(tmp_path / "t.jsonl"), 3, '{"type":"utterance","seq":3}')
    line = error_line(runner.invoke(app, ["score", str(path)]))
    assert f"{path}:4: 事件格式不对：类型 “utterance” 无效" in line
    assert "Input tag" not in line


def test_a_byte_order_mark_before_line_one_is_no_content(runner: CliRunner, tmp_path: Path) -> None:
    path = drill_file(tmp_path / "t.jsonl")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = runner.invoke(app, ["score", "--json", str(path)])
    assert result.exit_code == ExitCode.OK, result.stderr
    assert json.loads(result.stdout)["total"] > 0


@pytest.mark.skipif(not Path("/dev/zero").is_char_device(), reason="needs /dev/zero")
def test_an_endless_device_is_refused_not_read_forever(runner: CliRunner) -> None:
    result = runner.invoke(app, ["score", "/dev/zero"])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "文件太大" in error_line(result)


def test_a_pipe_is_still_read(tmp_path: Path) -> None:
    path = drill_file(tmp_path / "t.jsonl")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"cat '{path}' > '{fifo}'"])
    try:
        assert read_transcript(fifo).end is not None
    finally:
        writer.wait(timeout=30)


@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
def test_a_folder_or_a_missing_file_says_what_to_do(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    folder = runner.invoke(app, [*command, str(tmp_path)])
    assert folder.exit_code == ExitCode.BAD_INPUT
    assert f"{tmp_path}: 这是一个目录，不是演练记录；请给出 .jsonl 文件的路径" in error_line(folder)
    missing = runner.invoke(app, [*command, str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == ExitCode.BAD_INPUT
    assert f"{tmp_path / 'nope.jsonl'}: 找不到演练记录文件；请检查路径" in error_line(missing)


@pytest.mark.parametrize(
    "command", [["score"], ["export", "-f", "html"], ["showcase", "-o", "s.html"]], ids=str
)
def test_a_broken_embedded_scenario_names_the_file_and_the_field(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    path = drill_file(tmp_path / "t.jsonl")
    header = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    header["scenario"]["steps"] = "broken"
    edit_line(path, 0, json.dumps(header, ensure_ascii=False))
    result = runner.invoke(app, [*command, str(path)])
    assert result.exit_code == ExitCode.BAD_INPUT
    line = error_line(result)
    assert f"{path}:1: " in line and "steps: 应为列表" in line


def test_score_names_each_bad_file_once_and_scores_the_others(
    runner: CliRunner, tmp_path: Path
) -> None:
    good = drill_file(tmp_path / "good.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    result = runner.invoke(app, ["score", "--json", str(bad), str(good)])
    assert result.exit_code == ExitCode.BAD_INPUT
    line = error_line(result)
    assert line.startswith(f"finsim: 错误：{bad}:1: ") and line.count(str(bad)) == 1
    assert len(result.stdout.splitlines()) == 1  # the good file is still scored


def test_every_cut_of_a_transcript_is_read_or_refused_in_one_line(tmp_path: Path) -> None:
    """A crash can cut the file anywhere: around every line end, and inside the last lines."""
    source = drill_file(tmp_path / "source.jsonl").read_bytes()
    ends = [i for i, byte in enumerate(source) if byte == ord("\n")]
    cuts = {end + d for end in ends for d in (-1, 0, 1, 2)} | set(range(ends[-3], len(source)))
    cut = tmp_path / "cut.jsonl"
    for size in sorted(c for c in cuts if 0 <= c <= len(source)):
        cut.write_bytes(source[:size])
        try:
            read_transcript(cut)
        except InputFileError as error:
            assert len(str(error).splitlines()) == 1 and str(error).startswith(str(cut))


# ── drill scripts and drill options ──────────────────────────────────


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("M: 您好\nX: foo\n", ":2: 不认识的说话人 “X:”；请用 M:（客户经理）或 C:（客户）"),
        (
            "M: " + "好" * 2001 + "\n",
            ":1: 一句话最多 2000 个字符（这句有 2001 个）；请把它分成几行",
        ),
    ],
    ids=["unknown-speaker", "too-long"],
)
def test_a_bad_script_line_is_located_and_nothing_is_written(
    runner: CliRunner, tmp_path: Path, text: str, expected: str
) -> None:
    script = tmp_path / "s.txt"
    script.write_text(text, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["drill", "--script", str(script), "--out", str(out)])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert f"{script}{expected}" in error_line(result)
    assert not out.exists()


def test_out_naming_an_existing_file_is_bad_input_and_keeps_it(
    runner: CliRunner, tmp_path: Path
) -> None:
    script = tmp_path / "s.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    out = tmp_path / "mine.jsonl"
    out.write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["drill", "--script", str(script), "--out", str(out)])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "已存在；请换一个文件名" in error_line(result)
    assert out.read_text(encoding="utf-8") == "keep me"


def test_out_under_a_file_says_a_part_of_the_path_is_a_file(
    runner: CliRunner, tmp_path: Path
) -> None:
    script = tmp_path / "s.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    result = runner.invoke(
        app, ["drill", "--script", str(script), "--out", str(script / "out.jsonl")]
    )
    assert result.exit_code == ExitCode.STORAGE
    line = error_line(result)
    assert "里有一段是文件而不是文件夹" in line and "已存在" not in line
    assert script.read_text(encoding="utf-8") == SCRIPT


def test_a_data_dir_that_is_a_file_says_what_to_do(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("FINSIM_DATA_DIR", str(blocker))
    script = tmp_path / "s.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    result = runner.invoke(app, ["drill", "--script", str(script)])
    assert result.exit_code == ExitCode.STORAGE
    assert "请换一个路径（也可用 --out 另选位置）" in error_line(result)


def test_resuming_a_finished_drill_says_to_start_a_new_one(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = drill_file(tmp_path / "t.jsonl")
    before = path.read_bytes()
    result = runner.invoke(app, ["drill", "--resume", str(path)])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert f"{path}: 这次演练已经正常结束" in error_line(result)
    assert "finsim drill retired-teacher" in error_line(result)
    assert path.read_bytes() == before


@pytest.mark.parametrize("minutes", ["0", "-1", "181", "nan"])
def test_time_out_of_range_says_the_allowed_range(runner: CliRunner, minutes: str) -> None:
    result = runner.invoke(app, ["drill", "--no-menu", "--time", minutes])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "限时应大于 0、不超过 180 分钟" in error_line(result)


def test_an_empty_mode_is_refused_not_taken_as_solo(runner: CliRunner) -> None:
    result = runner.invoke(app, ["drill", "--no-menu", "--mode", ""])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "--mode 只能是 solo（单人）或 pair（双人）" in error_line(result)


# ── standard output: closed, or its reader gone ──────────────────────


def test_a_drill_whose_output_reader_goes_away_keeps_the_transcript(tmp_path: Path) -> None:
    script = tmp_path / "s.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    out = tmp_path / "t.jsonl"
    child = subprocess.Popen(
        [sys.executable, "-m", "finsim", "drill", "--script", str(script), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # like `| head -0`: the first write meets a closed pipe
    stderr = child.stderr.read().decode()
    assert child.wait(timeout=120) == ExitCode.BROKEN_PIPE  # rich alone would exit 1
    assert "Traceback" not in stderr
    assert read_transcript(out).interrupted  # kept, and --resume continues it


def test_a_closed_stdout_is_refused_not_silently_lost(tmp_path: Path) -> None:
    path = drill_file(tmp_path / "t.jsonl")
    result = subprocess.run(
        ["sh", "-c", f'exec "{sys.executable}" -m finsim export -f md "{path}" >&-'],
        capture_output=False,
        stderr=subprocess.PIPE,
        timeout=120,
        check=False,
    )
    stderr = result.stderr.decode()
    assert result.returncode == ExitCode.STORAGE
    assert "标准输出已关闭" in stderr and "Traceback" not in stderr


# ── scenario references ──────────────────────────────────────────────


@pytest.mark.parametrize("command", [["scenario", "show"], ["demo", "--speed", "1e9"]], ids=str)
def test_a_folder_given_as_scenario_is_named_as_a_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "packs").mkdir()
    result = runner.invoke(app, [*command, "packs"])  # a bare name: looked up as an id first
    assert result.exit_code == ExitCode.BAD_INPUT  # was 3, "no scenario 'packs'"
    assert "packs: 这是一个目录，不是场景文件" in error_line(result)


def test_an_empty_scenario_id_is_not_taken_as_the_default(runner: CliRunner) -> None:
    result = runner.invoke(app, ["scenario", "show", ""])
    assert result.exit_code == ExitCode.NOT_FOUND
    assert "找不到场景 “”；可用的场景：" in error_line(result)
