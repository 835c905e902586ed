"""The SQLite class store: one file, no set-up, safe for many terminals on one machine.

Concurrency: the database runs in WAL mode (readers never block the writer)
with a busy timeout; every write is a ``BEGIN IMMEDIATE`` transaction that is
retried with jittered back-off while another process holds the write lock, so
thirty students saving ratings at once all succeed and nobody sees
"database is locked". The schema is versioned (table ``schema_version``) and
migrated forward on open; a database written by a newer finsim is refused.
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from finsim import __version__
from finsim.clock import now_iso
from finsim.errors import StorageError, UsageError
from finsim.i18n import tr
from finsim.store.base import (
    ClassInfo,
    FormName,
    Member,
    NewSession,
    Override,
    Rating,
    Role,
    Session,
    Student,
)

BUSY_TIMEOUT_MS = 5_000
"""How long SQLite itself waits for a lock before reporting busy."""

WRITE_DEADLINE_S = 60.0
"""How long a write keeps retrying ``BEGIN IMMEDIATE`` before giving up."""

MIGRATIONS: list[tuple[int, list[str]]] = [
    (
        1,
        [
            """CREATE TABLE classes (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL,
                settings TEXT NOT NULL DEFAULT '{}')""",
            """CREATE TABLE students (
                class_id TEXT NOT NULL REFERENCES classes(id), student_id TEXT NOT NULL,
                name TEXT NOT NULL, email TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (class_id, student_id))""",
            """CREATE TABLE members (
                class_id TEXT NOT NULL, group_id TEXT NOT NULL, student_id TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('manager', 'client')),
                steps TEXT NOT NULL DEFAULT '[]',
                PRIMARY KEY (class_id, student_id, role),
                FOREIGN KEY (class_id, student_id) REFERENCES students(class_id, student_id))""",
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
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class SqliteStore:
    """:class:`~finsim.store.base.ClassStore` on one SQLite file."""

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
    def _write(self) -> Iterator[sqlite3.Connection]:
        """Open a write transaction with ``BEGIN IMMEDIATE`` (retried while busy)."""
        try:
            self._retry(lambda: self._conn.execute("BEGIN IMMEDIATE"))
        except sqlite3.Error as exc:
            raise StorageError(self._write_failed(exc)) from None
        try:
            yield self._conn
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

    def _row(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _migrate(self) -> None:
        if self._version_if_present() == SCHEMA_VERSION:
            return  # the usual case: no write lock needed to open the store
        with self._write() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                "version INTEGER NOT NULL, applied_at TEXT NOT NULL, program_version TEXT NOT NULL)"
            )
            current = self._version(conn)
            if current > SCHEMA_VERSION:
                raise StorageError(
                    tr(
                        f"数据库 {self.path} 由更新版本的 finsim 写入（结构版本 {current}，"
                        f"本版只认识到 {SCHEMA_VERSION}）；请升级 finsim",
                        f"the database {self.path} was written by a newer finsim (schema "
                        f"{current}; this one knows up to {SCHEMA_VERSION}): upgrade finsim",
                    )
                )
            for version, statements in MIGRATIONS:
                if version <= current:
                    continue
                for statement in statements:
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_version VALUES (?, ?, ?)",
                    (version, now_iso(), __version__),
                )

    def _version_if_present(self) -> int | None:
        exists = self._row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        )
        return self.schema_version() if exists else None

    @staticmethod
    def _version(conn: sqlite3.Connection) -> int:
        row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def schema_version(self) -> int:
        """Return the schema version the database is at."""
        row = self._row("SELECT MAX(version) FROM schema_version")
        return int(row[0]) if row and row[0] is not None else 0

    # classes ---------------------------------------------------------------

    def create_class(self, info: ClassInfo) -> None:
        """Create a class; fails if the id is taken."""
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM classes WHERE id = ?", (info.id,)).fetchone():
                raise UsageError(
                    tr(
                        f"班级 “{info.id}” 已存在；要合并新名单请加 --update",
                        f"class '{info.id}' exists already; add --update to merge the roster",
                    )
                )
            conn.execute(
                "INSERT INTO classes VALUES (?, ?, ?, ?)",
                (info.id, info.name, info.created_at or now_iso(), _dump(info.settings)),
            )

    def get_class(self, class_id: str) -> ClassInfo | None:
        """Return a class by id, or ``None``."""
        row = self._row(
            "SELECT id, name, created_at, settings FROM classes WHERE id = ?", (class_id,)
        )
        return _class(row) if row else None

    def list_classes(self) -> list[ClassInfo]:
        """All classes, oldest first."""
        rows = self._rows(
            "SELECT id, name, created_at, settings FROM classes ORDER BY created_at, id"
        )
        return [_class(row) for row in rows]

    def set_settings(self, class_id: str, settings: Mapping[str, Any]) -> None:
        """Replace a class's aggregation settings."""
        with self._write() as conn:
            conn.execute(
                "UPDATE classes SET settings = ? WHERE id = ?", (_dump(settings), class_id)
            )

    # students and groups ---------------------------------------------------

    def upsert_students(self, class_id: str, students: Sequence[Student]) -> tuple[int, int]:
        """Add new students and update the names/emails of known ones; (added, updated)."""
        added = updated = 0
        with self._write() as conn:
            for student in students:
                row = conn.execute(
                    "SELECT name, email FROM students WHERE class_id = ? AND student_id = ?",
                    (class_id, student.student_id),
                ).fetchone()
                if row is None:
                    added += 1
                elif tuple(row) != (student.name, student.email):
                    updated += 1
                conn.execute(
                    "INSERT INTO students VALUES (?, ?, ?, ?) ON CONFLICT (class_id, student_id)"
                    " DO UPDATE SET name = excluded.name, email = excluded.email",
                    (class_id, student.student_id, student.name, student.email),
                )
        return added, updated

    def list_students(self, class_id: str) -> list[Student]:
        """Return the roster, in student-id order."""
        rows = self._rows(
            "SELECT student_id, name, email FROM students WHERE class_id = ? ORDER BY student_id",
            (class_id,),
        )
        return [Student(*row) for row in rows]

    def replace_groups(self, class_id: str, members: Sequence[Member]) -> None:
        """Replace every group assignment of the class with ``members``."""
        with self._write() as conn:
            conn.execute("DELETE FROM members WHERE class_id = ?", (class_id,))
            conn.executemany(
                "INSERT INTO members VALUES (?, ?, ?, ?, ?)",
                [
                    (class_id, m.group_id, m.student_id, m.role, json.dumps(list(m.steps)))
                    for m in members
                ],
            )

    def list_members(self, class_id: str) -> list[Member]:
        """All group memberships, by group then student."""
        rows = self._rows(
            "SELECT group_id, student_id, role, steps FROM members WHERE class_id = ?"
            " ORDER BY group_id, student_id, role",
            (class_id,),
        )
        return [Member(g, s, cast(Role, r), tuple(json.loads(steps))) for g, s, r, steps in rows]

    # sessions ----------------------------------------------------------------

    def add_session(self, session: NewSession) -> Session:
        """Register a session; a transcript already registered returns the existing one."""
        with self._write() as conn:
            row = conn.execute(
                "SELECT id FROM sessions WHERE class_id = ? AND transcript_sha256 = ?",
                (session.class_id, session.transcript_sha256),
            ).fetchone()
            if row is None:
                cursor = conn.execute(
                    "INSERT INTO sessions (class_id, group_id, transcript_path, transcript_sha256,"
                    " scenario_id, mode, created_at, registered_at, auto_total, auto_max, detail)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        session.class_id,
                        session.group_id,
                        session.transcript_path,
                        session.transcript_sha256,
                        session.scenario_id,
                        session.mode,
                        session.created_at,
                        now_iso(),
                        session.auto_total,
                        session.auto_max,
                        _dump(session.detail),
                    ),
                )
                session_id = int(cursor.lastrowid or 0)
            else:
                session_id = int(row[0])
        found = self.get_session(session_id)
        assert found is not None
        return found

    _SESSION_COLUMNS = (
        "id, class_id, group_id, transcript_path, transcript_sha256, scenario_id, mode,"
        " created_at, registered_at, auto_total, auto_max, detail"
    )

    def get_session(self, session_id: int) -> Session | None:
        """Return a session by id, or ``None`` (also for an id SQLite cannot hold)."""
        if not _storable(session_id):
            return None
        row = self._row(f"SELECT {self._SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,))
        return _session(row) if row else None

    def list_sessions(self, class_id: str) -> list[Session]:
        """All sessions of a class, in registration order."""
        rows = self._rows(
            f"SELECT {self._SESSION_COLUMNS} FROM sessions WHERE class_id = ? ORDER BY id",
            (class_id,),
        )
        return [_session(row) for row in rows]

    # ratings -------------------------------------------------------------------

    def save_rating(self, rating: Rating, *, replace: bool) -> bool:
        """Store a rating; with ``replace`` an earlier one is overwritten. True if one existed."""
        key = (rating.session_id, rating.rater_id, rating.form)
        with self._write() as conn:
            existed = bool(
                conn.execute(
                    "SELECT 1 FROM ratings WHERE session_id = ? AND rater_id = ? AND form = ?", key
                ).fetchone()
            )
            if existed and not replace:
                return True
            conn.execute(
                "INSERT OR REPLACE INTO ratings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    *key,
                    json.dumps(dict(rating.scores), ensure_ascii=False),
                    rating.total,
                    rating.max_total,
                    rating.comment,
                    rating.updated_at or now_iso(),
                    __version__,
                ),
            )
        return existed

    _RATING_COLUMNS = "session_id, rater_id, form, scores, total, max_total, comment, updated_at"

    def get_rating(self, session_id: int, rater_id: str, form: FormName) -> Rating | None:
        """One rater's rating of a session on a form, or ``None``."""
        if not _storable(session_id):
            return None
        row = self._row(
            f"SELECT {self._RATING_COLUMNS} FROM ratings"
            " WHERE session_id = ? AND rater_id = ? AND form = ?",
            (session_id, rater_id, form),
        )
        return _rating(row) if row else None

    def list_ratings(self, class_id: str) -> list[Rating]:
        """All ratings of all sessions of a class."""
        rows = self._rows(
            f"SELECT {', '.join('r.' + c.strip() for c in self._RATING_COLUMNS.split(','))}"
            " FROM ratings r JOIN sessions s ON s.id = r.session_id"
            " WHERE s.class_id = ? ORDER BY r.session_id, r.form, r.rater_id",
            (class_id,),
        )
        return [_rating(row) for row in rows]

    # overrides -----------------------------------------------------------------

    def add_override(self, override: Override) -> None:
        """Record an override (kept as history; the latest one applies)."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO overrides (session_id, points, reason, by, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    override.session_id,
                    override.points,
                    override.reason,
                    override.by,
                    override.created_at or now_iso(),
                ),
            )

    def list_overrides(self, class_id: str) -> list[Override]:
        """All overrides of a class, oldest first."""
        rows = self._rows(
            "SELECT o.session_id, o.points, o.reason, o.by, o.created_at FROM overrides o"
            " JOIN sessions s ON s.id = o.session_id WHERE s.class_id = ? ORDER BY o.id",
            (class_id,),
        )
        return [Override(*row) for row in rows]

    def close(self) -> None:
        """Release the connection."""
        self._conn.close()


def _dump(data: Mapping[str, Any]) -> str:
    return json.dumps(dict(data), ensure_ascii=False, sort_keys=True)


def _class(row: Sequence[Any]) -> ClassInfo:
    return ClassInfo(row[0], row[1], row[2], json.loads(row[3]))


def _storable(number: int) -> bool:
    """Whether SQLite can hold ``number`` (a 64-bit signed integer): no id lies beyond."""
    return -(2**63) <= number < 2**63


def _session(row: Sequence[Any]) -> Session:
    return Session(
        id=row[0],
        class_id=row[1],
        group_id=row[2],
        transcript_path=row[3],
        transcript_sha256=row[4],
        scenario_id=row[5],
        mode=row[6],
        created_at=row[7],
        registered_at=row[8],
        auto_total=row[9],
        auto_max=row[10],
        detail=json.loads(row[11]),
    )


def _rating(row: Sequence[Any]) -> Rating:
    return Rating(
        session_id=row[0],
        rater_id=row[1],
        form=cast(FormName, row[2]),
        scores=json.loads(row[3]),
        total=row[4],
        max_total=row[5],
        comment=row[6],
        updated_at=row[7],
    )
