"""The lesson's plan and state (finsim/classroom/lesson.py): order, budget, skip, repeat."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_class_support import register, write_roster, write_transcript

from finsim.classroom.archive import lesson_folder
from finsim.classroom.classes import init_class, set_groups
from finsim.classroom.groups import members_from_assignment
from finsim.classroom.lesson import (
    Lesson,
    Slot,
    finish_group,
    go_to_group,
    group_order,
    load_lesson,
    open_rating,
    open_session,
    plan_lesson,
    rating_progress,
    save_lesson,
    skip_group,
)
from finsim.errors import StorageError, UsageError
from finsim.store import Member, Rating, open_store


def test_groups_come_in_natural_order() -> None:
    members = [Member(g, str(n), "manager") for n, g in enumerate(["G10", "G2", "G1", "G2"])]
    assert group_order(members) == ["G1", "G2", "G10"]


def test_plan_open_rate_and_restore(db_target: str, tmp_path: Path) -> None:
    ids = write_roster(tmp_path / "r.csv", 12)
    store = open_store(db_target)
    info = init_class(store, "c", tmp_path / "r.csv").info
    with pytest.raises(UsageError, match="finsim class groups"):
        plan_lesson(store, info)
    groups = {"G1": ids[:4], "G2": ids[4:8], "G3": ids[8:]}
    set_groups(store, info, members_from_assignment(groups))
    with pytest.raises(UsageError, match="--order"):
        plan_lesson(store, info, order=["G1", "G1"])
    with pytest.raises(UsageError, match="--order"):
        plan_lesson(store, info, order=["G9"])
    lesson = plan_lesson(store, info, minutes=15, order=["G2", "G1", "G3"])
    assert lesson.planned_minutes == 45 and lesson.over_budget
    skip_group(lesson)  # G2 absent
    assert lesson.current_slot().group_id == "G1" and not lesson.over_budget  # type: ignore[union-attr]
    session = register(store, "c", write_transcript(tmp_path / "g1.jsonl", "G1"), {})
    open_rating(lesson, session)
    save_lesson(store, lesson)
    assert open_session(store, "c") == session
    store.save_rating(Rating(session.id, ids[4], "peer", {}, 1, 2), replace=False)
    progress = rating_progress(store, session)
    assert [s.student_id for s in progress.rated] == [ids[4]]
    assert len(progress.missing) == 7 and not progress.graded
    store.close()
    store = open_store(db_target)  # the teacher's screen restarts
    again = load_lesson(store, "c")
    assert again == lesson and again is not None
    finish_group(again)
    assert again.current_slot().group_id == "G3" and open_session(store, "c") == session  # type: ignore[union-attr]
    save_lesson(store, again)
    assert open_session(store, "c") is None  # rating of G1 closed
    third = register(store, "c", write_transcript(tmp_path / "g3.jsonl", "G3"), {})
    open_rating(again, third)
    finish_group(again)
    assert again.finished  # the skipped group is not taken back …
    assert [s.status for s in again.slots] == ["skipped", "done", "done"]
    store.close()


def test_skipped_groups_wait_only_when_asked_for() -> None:
    lesson = Lesson("c", 5, 40, [Slot("G1"), Slot("G2"), Slot("G3")])
    skip_group(lesson)
    finish_group(lesson)  # G2 not yet drilled: put off to the end of the round
    assert lesson.current_slot() == Slot("G3")
    skip_group(lesson)
    assert lesson.current_slot() == Slot("G2")
    skip_group(lesson)
    assert lesson.finished and lesson.finished_at
    go_to_group(lesson, "G1")  # … until the teacher goes to it
    assert lesson.current_slot() == Slot("G1") and not lesson.finished_at
    with pytest.raises(UsageError, match="G7"):
        go_to_group(lesson, "G7")


def test_a_damaged_or_foreign_lesson_is_one_clear_error() -> None:
    with pytest.raises(StorageError, match="finsim/lesson@1"):
        Lesson.from_store({"schema": "finsim/lesson@9"})
    with pytest.raises(StorageError, match="--new"):
        Lesson.from_store({"schema": "finsim/lesson@1", "slots": [{"x": 1}]})


OPS = st.lists(
    st.one_of(st.just("skip"), st.just("finish"), st.sampled_from(["G1", "G2", "G3", "G4"])),
    max_size=30,
)


@given(OPS)
def test_any_sequence_of_steps_keeps_the_lesson_consistent(ops: list[str]) -> None:
    lesson = Lesson("c", 5, 40, [Slot(g) for g in ("G1", "G2", "G3", "G4")])
    for op in ops:
        if op == "skip":
            skip_group(lesson)
        elif op == "finish":
            finish_group(lesson)
        else:
            go_to_group(lesson, op)
        waiting = [s for s in lesson.slots if s.status == "waiting"]
        assert 0 <= lesson.current <= len(lesson.slots)
        if lesson.finished:
            assert not waiting and lesson.finished_at
        else:
            assert lesson.slots[lesson.current].status == "waiting"
        assert Lesson.from_store(lesson.to_store()) == lesson


def test_elapsed_minutes_run_from_the_start_to_now_or_the_end() -> None:
    lesson = Lesson("c", 5, 40, [Slot("G1")], started_at="2026-01-01T10:00:00+08:00")
    assert lesson.elapsed_minutes(datetime.fromisoformat("2026-01-01T10:12:30+08:00")) == 12.5
    lesson.finished_at = "2026-01-01T10:38:00+08:00"
    assert lesson.elapsed_minutes(datetime.fromisoformat("2026-01-01T11:00:00+08:00")) == 38
    assert Lesson("c", 5, 40, [], started_at="yesterday").elapsed_minutes() is None


def test_a_lesson_folder_is_never_shared(tmp_path: Path) -> None:
    default = tmp_path / "lessons" / "c-2026-12-07"
    assert lesson_folder(None, default) == default
    default.mkdir(parents=True)
    assert lesson_folder(None, default) == default.with_name("c-2026-12-07-2")
    mine = tmp_path / "mine"
    assert lesson_folder(mine, default) == mine
    mine.mkdir()
    (mine / "成果展示.html").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="--out"):
        lesson_folder(mine, default)


def test_class_status_before_and_during_a_lesson(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from finsim.cli.app import app

    ids = write_roster(tmp_path / "r.csv", 8)
    db = str(tmp_path / "c.db")
    store = open_store(db)
    info = init_class(store, "c", tmp_path / "r.csv").info
    set_groups(store, info, members_from_assignment({"G1": ids[:4], "G2": ids[4:]}))
    store.close()
    runner = CliRunner()
    before = runner.invoke(app, ["--lang", "en", "class", "status", "--db", db])
    assert before.exit_code == 0 and "No lesson yet" in before.stdout
    assert "2 groups × 5 min = 10 min of a 40-minute lesson" in before.stdout
    store = open_store(db)
    lesson = plan_lesson(store, info, minutes=25)
    session = register(store, "c", write_transcript(tmp_path / "g1.jsonl", "G1"), {})
    open_rating(lesson, session)
    save_lesson(store, lesson)
    store.save_rating(Rating(session.id, ids[5], "peer", {}, 1, 2), replace=False)
    store.close()
    during = runner.invoke(app, ["--lang", "en", "class", "status", "--db", db])
    assert during.exit_code == 0, during.output
    assert "rating open" in during.stdout and "1/4" in during.stdout
    assert f"Rating open: group G1 (session {session.id})" in during.stdout
    assert "学生5(2024005)" in during.stdout and "学生6(2024006)" not in during.stdout
    assert "10 min over the lesson" in during.stderr  # 2 × 25 against 40
