"""The SQLite class store: schema versions, migrations, refusal of newer files, errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from finsim.errors import StorageError, UsageError
from finsim.store import SCHEMA_VERSION, ClassInfo, Rating, Student, default_db_target, open_store


def test_a_new_store_is_created_at_the_current_schema_in_wal_mode(tmp_path: Path) -> None:
    store = open_store(tmp_path / "sub" / "c.db")
    assert store.schema_version() == SCHEMA_VERSION
    store.close()
    with sqlite3.connect(tmp_path / "sub" / "c.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == SCHEMA_VERSION


def test_reopening_does_not_migrate_twice(tmp_path: Path) -> None:
    for _ in range(3):
        open_store(tmp_path / "c.db").close()
    with sqlite3.connect(tmp_path / "c.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == SCHEMA_VERSION


def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    open_store(tmp_path / "c.db").close()
    with sqlite3.connect(tmp_path / "c.db") as conn:
        conn.execute("INSERT INTO schema_version VALUES (?, 'x', '9.9')", (SCHEMA_VERSION + 1,))
    with pytest.raises(StorageError, match="更新版本"):
        open_store(tmp_path / "c.db")


def test_not_a_database(tmp_path: Path) -> None:
    (tmp_path / "c.db").write_text("hello, not sqlite " * 100)
    with pytest.raises(StorageError, match="无法打开班级数据库"):
        open_store(tmp_path / "c.db")


def test_postgresql_is_not_implemented_and_says_so() -> None:
    with pytest.raises(StorageError, match="PostgreSQL"):
        open_store("postgresql://lab-server/finsim")


def test_target_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("FINSIM_DB", raising=False)
    assert default_db_target() == str(tmp_path / "finsim-data" / "finsim.db")
    monkeypatch.setenv("FINSIM_DB", "/x/y.db")
    assert default_db_target() == "/x/y.db"
    assert default_db_target("/opt/z.db") == "/opt/z.db"


def test_classes_students_and_ratings_round_trip(tmp_path: Path) -> None:
    store = open_store(tmp_path / "c.db")
    store.create_class(ClassInfo("c1", "一班", "2026-01-01T00:00:00+08:00", {"step_weight": 0.2}))
    with pytest.raises(UsageError, match="已存在"):
        store.create_class(ClassInfo("c1", "一班", ""))
    assert store.upsert_students("c1", [Student("1", "张三"), Student("2", "李四", "l@x.cn")]) == (
        2,
        0,
    )
    assert store.upsert_students("c1", [Student("1", "张三丰")]) == (0, 1)
    assert [s.name for s in store.list_students("c1")] == ["张三丰", "李四"]
    assert store.get_class("c1") is not None and store.get_class("c1").settings == {
        "step_weight": 0.2
    }  # type: ignore[union-attr]
    store.close()


def test_save_rating_without_replace_keeps_the_first(tmp_path: Path) -> None:
    from test_class_support import register, write_roster, write_transcript

    from finsim.classroom.classes import init_class, set_groups
    from finsim.classroom.groups import members_from_assignment

    ids = write_roster(tmp_path / "r.csv", 4)
    store = open_store(tmp_path / "c.db")
    info = init_class(store, "c", tmp_path / "r.csv").info
    set_groups(store, info, members_from_assignment({"G1": ids[:2], "G2": ids[2:]}))
    session = register(store, "c", write_transcript(tmp_path / "t.jsonl", "G1"), {})
    first = Rating(session.id, ids[2], "peer", {"a": 1}, 1, 10, "一")
    assert store.save_rating(first, replace=False) is False
    assert (
        store.save_rating(Rating(session.id, ids[2], "peer", {"a": 2}, 2, 10), replace=False)
        is True
    )
    assert store.get_rating(session.id, ids[2], "peer").total == 1  # type: ignore[union-attr]
    assert (
        store.save_rating(Rating(session.id, ids[2], "peer", {"a": 3}, 3, 10), replace=True) is True
    )
    assert store.get_rating(session.id, ids[2], "peer").total == 3  # type: ignore[union-attr]
    again = register(store, "c", tmp_path / "t.jsonl", {})
    assert again.id == session.id  # the same transcript is one session
    store.close()


def test_commands_other_than_init_do_not_create_a_database(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from finsim.cli.app import app

    result = CliRunner().invoke(app, ["report", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 3 and "finsim class init" in result.stderr
    assert not (tmp_path / "none.db").exists()
