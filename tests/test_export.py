"""``finsim export``: asciicast v2, Markdown, HTML, JSON; comments; atomic writes; errors."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from test_export_support import (
    HOSTILE_LINE,
    SCRIPTS,
    in_order,
    plain,
    play,
    play_careful,
    scenario,
    turn_texts,
)
from typer.testing import CliRunner

from finsim.classroom.classes import init_class, set_groups
from finsim.classroom.rating import save_rating
from finsim.classroom.sessions import register_session, session_form
from finsim.cli.app import app
from finsim.errors import InputFileError, StorageError
from finsim.export import EXPORT_SCHEMA, atomic_writer, read_export, write_atomic
from finsim.export.cast import crlf
from finsim.export.document import build_document
from finsim.export.markdown import md_escape
from finsim.scoring import load_rubric
from finsim.scoring.auto import auto_score
from finsim.store import Member, open_store
from finsim.transcript.model import Participant
from finsim.transcript.reader import read_transcript

PEOPLE = [Participant(id="2024001", name="张三", role="manager")]


@pytest.fixture(scope="module")
def careful(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The careful retired-teacher drill of 张三, group 第1组."""
    folder = tmp_path_factory.mktemp("export")
    return play_careful(folder / "careful.jsonl", participants=PEOPLE, group="第1组")


def _export(runner: CliRunner, *args: str) -> Any:
    return runner.invoke(app, ["export", *args])


# ── asciicast v2 ───────────────────────────────────────────────────────
def test_cast_is_asciicast_v2_with_the_dialogue(
    runner: CliRunner, careful: Path, tmp_path: Path
) -> None:
    out = tmp_path / "drill.cast"
    result = _export(runner, str(careful), "--format", "cast", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    raw = out.read_text(encoding="utf-8")
    lines = raw.splitlines()
    header = json.loads(lines[0])
    assert header["version"] == 2
    assert isinstance(header["width"], int) and isinstance(header["height"], int)
    assert isinstance(header["timestamp"], int) and "退休教师" in header["title"]
    events = [json.loads(line) for line in lines[1:]]
    assert events, "no output events"
    for event in events:
        assert isinstance(event, list) and len(event) == 3
        time, kind, data = event
        assert isinstance(time, float | int) and kind == "o" and isinstance(data, str)
        assert "\n" not in data.replace("\r\n", "")  # every line end is CRLF
    times = [e[0] for e in events]
    assert times == sorted(times) and times[0] == 0
    screen = plain("".join(e[2] for e in events))
    assert in_order(screen, [t.text for t in turn_texts(careful)])
    assert "\x1b[" in "".join(e[2] for e in events)  # the colours are kept
    assert "陈玉兰" in raw and "\\u9648" not in raw  # Chinese as is, not escaped


def test_cast_times_follow_the_record(careful: Path, runner: CliRunner) -> None:
    result = _export(runner, str(careful), "-f", "cast")
    events = [json.loads(line) for line in result.stdout.splitlines()[1:]]
    transcript = read_transcript(careful)
    span = transcript.last_t - transcript.events[0].t
    assert events[-1][0] == pytest.approx(span)
    capped = _export(runner, str(careful), "-f", "cast", "--max-pause", "0.5")
    last = json.loads(capped.stdout.splitlines()[-1])
    assert last[0] <= 0.5 * len(transcript.events)


def test_crlf_never_doubles_a_carriage_return() -> None:
    assert crlf("a\nb\r\nc\n") == "a\r\nb\r\nc\r\n"


# ── Markdown and HTML ──────────────────────────────────────────────────
def _headed_dialogue(careful: Path, heading: str) -> list[str]:
    """Each step heading followed by that step's lines, in order."""
    parts: list[str] = []
    steps = scenario().steps
    turns = turn_texts(careful)
    for n, step in enumerate(steps, 1):
        parts.append(heading.format(f"第 {n}/{len(steps)} 步：{step.name}"))
        parts += [t.text for t in turns if t.step == step.id]
    return parts


MD = (
    "md",
    "# 退休教师定期到期",
    "\n## {}\n",
    ["## 评分", "**总分 {total}", "| 第1步 市场调研与营销环境分析 |"],
)
HTML = (
    "html",
    "<!DOCTYPE html>",
    "<h2>{}</h2>",
    ["<h2>评分</h2>", "总分 {total}", "<td>第1步 市场调研与营销环境分析</td>"],
)


@pytest.mark.parametrize(("kind", "start", "heading", "score"), [MD, HTML])
def test_the_dialogue_is_under_step_headings_and_the_score_follows(
    runner: CliRunner, careful: Path, kind: str, start: str, heading: str, score: list[str]
) -> None:
    result = _export(runner, str(careful), "--format", kind)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith(start)
    assert in_order(text, _headed_dialogue(careful, heading))
    report = auto_score(read_transcript(careful))
    total = f"{report.total:g}/{report.max:g}"
    assert in_order(text, [part.format(total=total) for part in score])
    assert "客户经理（张三）" in text and "第1组" in text


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A drill whose manager typed HTML and Markdown."""
    folder = tmp_path_factory.mktemp("hostile")
    script = f"{HOSTILE_LINE}\n请看 # 标题 **粗体** [链接](http://x) | 竖线\n/end\n"
    return play(folder / "hostile.jsonl", script, participants=PEOPLE)


def test_html_escapes_a_script_in_a_manager_line(runner: CliRunner, hostile: Path) -> None:
    page = _export(runner, str(hostile), "-f", "html").stdout
    assert "<script" not in page.lower()
    assert "您好&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;我是小王" in page


def test_markdown_escapes_html_and_markup_in_user_text(runner: CliRunner, hostile: Path) -> None:
    md = _export(runner, str(hostile), "-f", "md").stdout
    assert "<script" not in md.lower()
    assert "&lt;script&gt;" in md
    assert r"请看 \# 标题 \*\*粗体\*\* \[链接\](http://x) \| 竖线" in md


def test_md_escape_keeps_one_paragraph() -> None:
    assert md_escape("甲\n\n## 乙") == r"甲 \#\# 乙"


# ── JSON ───────────────────────────────────────────────────────────────
def test_json_round_trips_events_and_score(runner: CliRunner, careful: Path) -> None:
    result = _export(runner, str(careful), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == EXPORT_SCHEMA == "finsim/export@1"
    back = read_export(result.stdout)
    transcript = read_transcript(careful)
    assert back.header == transcript.header
    assert back.events == transcript.events
    assert back.score == auto_score(transcript)
    assert auto_score([back.header, *back.events]) == back.score  # rescoring the export
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


@pytest.mark.parametrize(
    "text",
    [
        "{",
        '{"schema": "finsim/export@2", "events": []}',
        '{"schema": "finsim/export@1", "events": [1]}',
    ],
)
def test_a_bad_export_is_refused_clearly(text: str) -> None:
    with pytest.raises(InputFileError, match="x.json"):
        read_export(text, "x.json")


# ── comments from the class database ───────────────────────────────────
def _class_with_ratings(tmp_path: Path, transcript: Path) -> Path:
    db = tmp_path / "class.db"
    roster = tmp_path / "roster.csv"
    roster.write_text("学号,姓名\n2024001,张三\n2024002,李四\n", encoding="utf-8")
    store = open_store(db)
    try:
        info = init_class(store, "金融2401", roster).info
        set_groups(
            store,
            info,
            [
                Member("第1组", "2024001", "manager"),
                Member("第2组", "2024002", "manager"),
            ],
        )
        session = register_session(store, info.id, transcript, load_rubric())
        for rater, kind, comment in [
            ("teacher", "teacher", "需求挖掘扎实，<b>风险揭示</b>可以更早。"),
            ("2024002", "peer", "开场很自然，客户愿意说话。"),
        ]:
            form = session_form(session, kind)  # type: ignore[arg-type]
            scores = {item.key: item.max_points / 2 for item in form.items}
            save_rating(store, session, rater, kind, scores, comment)  # type: ignore[arg-type]
    finally:
        store.close()
    return db


def test_md_and_html_carry_peer_and_teacher_comments(
    runner: CliRunner, careful: Path, tmp_path: Path
) -> None:
    db = _class_with_ratings(tmp_path, careful)
    md = _export(runner, str(careful), "-f", "md", "--db", str(db)).stdout
    assert in_order(
        md, ["## 互评与教师点评", "教师评分", "可以更早", "同学互评 李四", "开场很自然"]
    )
    assert "&lt;b&gt;风险揭示&lt;/b&gt;" in md
    page = _export(runner, str(careful), "-f", "html", "--db", str(db)).stdout
    assert in_order(page, ["互评与教师点评", "&lt;b&gt;风险揭示&lt;/b&gt;", "开场很自然"])
    data = json.loads(_export(runner, str(careful), "-f", "json", "--db", str(db)).stdout)
    assert {c["form"] for c in data["comments"]} == {"teacher", "peer"}


def test_no_class_database_means_no_comments_and_none_created(
    runner: CliRunner, careful: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FINSIM_DB", str(tmp_path / "absent.db"))
    result = _export(runner, str(careful), "-f", "md")
    assert result.exit_code == 0 and "互评与教师点评" not in result.stdout
    assert not (tmp_path / "absent.db").exists()
    named = _export(runner, str(careful), "-f", "md", "--db", str(tmp_path / "absent.db"))
    assert named.exit_code == 3 and "absent.db" in named.stderr


# ── where the export goes ──────────────────────────────────────────────
def test_the_format_follows_the_file_name(runner: CliRunner, careful: Path, tmp_path: Path) -> None:
    for name, start in [
        ("a.md", "# "),
        ("a.html", "<!DOCTYPE"),
        ("a.json", "{"),
        ("a.cast", '{"version": 2'),
    ]:
        result = _export(runner, str(careful), "--out", str(tmp_path / name))
        assert result.exit_code == 0, result.stderr
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(start)
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf"], "--format"),
        (["--out", "x.txt"], "--format"),
        ([], "--format"),
        (["-f", "json", "--anonymize"], "--anonymize"),
    ],
)
def test_bad_options_exit_2_with_one_line(
    runner: CliRunner, careful: Path, args: list[str], message: str
) -> None:
    result = _export(runner, str(careful), *args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr


def test_a_broken_transcript_exits_2_and_writes_nothing(
    runner: CliRunner, careful: Path, tmp_path: Path
) -> None:
    lines = careful.read_text(encoding="utf-8").splitlines(keepends=True)
    broken = tmp_path / "broken.jsonl"
    broken.write_text("".join(lines[:3] + ['{"seq": 3, "type": "turn"}\n'] + lines[4:]), "utf-8")
    out = tmp_path / "out.html"
    result = _export(runner, str(broken), "--out", str(out))
    assert result.exit_code == 2 and f"{broken}:4:" in result.stderr
    assert result.stderr.count("\n") == 1 and not out.exists()


def test_a_torn_last_line_still_exports(runner: CliRunner, careful: Path, tmp_path: Path) -> None:
    data = careful.read_bytes()
    torn = tmp_path / "torn.jsonl"
    torn.write_bytes(data[:-25])
    result = _export(runner, str(torn), "-f", "md")
    assert result.exit_code == 0 and "最后一行不完整" in result.stderr
    assert "没有正常结束" in result.stdout


def test_an_unwritable_destination_is_a_storage_error(
    runner: CliRunner, careful: Path, tmp_path: Path
) -> None:
    result = _export(runner, str(careful), "--out", str(tmp_path / "no" / "such" / "a.md"))
    assert result.exit_code == 4 and result.stderr.count("\n") == 1


# ── atomic writing ─────────────────────────────────────────────────────
def test_a_failure_while_writing_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "export.html"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_writer(target) as stream:
        stream.write(b"half of the new export")
        raise RuntimeError("the disk is full")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["export.html"]


def test_a_failed_rename_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "new.md"

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(StorageError, match="new.md"):
        write_atomic(target, "内容")
    assert list(tmp_path.iterdir()) == []


def test_write_atomic_replaces_the_whole_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    write_atomic(target, "x" * 10_000)
    umask = os.umask(0o022)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    target.chmod(0o640)
    write_atomic(target, "短")
    assert target.read_text(encoding="utf-8") == "短"
    assert target.stat().st_mode & 0o777 == 0o640


def test_every_row_of_the_score_card_below_full_marks_says_why(tmp_path: Path) -> None:
    text = (SCRIPTS / "retired-teacher-careless.txt").read_text(encoding="utf-8")
    transcript = read_transcript(play(tmp_path / "careless.jsonl", text))
    card = build_document(transcript, auto_score(transcript)).score
    assert card is not None
    short = [row for row in card.rows if row[1].split("/")[0] != row[1].split("/")[1]]
    assert short, "the careless drill loses points somewhere"
    assert [row for row in short if not row[3]] == []
    assert not any(re.search(r"[a-z]+_[a-z]+", row[3]) for row in card.rows)
