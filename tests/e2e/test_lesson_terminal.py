"""The lesson on a pseudo-terminal: three groups with scripted drills, rating from other
terminals without a session id, the teacher's grade, a repeat, a pause and a restart,
and at the end the grade book and the showcase in the lesson's folder; on both back ends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook
from pty_terminal import Terminal
from test_class_support import write_roster

from finsim.classroom.sessions import session_form
from finsim.store import open_store

Start = Callable[..., Terminal]

PAIR_SCRIPT = """\
M: 陈老师您好，我是城东农商银行城南支行的客户经理小李，谢谢您专门跑一趟。
C: 你好你好，小李，坐吧。
M: 我们这次请您来，是因为您那笔定期这个月18号到期，想了解一下您的想法，帮您把到期的钱安排好。
C: 是啊，正想问问怎么安排。
/next
M: 冒昧问一下，您今年多大年纪了？
C: 我今年六十三了，退休好几年了。
/end
"""
DRILL_TIMEOUT = 90


def finsim(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FINSIM_LANG": "en", "FINSIM_DATA_DIR": str(tmp / "data")}
    return subprocess.run(
        [sys.executable, "-m", "finsim", *args], env=env, capture_output=True, text=True, timeout=60
    )


def rate_open_group(tmp: Path, db: str, rater: str, comment: str) -> str:
    """A student's terminal: ``finsim rate`` with no session id, marks half of each item."""
    store = open_store(db)
    session = next(s for s in reversed(store.list_sessions("c15")))
    store.close()
    half = ",".join(f"{i.key}={i.max_points / 2:g}" for i in session_form(session, "peer").items)
    done = finsim(tmp, "rate", "--db", db, "--rater", rater, "--scores", half, "--comment", comment)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def drill_and_open(term: Terminal, group: str) -> None:
    term.expect(f"group {group} on stage (5 min)")
    term.expect("Enter starts the drill")
    term.say("")
    term.child.expect_exact("Rating is open", timeout=DRILL_TIMEOUT)
    term.expect(f"group {group} ratings: 0/10 rated")
    term.expect("q pauses >")


def test_a_lesson_of_three_groups_end_to_end(
    terminal: Start, tmp_path: Path, db_target: str
) -> None:
    db = db_target  # a SQLite file, then a PostgreSQL server
    write_roster(tmp_path / "roster.csv", 15)
    for args in (
        ("class", "init", str(tmp_path / "roster.csv"), "--class", "c15", "--db", db),
        ("class", "groups", "--size", "5", "--method", "balanced", "--db", db),
    ):
        assert finsim(tmp_path, *args).returncode == 0
    scripts, out = tmp_path / "scripts", tmp_path / "lesson"
    scripts.mkdir()
    for group in ("G1", "G2"):  # G3 has no script: its drill is typed, then broken off
        (scripts / f"{group}.txt").write_text(PAIR_SCRIPT, encoding="utf-8")
    store = open_store(db)
    members = store.list_members("c15")
    store.close()
    outside = {
        g: sorted({m.student_id for m in members if m.group_id != g}) for g in ("G1", "G2", "G3")
    }
    lesson_args = ("--lang", "en", "lesson", "--db", db, "--script-dir", str(scripts))
    term = terminal(*lesson_args, "--out", str(out))
    term.expect("Plan: 3 groups × 5 min = 15 min of a 40-minute lesson")

    drill_and_open(term, "G1")  # G1: two students rate from their own terminals
    said = rate_open_group(tmp_path, db, outside["G1"][0], "开场自然")
    assert "rating of group G1" in said
    term.child.expect_exact("group G1 ratings: 1/10 rated", timeout=10)  # live, no key pressed
    rate_open_group(tmp_path, db, outside["G1"][1], "需求问得少")
    term.child.expect_exact("group G1 ratings: 2/10 rated", timeout=10)
    term.say("")  # Enter refreshes too
    term.expect("group G1 ratings: 2/10 rated")
    term.say("g")  # the teacher grades G1 item by item
    store = open_store(db)
    first = store.list_sessions("c15")[0]
    store.close()
    form = session_form(first, "teacher")
    for item in form.items:
        term.expect(f"{item.label}（0–{item.max_points:g}）>")
        term.say(f"{item.max_points * 0.8:g}")
    assert form.comment
    term.expect(f"{form.comment_prompt or '点评'} >")
    term.say("流程完整，合规意识好")
    term.expect("Teacher grade saved")
    term.expect("teacher: done")
    term.say("n")

    drill_and_open(term, "G2")  # G2 performs, then repeats its drill
    term.say("r")
    drill_and_open(term, "G2")
    rate_open_group(tmp_path, db, outside["G2"][0], "第二遍更好")
    term.say("n")
    term.expect("group G3 on stage")
    term.expect("q pauses >")
    term.say("q")  # the teacher's screen closes mid-lesson ...
    term.expect("Lesson paused")
    assert term.finish() == 0

    status = finsim(tmp_path, "--lang", "en", "class", "status", "--db", db)
    assert status.returncode == 0 and "G3" in status.stdout and "waiting" in status.stdout

    term = terminal(*lesson_args)  # ... and opens again where it was
    term.expect("Going on with the lesson")
    term.expect("group G3 on stage (5 min)")
    term.expect("Enter starts the drill")
    term.say("")  # the real pair drill at this terminal, with G3's roles and the 5-minute clock
    term.child.expect_exact("[5:00 left]", timeout=DRILL_TIMEOUT)
    term.say("陈老师您好，我是城东农商银行的客户经理小李，今天想了解一下您那笔定期的安排。")
    term.child.expect_exact("›", timeout=DRILL_TIMEOUT)
    term.child.sendintr()  # Ctrl-C ends the drill, not the lesson
    term.child.expect_exact("ended early (exit 130)", timeout=DRILL_TIMEOUT)
    term.expect("group G3 ratings: 0/10 rated")
    rate_open_group(tmp_path, db, outside["G3"][0], "收尾略急")
    term.say("n")
    term.child.expect_exact("Lesson over. 3 groups' drills archived", timeout=DRILL_TIMEOUT)
    assert term.finish() == 0

    showcase = (out / "成果展示.html").read_text(encoding="utf-8")
    for comment in ("开场自然", "第二遍更好", "收尾略急", "流程完整，合规意识好"):
        assert comment in showcase
    assert len(list((out / "transcripts").glob("*.jsonl"))) == 4  # G2 drilled twice
    book = load_workbook(out / "成绩册.xlsx", read_only=True)
    groups = {r[0]: r for r in list(book["Groups"].iter_rows(values_only=True))[1:]}
    book.close()
    assert set(groups) == {"G1", "G2", "G3"}
    report = finsim(tmp_path, "report", "--format", "json", "--db", db)
    graded = {g["group_id"]: g for g in json.loads(report.stdout)["groups"]}
    assert graded["G1"]["peer_raters"] == 2 and graded["G1"]["teacher"] == 80
    assert graded["G2"]["peer_raters"] == 1  # the repeat's session is the one that counts
    assert graded["G3"]["peer_raters"] == 1
    store = open_store(db)
    lesson = store.get_lesson("c15")
    store.close()
    assert lesson is not None and lesson["finished_at"] and lesson["current"] == 3
