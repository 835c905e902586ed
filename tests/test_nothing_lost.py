"""Nothing lost, nothing crashes: the output policy and the last crash and hang cases.

Each test is a case an adversarial run found on the commands that write files,
read files or take integers and text: refused with one line and exit 2 (3 for an
unknown id), never a destroyed file, an exit 70 or a hang.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_bad_input_a import drill_file, error_line, unfinished
from test_class_support import two_group_class
from typer.testing import CliRunner

from finsim.cli import app
from finsim.errors import ExitCode
from finsim.store import open_store
from finsim.transcript.keys import create_key_pair


def _snapshot(*paths: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in paths}


# ── the output policy ─────────────────────────────────────────────────


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "force"])
def test_report_never_replaces_the_class_database(
    runner: CliRunner, tmp_path: Path, force: list[str]
) -> None:
    setup = two_group_class(tmp_path)
    db = Path(setup["db"])
    before = db.read_bytes()
    args = ["report", "--db", str(db), "--format", "csv", "--out", str(db), *force]
    result = runner.invoke(app, args)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "班级数据库" in error_line(result) or "要读取的文件" in error_line(result)
    assert db.read_bytes() == before


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "force"])
def test_report_never_replaces_the_database_under_another_name(
    runner: CliRunner, tmp_path: Path, force: list[str]
) -> None:
    setup = two_group_class(tmp_path)
    twin = tmp_path / "twin.csv"
    os.link(setup["db"], twin)  # the same inode
    other = tmp_path / "other.db"
    other.write_bytes(Path(setup["db"]).read_bytes())  # another class database
    for target in (twin, other):
        before = target.read_bytes()
        args = ["report", "--db", setup["db"], "-f", "csv", "--out", str(target), *force]
        result = runner.invoke(app, args)
        assert result.exit_code == ExitCode.BAD_INPUT, target
        assert target.read_bytes() == before


@pytest.mark.parametrize("half", ["private_path", "public_path"])
def test_report_never_replaces_a_key(runner: CliRunner, tmp_path: Path, half: str) -> None:
    setup = two_group_class(tmp_path)
    key = getattr(create_key_pair(tmp_path / "keys"), half)
    before = key.read_bytes()
    args = ["report", "--db", setup["db"], "-f", "csv", "--out", str(key), "--force"]
    result = runner.invoke(app, args)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "密钥" in error_line(result)
    assert key.read_bytes() == before


def test_a_new_class_key_replaces_an_old_key_but_never_a_class_database(
    runner: CliRunner, tmp_path: Path
) -> None:
    setup = two_group_class(tmp_path)
    disguised = tmp_path / "class.key"  # a class database under a key's name
    disguised.write_bytes(Path(setup["db"]).read_bytes())
    before = disguised.read_bytes()
    result = runner.invoke(app, ["class", "key", "--out", str(disguised), "--force"])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "班级数据库" in error_line(result)
    assert disguised.read_bytes() == before
    old = create_key_pair(tmp_path / "keys")
    old_private = old.private_path.read_bytes()
    result = runner.invoke(app, ["class", "key", "--out", str(old.private_path), "--force"])
    assert result.exit_code == 0, result.output
    assert old.private_path.read_bytes() != old_private


@pytest.mark.parametrize(
    "command",
    [["export", "-f", "md"], ["export", "-f", "json"], ["showcase"]],
    ids=["export-md", "export-json", "showcase"],
)
@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "force"])
def test_an_export_never_replaces_the_transcript_it_reads(
    runner: CliRunner, tmp_path: Path, command: list[str], force: list[str]
) -> None:
    path = drill_file(tmp_path / "t.jsonl")
    before = path.read_bytes()
    result = runner.invoke(app, [*command, str(path), "--out", str(path), *force])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert str(path) in error_line(result)
    assert path.read_bytes() == before


def test_an_export_never_replaces_another_transcript(runner: CliRunner, tmp_path: Path) -> None:
    path = drill_file(tmp_path / "t.jsonl")
    other = drill_file(tmp_path / "other.jsonl")
    before = other.read_bytes()
    args = ["export", "-f", "md", str(path), "--out", str(other), "--force"]
    result = runner.invoke(app, args)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "演练记录" in error_line(result)
    assert other.read_bytes() == before


def _writers(tmp_path: Path) -> dict[str, list[str]]:
    transcript = drill_file(tmp_path / "t.jsonl")
    setup = two_group_class(tmp_path)
    return {
        "export": ["export", "-f", "md", str(transcript)],
        "showcase": ["showcase", str(transcript)],
        "report": ["report", "--db", setup["db"], "-f", "csv"],
        "batch": ["batch", "rescore", str(tmp_path), "--jobs", "1"],
    }


@pytest.mark.parametrize("name", ["export", "showcase", "report", "batch"])
def test_an_existing_out_file_is_replaced_only_with_force(
    runner: CliRunner, tmp_path: Path, name: str
) -> None:
    command = _writers(tmp_path)[name]
    out = tmp_path / "out" / ("summary.csv" if name == "batch" else "result.html")
    out.parent.mkdir()
    out.write_text("老师的笔记\n", encoding="utf-8")
    refused = runner.invoke(app, [*command, "--out", str(out)])
    assert refused.exit_code == ExitCode.BAD_INPUT
    assert "已存在" in error_line(refused) and "--force" in error_line(refused)
    assert out.read_text(encoding="utf-8") == "老师的笔记\n"
    replaced = runner.invoke(app, [*command, "--out", str(out), "--force"])
    assert replaced.exit_code in (ExitCode.OK, ExitCode.CHECK_FAILED), replaced.stderr
    assert out.read_text(encoding="utf-8-sig") != "老师的笔记\n"


def test_the_default_summary_name_never_replaces_a_file(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drill_file(tmp_path / "archive" / "t.jsonl")
    monkeypatch.chdir(tmp_path)
    summary = tmp_path / "rescore-summary.csv"
    summary.write_text("上周的汇总\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", "rescore", "archive", "--jobs", "1"])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "rescore-summary.csv 已存在" in error_line(result)
    assert summary.read_text(encoding="utf-8") == "上周的汇总\n"


def test_a_new_out_file_needs_no_force(runner: CliRunner, tmp_path: Path) -> None:
    path = drill_file(tmp_path / "t.jsonl")
    out = tmp_path / "t.md"
    result = runner.invoke(app, ["export", str(path), "--out", str(out)])
    assert result.exit_code == ExitCode.OK, result.stderr
    assert out.read_text(encoding="utf-8").startswith("#")


def test_regrouping_a_class_with_ratings_needs_yes(runner: CliRunner, tmp_path: Path) -> None:
    setup = two_group_class(tmp_path)
    store = open_store(setup["db"])
    before = store.list_members("c1")
    store.close()
    result = runner.invoke(app, ["class", "groups", "--db", setup["db"], "--seed", "3"])
    assert result.exit_code == ExitCode.BAD_INPUT
    line = error_line(result)
    assert "1 次会话" in line and "--yes" in line and "同编号" in line
    store = open_store(setup["db"])
    assert store.list_members("c1") == before
    store.close()
    done = runner.invoke(app, ["class", "groups", "--db", setup["db"], "--seed", "3", "--yes"])
    assert done.exit_code == ExitCode.OK, done.stderr
    assert "同编号" in done.stderr


def test_grouping_a_class_without_sessions_needs_no_yes(runner: CliRunner, tmp_path: Path) -> None:
    from test_class_support import write_roster

    write_roster(tmp_path / "r.csv", 12)
    db = str(tmp_path / "c.db")
    assert runner.invoke(app, ["class", "init", str(tmp_path / "r.csv"), "--db", db]).exit_code == 0
    for _ in range(2):  # no ratings yet: drawing again is harmless
        result = runner.invoke(app, ["class", "groups", "--db", db, "--size", "6"])
        assert result.exit_code == ExitCode.OK, result.stderr


# ── crashes that were exit 70 ─────────────────────────────────────────


@pytest.mark.parametrize("command", [["score"], ["replay", "--speed", "1000"], ["verify"]])
def test_a_number_with_100000_digits_is_bad_input(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    path = unfinished(tmp_path / "t.jsonl")
    lines = path.read_bytes().splitlines(keepends=True)
    lines[3] = b'{"type":"turn","seq":' + b"7" * 100_000 + b"}\n"
    path.write_bytes(b"".join(lines))
    result = runner.invoke(app, [*command, str(path)])
    assert result.exit_code in (ExitCode.BAD_INPUT, ExitCode.CHECK_FAILED), result.stderr
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr
    if command[0] != "verify":
        assert f"{path}:4: " in error_line(result) and "位数过多" in error_line(result)


@pytest.mark.parametrize("session", [str(2**63), str(-(2**63) - 1), "9" * 40])
def test_a_session_id_beyond_sqlite_is_an_unknown_session(
    runner: CliRunner, tmp_path: Path, session: str
) -> None:
    setup = two_group_class(tmp_path)
    rater = setup["ids"][15]
    args = ["rate", "--db", setup["db"], "--session", session, "--rater", rater]
    result = runner.invoke(app, [*args, "--scores", setup["good"], "--comment", "好"])
    assert result.exit_code == ExitCode.NOT_FOUND, result.stderr
    assert session in error_line(result)


@pytest.mark.parametrize(
    "option", [["--student", "caf\udce9"], ["--group", "G\udcff"], ["--roles", "\udcc0=客户经理"]]
)
def test_a_text_option_that_is_not_utf8_is_refused_before_anything_is_written(
    runner: CliRunner, tmp_path: Path, option: list[str]
) -> None:
    out = tmp_path / "t.jsonl"
    script = Path(__file__).parent / "scripts" / "retired-teacher-careless.txt"
    result = runner.invoke(app, ["drill", "--script", str(script), "--out", str(out), *option])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "UTF-8" in error_line(result)
    assert not out.exists()


# ── a FIFO nobody writes into ─────────────────────────────────────────

FIFO_COMMANDS = [
    ["score"],
    ["verify"],
    ["replay", "--speed", "1000"],
    ["export", "-f", "md"],
    ["import", "--db", "{db}"],
    ["class", "init", "--db", "{new_db}"],
    ["verify", "--key", "{fifo}", "{transcript}"],
    ["drill", "--script", "{fifo}", "--out", "{out}"],
    ["rubric", "validate"],
    ["scenario", "validate"],
]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("command", FIFO_COMMANDS, ids=lambda c: "-".join(c[:2]))
def test_a_fifo_without_a_writer_is_an_error_not_a_hang(tmp_path: Path, command: list[str]) -> None:
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    names = {
        "fifo": str(fifo),
        "db": two_group_class(tmp_path)["db"],
        "new_db": str(tmp_path / "new.db"),
        "out": str(tmp_path / "o.jsonl"),
        "transcript": str(drill_file(tmp_path / "t.jsonl")),
    }
    args = [part.format(**names) for part in command]
    if "{fifo}" not in " ".join(command):
        args.append(str(fifo))
    env = {**os.environ, "FINSIM_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-m", "finsim", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode in (ExitCode.CHECK_FAILED, ExitCode.BAD_INPUT, ExitCode.NOT_FOUND)
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr
    assert str(fifo) in result.stderr + result.stdout


# ── the seal: nothing may follow the end event ────────────────────────


@pytest.mark.parametrize(
    "tail",
    [b"\x00", b"\x00" * 512, b" ", b"\n", b"\r\n", b"\t\n", b"  \n\n"],
    ids=["nul", "nul512", "space", "newline", "crlf", "tab", "blanks"],
)
def test_bytes_after_the_end_event_are_damage(
    runner: CliRunner, tmp_path: Path, tail: bytes
) -> None:
    path = drill_file(tmp_path / "t.jsonl")
    count = len(path.read_bytes().splitlines())
    path.write_bytes(path.read_bytes() + tail)
    result = runner.invoke(app, ["verify", str(path)])
    assert result.exit_code == ExitCode.CHECK_FAILED
    assert "[已被改动或损坏]" in result.stderr and f"{path}:{count + 1}" in result.stderr
    assert "结束事件之后" in result.stderr


@pytest.mark.parametrize("strip", [False, True], ids=["newline", "no-newline"])
def test_an_end_event_with_one_newline_or_none_is_intact(
    runner: CliRunner, tmp_path: Path, strip: bool
) -> None:
    path = drill_file(tmp_path / "t.jsonl")
    if strip:
        path.write_bytes(path.read_bytes().rstrip(b"\n"))
    result = runner.invoke(app, ["verify", str(path)])
    assert result.exit_code == ExitCode.OK, result.stderr


def test_padding_after_a_killed_drill_is_still_incomplete(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = unfinished(tmp_path / "t.jsonl")
    path.write_bytes(path.read_bytes() + b"\x00" * 64)
    result = runner.invoke(app, ["verify", "--allow-incomplete", str(path)])
    assert result.exit_code == ExitCode.OK, result.stderr


# ── found by the fuzz suites (tests/test_fuzz_*.py) ───────────────────


def test_a_roster_marked_utf8_with_a_cut_character_names_its_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    roster = tmp_path / "r.csv"
    roster.write_bytes("\ufeff学号,姓名\n2024001,王".encode()[:-1] + b"\n")
    result = runner.invoke(app, ["class", "init", str(roster), "--db", str(tmp_path / "c.db")])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert f"{roster}:2: " in error_line(result) and "UTF-8" in error_line(result)


@pytest.mark.parametrize("version", ["²", "9" * 5000])
@pytest.mark.parametrize(
    "command, source",
    [
        (["scenario", "validate"], "tests/data/minimal.yaml"),
        (["rubric", "validate"], "scoring/default.yaml"),
    ],
    ids=["scenario", "rubric"],
)
def test_a_schema_version_that_is_no_number_is_bad_input(
    runner: CliRunner, tmp_path: Path, command: list[str], source: str, version: str
) -> None:
    text = (Path(__file__).parent.parent / source).read_text(encoding="utf-8")
    path = tmp_path / "f.yaml"
    path.write_text(text.replace("@1", "@" + version, 1), encoding="utf-8")
    result = runner.invoke(app, [*command, str(path)])
    assert result.exit_code == ExitCode.BAD_INPUT, result.stderr
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr
    assert f"{path}:1:" in result.stderr and "格式声明" in result.stderr


def test_a_tampered_line_whose_speaker_is_a_list_is_damage(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = drill_file(tmp_path / "t.jsonl")
    lines = path.read_bytes().splitlines(keepends=True)
    assert b'"speaker":"manager"' in lines[3]
    lines[3] = lines[3].replace(b'"speaker":"manager"', b'"speaker":["manager"]', 1)
    path.write_bytes(b"".join(lines))
    result = runner.invoke(app, ["verify", str(path)])
    assert result.exit_code == ExitCode.CHECK_FAILED, result.stderr
    assert "[已被改动或损坏]" in result.stderr and f"{path}:4" in result.stderr


@pytest.mark.parametrize("odd", ["G1²", "G" + "9" * 5000])
def test_a_group_id_of_odd_digits_sorts_in_the_grade_book(
    runner: CliRunner, tmp_path: Path, odd: str
) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text("学号,姓名\n2024001,王芳\n2024002,李雷\n", encoding="utf-8")
    groups = tmp_path / "g.csv"
    groups.write_text(f"组,学号\nG1,2024001\n{odd},2024002\n", encoding="utf-8")
    db = str(tmp_path / "c.db")
    assert runner.invoke(app, ["class", "init", str(roster), "--db", db]).exit_code == 0
    grouped = runner.invoke(app, ["class", "groups", "--import", str(groups), "--db", db])
    assert grouped.exit_code == ExitCode.OK, grouped.stderr
    result = runner.invoke(app, ["report", "--db", db, "-f", "json"])
    assert result.exit_code == ExitCode.OK, result.stderr
    assert result.stdout.index('"G1"') < result.stdout.index(f'"{odd}"')
