"""What only the SQLite class store does: WAL mode, a file that is not a database, paths.

The behaviour both back ends share is tested in ``test_store.py``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from finsim.errors import StorageError
from finsim.store import SCHEMA_VERSION, default_db_target, open_store


def test_a_new_store_is_created_at_the_current_schema_in_wal_mode(tmp_path: Path) -> None:
    store = open_store(tmp_path / "sub" / "c.db")
    assert store.schema_version() == SCHEMA_VERSION
    store.close()
    with sqlite3.connect(tmp_path / "sub" / "c.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == SCHEMA_VERSION


def test_not_a_database(tmp_path: Path) -> None:
    (tmp_path / "c.db").write_text("hello, not sqlite " * 100)
    with pytest.raises(StorageError, match="无法打开班级数据库"):
        open_store(tmp_path / "c.db")


def test_target_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("FINSIM_DB", raising=False)
    assert default_db_target() == str(tmp_path / "finsim-data" / "finsim.db")
    monkeypatch.setenv("FINSIM_DB", "/x/y.db")
    assert default_db_target() == "/x/y.db"
    assert default_db_target("/opt/z.db") == "/opt/z.db"


def test_commands_other_than_init_do_not_create_a_database(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from finsim.cli.app import app

    result = CliRunner().invoke(app, ["report", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 3 and "finsim class init" in result.stderr
    assert not (tmp_path / "none.db").exists()
