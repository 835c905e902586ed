"""The class store on both back ends (SQLite file, PostgreSQL server) with the same tests.

Schema versions and migrations, refusal of a newer database, round trips of every
record, ratings kept or replaced, the lesson state; then what only a server
can get wrong: down, wrong password, no such database (one line each, no password shown).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pg_cluster import Cluster
from test_class_support import register, write_roster, write_transcript

from finsim.classroom.classes import init_class, set_groups
from finsim.classroom.groups import members_from_assignment
from finsim.errors import StorageError, UsageError
from finsim.store import (
    SCHEMA_VERSION,
    ClassInfo,
    ClassStore,
    Override,
    Rating,
    Session,
    Student,
    open_store,
)
from finsim.store.postgres import safe_url


def raw(target: str, sql: str) -> list[tuple[object, ...]]:
    """Run SQL on the database behind ``target`` directly, around the store."""
    if target.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(target, autocommit=True) as conn:
            cursor = conn.execute(sql)  # type: ignore[arg-type]
            return list(cursor.fetchall()) if cursor.description else []
    with sqlite3.connect(target) as conn:
        return list(conn.execute(sql).fetchall())


def test_a_new_store_is_at_the_current_schema_and_reopening_does_not_migrate_again(
    db_target: str,
) -> None:
    for _ in range(3):
        store = open_store(db_target)
        assert store.schema_version() == SCHEMA_VERSION
        store.close()
    assert raw(db_target, "SELECT COUNT(*) FROM schema_version") == [(SCHEMA_VERSION,)]


def test_a_version_1_database_is_migrated_forward(db_target: str) -> None:
    open_store(db_target).close()
    raw(db_target, "DROP TABLE lessons")
    raw(db_target, "DELETE FROM schema_version WHERE version > 1")
    store = open_store(db_target)
    assert store.schema_version() == SCHEMA_VERSION
    store.create_class(ClassInfo("c", "一班", ""))
    store.save_lesson("c", {"x": 1})
    assert store.get_lesson("c") == {"x": 1}
    store.close()


def test_a_newer_database_is_refused(db_target: str) -> None:
    open_store(db_target).close()
    raw(db_target, f"INSERT INTO schema_version VALUES ({SCHEMA_VERSION + 1}, 'x', '9.9')")
    with pytest.raises(StorageError, match="更新版本"):
        open_store(db_target)


def test_classes_students_and_ratings_round_trip(db_target: str) -> None:
    store = open_store(db_target)
    store.create_class(ClassInfo("c1", "一班", "2026-01-01T00:00:00+08:00", {"step_weight": 0.2}))
    with pytest.raises(UsageError, match="已存在"):
        store.create_class(ClassInfo("c1", "一班", ""))
    added = store.upsert_students("c1", [Student("1", "张三"), Student("2", "李四", "l@x.cn")])
    assert added == (2, 0)
    assert store.upsert_students("c1", [Student("1", "张三丰")]) == (0, 1)
    assert [s.name for s in store.list_students("c1")] == ["张三丰", "李四"]
    info = store.get_class("c1")
    assert info is not None and info.settings == {"step_weight": 0.2}
    store.set_settings("c1", {"step_weight": 0.4})
    assert [c.settings for c in store.list_classes()] == [{"step_weight": 0.4}]
    store.close()


def four_students(target: str, tmp_path: Path) -> tuple[ClassStore, list[str], Session]:
    """Class c: G1 and G2 of two students each, one session of G1; the store left open."""
    ids = write_roster(tmp_path / "r.csv", 4)
    store = open_store(target)
    info = init_class(store, "c", tmp_path / "r.csv").info
    set_groups(store, info, members_from_assignment({"G1": ids[:2], "G2": ids[2:]}))
    return store, ids, register(store, "c", write_transcript(tmp_path / "t.jsonl", "G1"), {})


def test_ratings_kept_or_replaced_sessions_once_overrides_and_lesson(
    db_target: str, tmp_path: Path
) -> None:
    store, ids, session = four_students(db_target, tmp_path)
    assert {m.group_id for m in store.list_members("c")} == {"G1", "G2"}
    first = Rating(session.id, ids[2], "peer", {"a": 1}, 1, 10, "一")
    assert store.save_rating(first, replace=False) is False
    second = Rating(session.id, ids[2], "peer", {"a": 2}, 2, 10)
    assert store.save_rating(second, replace=False) is True
    assert store.get_rating(session.id, ids[2], "peer").total == 1  # type: ignore[union-attr]
    third = Rating(session.id, ids[2], "peer", {"a": 3}, 3, 10)
    assert store.save_rating(third, replace=True) is True
    saved = store.get_rating(session.id, ids[2], "peer")
    assert saved is not None and saved.total == 3 and saved.scores == {"a": 3}
    assert register(store, "c", tmp_path / "t.jsonl", {}).id == session.id  # one session
    assert [s.id for s in store.list_sessions("c")] == [session.id]
    assert store.get_session(2**70) is None and store.get_rating(2**70, "x", "peer") is None
    store.add_override(Override(session.id, 88, "原因", "王老师"))
    assert [(o.points, o.by) for o in store.list_overrides("c")] == [(88, "王老师")]
    assert store.get_lesson("c") is None
    store.save_lesson("c", {"current": 1, "名": "课"})
    store.save_lesson("c", {"current": 2})
    assert store.get_lesson("c") == {"current": 2}
    store.close()


def test_the_url_in_messages_never_shows_the_password() -> None:
    assert safe_url("postgresql://t:s3cret@h:5/db") == "postgresql://t:***@h:5/db"
    assert safe_url("postgresql://t:a/b@c@h/db") == "postgresql://t:***@h/db"
    assert safe_url("postgresql://h/db") == "postgresql://h/db"


@pytest.mark.parametrize(
    "url", ["postgresql://u:s3cret@h:99999/x", "postgres://u:s3/cret@h/x", "postgresql://[::1"]
)
def test_a_malformed_url_is_bad_input_without_the_password(url: str) -> None:
    with pytest.raises(UsageError, match="postgresql://用户:密码@主机") as caught:
        open_store(url)
    assert "s3" not in str(caught.value) and "cret" not in str(caught.value)


def test_a_server_that_is_down_is_one_line(pg_cluster: Cluster) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(StorageError) as caught:
        open_store(f"postgresql://u:pw@127.0.0.1:{port}/finsim")
    message = str(caught.value)
    assert "连不上数据库服务器" in message and "\n" not in message and "pw@" not in message


def test_wrong_credentials_and_a_missing_database_are_one_line(pg_cluster: Cluster) -> None:
    with pytest.raises(StorageError) as caught:
        open_store(pg_cluster.url("postgres", password="wrong-one"))
    assert "用户名或密码不对" in str(caught.value) and "wrong-one" not in str(caught.value)
    with pytest.raises(StorageError) as caught:
        open_store(pg_cluster.url("no_such_db"))
    assert "没有地址" in str(caught.value) and "\n" not in str(caught.value)


def test_the_cli_reports_a_server_that_is_down_with_exit_4(pg_cluster: Cluster) -> None:
    from typer.testing import CliRunner

    from finsim.cli.app import app

    url = pg_cluster.url("postgres", password="nope")
    result = CliRunner().invoke(app, ["class", "show", "--db", url])
    assert result.exit_code == 4, result.output
    assert "Traceback" not in result.output and "nope" not in result.stderr


def test_two_terminals_of_one_rater_at_once_keep_the_first_rating(
    pg_url: str, tmp_path: Path
) -> None:
    import threading

    import psycopg

    store, ids, session = four_students(pg_url, tmp_path)
    other = psycopg.connect(pg_url)  # the first terminal: its rating not yet committed
    other.execute(
        "INSERT INTO ratings VALUES (%s, %s, 'peer', '{}', 1, 10, '', 'now', 'x')",
        (session.id, ids[2]),
    )
    result: list[bool] = []
    second = threading.Thread(
        target=lambda: result.append(
            store.save_rating(Rating(session.id, ids[2], "peer", {}, 9, 10), replace=False)
        )
    )
    second.start()
    second.join(0.5)
    assert second.is_alive()  # the second terminal waits for the first …
    other.commit()
    other.close()
    second.join(10)
    assert result == [True]  # … and reports the rating as there already, not as its own
    assert store.get_rating(session.id, ids[2], "peer").total == 1  # type: ignore[union-attr]
    store.close()
