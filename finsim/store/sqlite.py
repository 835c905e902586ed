"""The SQLite class store: one file, no set-up, safe for many terminals on one machine.

Concurrency: the database runs in WAL mode (readers never block the writer)
with a busy timeout; every write is a ``BEGIN IMMEDIATE`` transaction that is
retried with jittered back-off while another process holds the write lock, so
thirty students saving ratings at once all succeed and nobody sees
"database is locked". The schema is versioned (table ``schema_version``) and
migrated forward on open; a database written by a newer finsim is refused.
The SQL itself is shared with PostgreSQL (:mod:`finsim.store.sql`).
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from finsim.errors import StorageError
from finsim.i18n import tr
from finsim.store.sql import LESSONS_TABLE, ROSTER_TABLES, Cursor, Migrations, SqlStore

BUSY_TIMEOUT_MS = 5_000
"""How long SQLite itself waits for a lock before reporting busy."""

WRITE_DEADLINE_S = 60.0
"""How long a write keeps retrying ``BEGIN IMMEDIATE`` before giving up."""

MIGRATIONS: Migrations = [
    (
        1,
        [
            *ROSTER_TABLES,
            """CREATE TABLE sessions (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                class_id TEXT NOT NULL REFERENCES classes(id), group_id TEXT NOT NULL,
                transcript_path TEXT NOT NULL, transcript_sha256 TEXT NOT NULL,
                scenario_id TEXT NOT NULL, mode TEXT NOT NULL, created_at TEXT NOT NULL,
                registered_at TEXT NOT NULL, auto_total REAL, auto_max REAL,
                detail TEXT NOT NULL DEFAULT '{}',
                UNIQUE (class_id, transcript_sha256))""",
            """CREATE TABLE ratings (
                session_id INTEGER NOT NULL REFERENCES sessions(id), rater_id TEXT NOT NULL,
                form TEXT NOT NULL, scores TEXT NOT NULL, total REAL NOT NULL,
                max_total REAL NOT NULL, comment TEXT NOT NULL DEFAULT '',
                updated_at TEXT NOT NULL, program_version TEXT NOT NULL,
                PRIMARY KEY (session_id, rater_id, form))""",
            """CREATE TABLE overrides (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                session_id INTEGER NOT NULL REFERENCES sessions(id), points REAL NOT NULL,
                reason TEXT NOT NULL, by TEXT NOT NULL, created_at TEXT NOT NULL)""",
        ],
    ),
    (2, [LESSONS_TABLE]),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class SqliteStore(SqlStore):
    """:class:`~finsim.store.base.ClassStore` on one SQLite file."""

    migrations = MIGRATIONS

    def __init__(self, path: Path, *, write_deadline_s: float = WRITE_DEADLINE_S) -> None:
        self.path = path
        self.location = str(path)
        self._deadline = write_deadline_s
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(self._cannot_open(exc)) from None
        try:
            self._configure()
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise StorageError(self._cannot_open(exc)) from None
        except BaseException:
            self._conn.close()
            raise

    def _cannot_open(self, exc: BaseException) -> str:
        return tr(
            f"无法打开班级数据库 {self.path}：{exc}（检查路径与权限，或用 --db 指定另一个文件）",
            f"cannot open the class database {self.path}: {exc} "
            "(check the path and permissions, or give another file with --db)",
        )

    def _configure(self) -> None:
        self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self._conn.execute("PRAGMA foreign_keys = ON")
        self._retry(lambda: self._conn.execute("PRAGMA journal_mode = WAL").fetchone())
        self._conn.execute("PRAGMA synchronous = NORMAL")

    def _retry(self, action: Any) -> Any:
        """Run ``action`` until it stops failing with a busy/locked error (bounded)."""
        deadline = time.monotonic() + self._deadline
        delay = 0.005
        while True:
            try:
                return action()
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(delay * random.uniform(0.5, 1.5))
                delay = min(delay * 2, 0.25)

    @contextmanager
    def _write(self) -> Iterator[Cursor]:
        """Open a write transaction with ``BEGIN IMMEDIATE`` (retried while busy)."""
        try:
            self._retry(lambda: self._conn.execute("BEGIN IMMEDIATE"))
        except sqlite3.Error as exc:
            raise StorageError(self._write_failed(exc)) from None
        try:
            yield self._conn.cursor()
        except sqlite3.Error as exc:
            self._conn.execute("ROLLBACK")
            raise StorageError(self._write_failed(exc)) from None
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        try:
            self._retry(lambda: self._conn.execute("COMMIT"))
        except sqlite3.Error as exc:
            self._conn.execute("ROLLBACK")
            raise StorageError(self._write_failed(exc)) from None

    def _write_failed(self, exc: BaseException) -> str:
        return tr(
            f"写入班级数据库 {self.path} 失败：{exc}；请稍后重试",
            f"writing the class database {self.path} failed: {exc}; try again",
        )

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run a read, retried while busy; a failure becomes a :class:`StorageError`."""
        try:
            rows: list[Any] = self._retry(lambda: self._conn.execute(sql, params).fetchall())
        except sqlite3.Error as exc:
            raise StorageError(
                tr(
                    f"读取班级数据库 {self.path} 失败：{exc}",
                    f"reading the class database {self.path} failed: {exc}",
                )
            ) from None
        return rows

    def _has_version_table(self) -> bool:
        sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        return bool(self._row(sql))

    def close(self) -> None:
        """Release the connection."""
        self._conn.close()
