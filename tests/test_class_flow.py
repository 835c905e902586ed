"""The whole class flow through real ``finsim`` processes, on SQLite and on PostgreSQL.

One test, parametrised by back end (``db_target``): ``class init``, ``class groups``,
``class add-session``, the lesson opening G1's rating, forty ``finsim rate`` processes
(no session id: they find the open group) started together, ``grade`` and ``report``.
Every rating must be stored (none lost, no lock error) and the grade book must add up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_class_support import write_roster, write_transcript

from finsim.classroom.lesson import open_rating, plan_lesson, save_lesson
from finsim.classroom.sessions import session_form
from finsim.store import open_store

RATERS = 40


def finsim(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run one ``finsim`` command to completion."""
    return subprocess.run(
        [sys.executable, "-m", "finsim", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_whole_class_flow_with_forty_concurrent_raters(db_target: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "FINSIM_LANG": "en",
        "FINSIM_DATA_DIR": str(tmp_path / "data"),
        "FINSIM_DB": db_target,
    }
    ids = write_roster(tmp_path / "roster.csv", 50)
    steps = [
        finsim(env, "class", "init", str(tmp_path / "roster.csv"), "--class", "c50"),
        finsim(env, "class", "groups", "--size", "10", "--method", "balanced"),
        finsim(env, "class", "add-session", str(write_transcript(tmp_path / "g1.jsonl", "G1"))),
    ]
    for done in steps:
        assert done.returncode == 0, done.stdout + done.stderr
    store = open_store(db_target)  # the lesson puts G1 on stage and opens its rating
    members = store.list_members("c50")
    session = store.list_sessions("c50")[0]
    info = store.get_class("c50")
    assert info is not None
    lesson = plan_lesson(store, info)
    open_rating(lesson, session)
    save_lesson(store, lesson)
    store.close()
    in_g1 = {m.student_id for m in members if m.group_id == "G1"}
    raters = [s for s in ids if s not in in_g1]
    assert len(raters) == RATERS
    items = session_form(session, "peer").items
    started = time.monotonic()
    processes = []
    for n, rater in enumerate(raters):
        mark = n % 5 + 5  # out of 10: each rater's own spread of marks
        scores = ",".join(f"{i.key}={i.max_points * mark / 10:g}" for i in items)
        argv = ["rate", "--rater", rater, "--scores", scores]  # no session id: the open one
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "finsim", *argv, "--comment", f"点评 {rater}"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    outputs = [(p.wait(timeout=180), *p.communicate()) for p in processes]
    elapsed = time.monotonic() - started
    for code, out, err in outputs:
        assert code == 0, out + err
        assert "locked" not in (out + err).lower() and "traceback" not in err.lower()
    teacher = ",".join(
        f"{i.key}={i.max_points * 0.8:g}" for i in session_form(session, "teacher").items
    )
    graded = finsim(env, "grade", "--group", "G1", "--scores", teacher, "--comment", "好")
    assert graded.returncode == 0, graded.stdout + graded.stderr
    report = finsim(env, "report", "--format", "json")
    assert report.returncode == 0, report.stderr
    book = json.loads(report.stdout)
    g1 = next(g for g in book["groups"] if g["group_id"] == "G1")
    assert g1["peer_raters"] == RATERS and g1["teacher_raters"] == 1  # none lost
    assert g1["teacher"] == pytest.approx(80)
    store = open_store(db_target)
    saved = {r.rater_id: r for r in store.list_ratings("c50") if r.form == "peer"}
    store.close()
    assert sorted(saved) == sorted(raters)
    total = sum(i.max_points for i in items)
    for n, rater in enumerate(raters):
        assert saved[rater].total == pytest.approx(total * (n % 5 + 5) / 10)
        assert saved[rater].comment == f"点评 {rater}"
    backend = "postgresql" if db_target.startswith("postgresql://") else "sqlite"
    print(f"\n{backend}: {len(saved)}/{RATERS} ratings stored in {elapsed:.1f} s")
