"""Bad input to the class, grading, seal and batch commands: one clear line, a documented code.

Each test is a case an adversarial audit found: the input, and what the user
must see (the file and line where known, what to do) and the exit code
(README, "Exit codes"); nothing the user wrote may be lost or overwritten.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from test_class_support import two_group_class
from test_seal_support import play
from typer.testing import CliRunner, Result

from finsim.cli import app
from finsim.cli.app import exit_code_for
from finsim.errors import ExitCode
from finsim.store import open_store


def finsim(*args: str | bytes, stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    """Run finsim in a fresh process (the environment of the test, data in its tmp dir)."""
    return subprocess.run(
        [sys.executable, "-m", "finsim", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=120,
        check=False,
    )


def one_error_line(stderr: str) -> str:
    """The single ``finsim: 错误：`` line of ``stderr``; fails on a traceback or more lines."""
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.startswith("finsim: 错误：")]
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.fixture
def klass(tmp_path: Path) -> dict[str, str]:
    """A class of 20 in two groups with one registered session of G1 (rated by G2)."""
    made = two_group_class(tmp_path)
    return {
        "db": made["db"],
        "session": made["session"],
        "good": made["good"],
        "peer": made["ids"][10],
    }


# ── the one mapping: errors nobody expected ──────────────────────────────


def test_a_bug_is_one_line_with_the_traceback_saved(
    runner: CliRunner, klass: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("integer modulo by zero")

    monkeypatch.setattr("finsim.cli.class_cmds.render_groups", broken)
    result = runner.invoke(app, ["class", "show", "--db", klass["db"]])
    assert result.exit_code == ExitCode.INTERNAL
    line = one_error_line(result.stderr)
    assert "内部错误" in line and "ZeroDivisionError" in line
    saved = list((tmp_path / "finsim-data" / "crash").glob("crash-*.txt"))
    assert len(saved) == 1 and "ZeroDivisionError" in saved[0].read_text(encoding="utf-8")


def test_a_failed_write_to_standard_output_is_a_storage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = exit_code_for(OSError(errno.ENOSPC, "No space left on device"))
    assert code == ExitCode.STORAGE
    assert "输出失败：磁盘已满" in capsys.readouterr().err


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="needs /dev/full")
def test_standard_output_on_a_full_disk(klass: dict[str, str]) -> None:
    with open("/dev/full", "wb") as full:
        done = finsim("report", "--format", "json", "--db", klass["db"], stdout=full.fileno())
    assert done.returncode == ExitCode.STORAGE
    assert "输出失败" in one_error_line(done.stderr.decode())


def test_a_reader_that_goes_away_ends_quietly(klass: dict[str, str]) -> None:
    read, write = os.pipe()
    os.close(read)
    try:
        done = finsim("report", "--format", "json", "--db", klass["db"], stdout=write)
    finally:
        os.close(write)
    assert done.returncode == ExitCode.BROKEN_PIPE
    assert done.stderr == b""


def test_an_argument_that_is_not_utf8_is_named(klass: dict[str, str]) -> None:
    done = finsim(
        "rate", "--db", klass["db"], "--session", klass["session"], "--rater", klass["peer"],
        "--scores", klass["good"], "--comment", b"\xff\xfe bad",
    )  # fmt: skip
    assert done.returncode == ExitCode.BAD_INPUT
    assert "不是 UTF-8" in one_error_line(done.stderr.decode())


def test_end_of_input_is_an_interruption(capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_code_for(EOFError()) == ExitCode.INTERRUPTED
    assert "已中断" in capsys.readouterr().err


def test_ctrl_c_while_the_commands_load_exits_130() -> None:
    code = (
        "import sys\n"
        "class Ctrl:\n"  # Ctrl-C while the commands are imported
        "    def find_spec(self, name, path, target=None):\n"
        "        if name == 'finsim.cli.app':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Ctrl())\n"
        "import finsim.cli\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == ExitCode.INTERRUPTED
    assert "Traceback" not in done.stderr and "已中断" in done.stderr


# ── files written: never a file put in place of a device, clear reasons ──


def test_out_onto_a_pipe_writes_into_it_and_leaves_it_a_pipe(tmp_path: Path) -> None:
    from threading import Thread

    from finsim.atomic import write_atomic

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, b"grade book")
    reader.join(timeout=10)
    assert got == [b"grade book"]
    assert fifo.is_fifo()


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="needs /dev/full")
def test_report_out_onto_a_full_device(runner: CliRunner, klass: dict[str, str]) -> None:
    result = runner.invoke(app, ["report", "-f", "csv", "-o", "/dev/full", "--db", klass["db"]])
    assert result.exit_code == ExitCode.STORAGE
    assert "磁盘已满" in one_error_line(result.stderr)
    assert Path("/dev/full").is_char_device()


def test_a_missing_folder_is_named_with_what_to_do(tmp_path: Path) -> None:
    from finsim.atomic import write_atomic
    from finsim.errors import StorageError

    with pytest.raises(StorageError, match="不存在，请先创建它"):
        write_atomic(tmp_path / "nowhere" / "x.csv", "x")


def test_report_onto_a_folder(runner: CliRunner, klass: dict[str, str], tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "-f", "csv", "-o", str(tmp_path), "--db", klass["db"]])
    assert result.exit_code == ExitCode.STORAGE
    assert "这是一个文件夹，请给出文件名" in one_error_line(result.stderr)


# ── what a rater writes ──────────────────────────────────────────────────


def test_control_characters_in_a_comment_are_dropped_and_xlsx_still_exports(
    runner: CliRunner, klass: dict[str, str], tmp_path: Path
) -> None:
    comment = "好\x1b[31m红\r\n第二行\x07 😀"
    result = runner.invoke(
        app,
        ["rate", "--db", klass["db"], "--session", klass["session"], "--rater", klass["peer"],
         "--scores", klass["good"], "--comment", comment],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    store = open_store(klass["db"])
    saved = store.get_rating(int(klass["session"]), klass["peer"], "peer")
    store.close()
    assert saved is not None and saved.comment == "好[31m红\n第二行 😀"
    with sqlite3.connect(klass["db"]) as conn:  # as an older finsim stored it
        conn.execute("UPDATE ratings SET comment = ?", ("旧\x1b点评",))
    out = tmp_path / "book.xlsx"
    result = runner.invoke(app, ["report", "-f", "xlsx", "-o", str(out), "--db", klass["db"]])
    assert result.exit_code == 0, result.stderr
    assert out.stat().st_size > 0


# ── rosters and groups files ─────────────────────────────────────────────


def init(runner: CliRunner, tmp_path: Path, roster: Path) -> Result:
    """Run ``finsim class init`` on ``roster`` into a fresh database."""
    return runner.invoke(
        app, ["class", "init", str(roster), "--class", "k", "--db", str(tmp_path / "k.db")]
    )


def test_a_stray_quote_in_a_roster_names_its_line(runner: CliRunner, tmp_path: Path) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text('学号,姓名\n1,张三\n2,"李四\n3,王五\n4,赵六\n', encoding="utf-8")
    result = init(runner, tmp_path, roster)
    assert result.exit_code == ExitCode.BAD_INPUT
    line = one_error_line(result.stderr)
    assert f"{roster}:3:" in line and "引号没有配对" in line


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_a_utf16_roster_is_read(runner: CliRunner, tmp_path: Path, delimiter: str) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text(f"学号{delimiter}姓名\n1{delimiter}张三\n", encoding="utf-16")
    result = init(runner, tmp_path, roster)
    assert result.exit_code == 0, result.stderr
    store = open_store(tmp_path / "k.db")
    assert [s.name for s in store.list_students("k")] == ["张三"]
    store.close()


def test_a_csv_named_xlsx_says_what_to_do(runner: CliRunner, tmp_path: Path) -> None:
    roster = tmp_path / "r.xlsx"
    roster.write_text("学号,姓名\n1,张三\n", encoding="utf-8")
    result = init(runner, tmp_path, roster)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "扩展名改为 .csv" in one_error_line(result.stderr)


def test_a_very_long_roster_says_to_check_the_file(runner: CliRunner, tmp_path: Path) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text("id,name\n" + "".join(f"{i},n{i}\n" for i in range(10_000)), "utf-8")
    result = init(runner, tmp_path, roster)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "请确认选对了文件" in one_error_line(result.stderr)


def test_a_groups_file_with_only_a_header_keeps_the_groups(
    runner: CliRunner, klass: dict[str, str], tmp_path: Path
) -> None:
    header_only = tmp_path / "g.csv"
    header_only.write_text("组,学号\n", encoding="utf-8")
    result = runner.invoke(
        app, ["class", "groups", "--import", str(header_only), "--db", klass["db"]]
    )
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "原有分组未改动" in one_error_line(result.stderr)
    store = open_store(klass["db"])
    assert len({m.group_id for m in store.list_members("c1")}) == 2
    store.close()


def test_empty_steps_option(runner: CliRunner, klass: dict[str, str]) -> None:
    result = runner.invoke(app, ["class", "groups", "--steps", ",,", "--db", klass["db"]])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "--steps" in one_error_line(result.stderr)


# ── settings ─────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--weights", "0,0,0"], "weights: 三项权重不能全为 0"),
        (["--weights", "-1,2,3"], "weights.auto: 不能小于 0"),
        (["--weights", "inf,1,1"], "weights.auto: 应为有限的数字"),
        (["--step-weight", "nan"], "step_weight: 应为有限的数字"),
        (["--step-weight", "5"], "step_weight: 不能大于 1"),
        (["--peer-agg", "mode"], "peer_aggregation: 取值 “mode” 无效"),
    ],
)
def test_bad_setting_options_are_one_plain_line(
    runner: CliRunner, klass: dict[str, str], options: list[str], expected: str
) -> None:
    result = runner.invoke(app, ["class", "settings", *options, "--db", klass["db"]])
    assert result.exit_code == ExitCode.BAD_INPUT
    line = one_error_line(result.stderr)
    assert expected in line and "pydantic" not in line


def test_an_infinite_weight_in_a_settings_file(
    runner: CliRunner, klass: dict[str, str], tmp_path: Path
) -> None:
    settings = tmp_path / "s.yaml"
    settings.write_text(
        "schema: finsim/class-settings@1\nweights: {auto: .inf, peer: 30, teacher: 50}\n", "utf-8"
    )
    result = runner.invoke(app, ["report", "--settings", str(settings), "--db", klass["db"]])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert f"{settings}:2:" in one_error_line(result.stderr)


def test_damaged_stored_settings_are_a_storage_error(
    runner: CliRunner, klass: dict[str, str]
) -> None:
    with sqlite3.connect(klass["db"]) as conn:
        conn.execute("""UPDATE classes SET settings = '{"weights": {"auto": -5}}'""")
    result = runner.invoke(app, ["report", "--db", klass["db"]])
    assert result.exit_code == ExitCode.STORAGE
    assert "finsim class settings" in one_error_line(result.stderr)


# ── which session, which files ───────────────────────────────────────────


@pytest.mark.parametrize("command", ["rate", "grade"])
def test_session_and_group_together_are_refused(
    runner: CliRunner, klass: dict[str, str], command: str
) -> None:
    who = ["--rater", klass["peer"]] if command == "rate" else ["--teacher", "t"]
    result = runner.invoke(
        app,
        [command, "--db", klass["db"], "--session", klass["session"], "--group", "G2", *who,
         "--scores", klass["good"]],
    )  # fmt: skip
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "--session 与 --group 只能给一个" in one_error_line(result.stderr)
    store = open_store(klass["db"])
    assert store.list_ratings("c1") == []
    store.close()


@pytest.mark.parametrize(
    "command", [["verify"], ["import", "--db", "{db}"], ["batch", "rescore", "--out", "{out}"]]
)
def test_a_folder_without_transcripts_is_not_found(
    runner: CliRunner, klass: dict[str, str], tmp_path: Path, command: list[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a transcript", encoding="utf-8")
    out = tmp_path / "summary.csv"
    args = [a.format(db=klass["db"], out=out) for a in command]
    result = runner.invoke(app, [*args, str(empty)])
    assert result.exit_code == ExitCode.NOT_FOUND
    assert f"文件夹 {empty} 里没有演练记录" in one_error_line(result.stderr)
    assert not out.exists()


def test_import_takes_a_folder_of_hand_ins(
    runner: CliRunner, klass: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "hand-ins"
    folder.mkdir()
    play(folder / "g2.jsonl", group="G2")  # sealed (chained: no class key here)
    (folder / "junk.jsonl").write_text("hello\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(folder), "--db", klass["db"]])
    assert result.exit_code == ExitCode.CHECK_FAILED  # the junk file is refused, g2 imported
    assert "junk.jsonl:1:" in one_error_line(result.stderr)
    store = open_store(klass["db"])
    assert {s.group_id for s in store.list_sessions("c1")} == {"G1", "G2"}
    store.close()
