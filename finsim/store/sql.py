"""The class store's SQL, shared by the SQLite and PostgreSQL back ends.

:class:`SqlStore` implements every :class:`~finsim.store.base.ClassStore`
method once, in SQL that both databases accept (``?`` placeholders, which the
PostgreSQL back end rewrites; ``ON CONFLICT`` upserts; no ``RETURNING``). A back
end supplies the connection, its write transaction, its reads and its DDL.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, cast

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

Migrations = list[tuple[int, list[str]]]
"""``(version, statements)`` in order: the DDL that brings a database to each version."""

ROSTER_TABLES = [
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
]
"""Schema 1's tables that both databases write the same way (classes, roster, groups)."""

LESSONS_TABLE = """CREATE TABLE lessons (
    class_id TEXT PRIMARY KEY REFERENCES classes(id), state TEXT NOT NULL,
    updated_at TEXT NOT NULL)"""
"""Schema 2: the state of a class's lesson (``finsim lesson``), one JSON document a class."""


class Cursor(Protocol):
    """What a write transaction hands out: a DB-API cursor with ``?`` placeholders."""

    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any:
        """Run one statement; the result has ``fetchone``/``fetchall``."""
        ...

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> Any:
        """Run one statement for each parameter row."""
        ...


class SqlStore:
    """:class:`~finsim.store.base.ClassStore` in portable SQL; subclasses connect."""

    location: str
    migrations: Migrations
    email_column = "email"
    """What the roster's e-mail is read as (a connection that may not read it: ``''``)."""

    # what a back end provides ------------------------------------------------

    def _write(self) -> AbstractContextManager[Cursor]:
        """Open a write transaction: all statements commit together or none do."""
        raise NotImplementedError

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run a read; a failure becomes a :class:`StorageError`."""
        raise NotImplementedError

    def _has_version_table(self) -> bool:
        """Whether the database has the ``schema_version`` table yet."""
        raise NotImplementedError

    def _lock_for_migration(self, cursor: Cursor) -> None:
        """Keep other openers out while this one migrates (inside the write transaction)."""

    def close(self) -> None:
        """Release the connection."""
        raise NotImplementedError

    # schema ------------------------------------------------------------------

    @property
    def current_schema(self) -> int:
        """The schema version this finsim writes."""
        return self.migrations[-1][0]

    def _row(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _migrate(self) -> None:
        """Bring the database to :attr:`current_schema`; refuse one written by a newer finsim."""
        present = self._has_version_table()
        if present and self.schema_version() == self.current_schema:
            return  # the usual case: no write lock needed to open the store
        with self._write() as cur:
            self._lock_for_migration(cur)
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                "version INTEGER NOT NULL, applied_at TEXT NOT NULL, program_version TEXT NOT NULL)"
            )
            row = cur.execute("SELECT MAX(version) FROM schema_version").fetchone()
            current = int(row[0]) if row and row[0] is not None else 0
            if current > self.current_schema:
                raise StorageError(
                    tr(
                        f"数据库 {self.location} 由更新版本的 finsim 写入（结构版本 {current}，"
                        f"本版只认识到 {self.current_schema}）；请升级 finsim",
                        f"the database {self.location} was written by a newer finsim (schema "
                        f"{current}; this one knows up to {self.current_schema}): upgrade finsim",
                    )
                )
            for version, statements in self.migrations:
                if version <= current:
                    continue
                for statement in statements:
                    cur.execute(statement)
                cur.execute(
                    "INSERT INTO schema_version VALUES (?, ?, ?)",
                    (version, now_iso(), __version__),
                )

    def schema_version(self) -> int:
        """Return the schema version the database is at."""
        row = self._row("SELECT MAX(version) FROM schema_version")
        return int(row[0]) if row and row[0] is not None else 0

    # classes ---------------------------------------------------------------

    def create_class(self, info: ClassInfo) -> None:
        """Create a class; fails if the id is taken."""
        with self._write() as cur:
            if cur.execute("SELECT 1 FROM classes WHERE id = ?", (info.id,)).fetchone():
                raise UsageError(
                    tr(
                        f"班级 “{info.id}” 已存在；要合并新名单请加 --update",
                        f"class '{info.id}' exists already; add --update to merge the roster",
                    )
                )
            cur.execute(
                "INSERT INTO classes VALUES (?, ?, ?, ?)",
                (info.id, info.name, info.created_at or now_iso(), dump(info.settings)),
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
        with self._write() as cur:
            cur.execute("UPDATE classes SET settings = ? WHERE id = ?", (dump(settings), class_id))

    # students and groups ---------------------------------------------------

    def upsert_students(self, class_id: str, students: Sequence[Student]) -> tuple[int, int]:
        """Add new students and update the names/emails of known ones; (added, updated)."""
        added = updated = 0
        with self._write() as cur:
            for student in students:
                row = cur.execute(
                    "SELECT name, email FROM students WHERE class_id = ? AND student_id = ?",
                    (class_id, student.student_id),
                ).fetchone()
                if row is None:
                    added += 1
                elif tuple(row) != (student.name, student.email):
                    updated += 1
                cur.execute(
                    "INSERT INTO students VALUES (?, ?, ?, ?) ON CONFLICT (class_id, student_id)"
                    " DO UPDATE SET name = excluded.name, email = excluded.email",
                    (class_id, student.student_id, student.name, student.email),
                )
        return added, updated

    def list_students(self, class_id: str) -> list[Student]:
        """Return the roster, in student-id order."""
        rows = self._rows(
            f"SELECT student_id, name, {self.email_column} FROM students WHERE class_id = ?"
            " ORDER BY student_id",
            (class_id,),
        )
        return [Student(*row) for row in rows]

    def replace_groups(self, class_id: str, members: Sequence[Member]) -> None:
        """Replace every group assignment of the class with ``members``."""
        with self._write() as cur:
            cur.execute("DELETE FROM members WHERE class_id = ?", (class_id,))
            if members:
                cur.executemany(
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
        with self._write() as cur:
            cur.execute(
                "INSERT INTO sessions (class_id, group_id, transcript_path, transcript_sha256,"
                " scenario_id, mode, created_at, registered_at, auto_total, auto_max, detail)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (class_id, transcript_sha256) DO NOTHING",
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
                    dump(session.detail),
                ),
            )
            row = cur.execute(
                "SELECT id FROM sessions WHERE class_id = ? AND transcript_sha256 = ?",
                (session.class_id, session.transcript_sha256),
            ).fetchone()
        found = self.get_session(int(row[0]))
        assert found is not None
        return found

    _SESSION_COLUMNS = (
        "id, class_id, group_id, transcript_path, transcript_sha256, scenario_id, mode,"
        " created_at, registered_at, auto_total, auto_max, detail"
    )

    def get_session(self, session_id: int) -> Session | None:
        """Return a session by id, or ``None`` (also for an id no 64-bit column holds)."""
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
        values = (
            json.dumps(dict(rating.scores), ensure_ascii=False),
            rating.total,
            rating.max_total,
            rating.comment,
            rating.updated_at or now_iso(),
            __version__,
        )
        with self._write() as cur:
            existed = bool(
                cur.execute(
                    "SELECT 1 FROM ratings WHERE session_id = ? AND rater_id = ? AND form = ?", key
                ).fetchone()
            )
            if existed and not replace:
                return True
            if existed:  # an UPDATE, so that a store may allow adding but not changing
                cur.execute(
                    "UPDATE ratings SET scores = ?, total = ?, max_total = ?, comment = ?,"
                    " updated_at = ?, program_version = ?"
                    " WHERE session_id = ? AND rater_id = ? AND form = ?",
                    (*values, *key),
                )
            else:  # a rating saved meanwhile by another terminal of the same rater is kept
                inserted = cur.execute(
                    "INSERT INTO ratings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (session_id, rater_id, form) DO NOTHING",
                    (*key, *values),
                ).rowcount
                existed = inserted == 0
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
        with self._write() as cur:
            cur.execute(
                'INSERT INTO overrides (session_id, points, reason, "by", created_at)'
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
            'SELECT o.session_id, o.points, o.reason, o."by", o.created_at FROM overrides o'
            " JOIN sessions s ON s.id = o.session_id WHERE s.class_id = ? ORDER BY o.id",
            (class_id,),
        )
        return [Override(*row) for row in rows]

    # copying a whole database ---------------------------------------------------

    def table_rows(self, table: str) -> list[tuple[Any, ...]]:
        """Every row of one of :data:`COLUMNS`' tables, in its column order."""
        return [tuple(row) for row in self._rows(f"SELECT {COLUMNS[table]} FROM {table}")]

    def count_rows(self) -> dict[str, int]:
        """How many rows each class table holds."""
        return {table: int(self._rows(f"SELECT COUNT(*) FROM {table}")[0][0]) for table in COLUMNS}

    def load_rows(self, rows: Mapping[str, Sequence[tuple[Any, ...]]]) -> None:
        """Insert ``rows`` (table → rows, ids kept) in one transaction; the tables must be empty."""
        taken = {table: n for table, n in self.count_rows().items() if n}
        if taken:
            raise UsageError(
                tr(
                    f"目标数据库 {self.location} 已有数据（{taken}）；请迁移到一个空的数据库",
                    f"the target database {self.location} is not empty ({taken}):"
                    " migrate into an empty one",
                )
            )
        with self._write() as cur:
            for table, columns in COLUMNS.items():
                if rows.get(table):
                    marks = ", ".join("?" for _ in columns.split(","))
                    cur.executemany(
                        f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows[table]
                    )
            self._after_load(cur)

    def _after_load(self, cursor: Cursor) -> None:
        """Bring id generators past the ids just loaded (a back end that needs it)."""

    # the lesson ----------------------------------------------------------------

    def get_lesson(self, class_id: str) -> dict[str, Any] | None:
        """Return the saved state of the class's lesson, or ``None``."""
        row = self._row("SELECT state FROM lessons WHERE class_id = ?", (class_id,))
        return cast(dict[str, Any], json.loads(row[0])) if row else None

    def save_lesson(self, class_id: str, state: Mapping[str, Any]) -> None:
        """Replace the saved state of the class's lesson."""
        with self._write() as cur:
            cur.execute(
                "INSERT INTO lessons VALUES (?, ?, ?) ON CONFLICT (class_id)"
                " DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                (class_id, dump(state), now_iso()),
            )


def dump(data: Mapping[str, Any]) -> str:
    """Serialise a JSON column (keys sorted, Chinese kept readable)."""
    return json.dumps(dict(data), ensure_ascii=False, sort_keys=True)


COLUMNS: dict[str, str] = {
    "classes": "id, name, created_at, settings",
    "students": "class_id, student_id, name, email",
    "members": "class_id, group_id, student_id, role, steps",
    "sessions": "id, class_id, group_id, transcript_path, transcript_sha256, scenario_id, mode,"
    " created_at, registered_at, auto_total, auto_max, detail",
    "ratings": "session_id, rater_id, form, scores, total, max_total, comment, updated_at,"
    " program_version",
    "overrides": 'id, session_id, points, reason, "by", created_at',
    "lessons": "class_id, state, updated_at",
}
"""Every class table and its columns, parents before children (the order copies go in)."""


def _class(row: Sequence[Any]) -> ClassInfo:
    return ClassInfo(row[0], row[1], row[2], json.loads(row[3]))


def _storable(number: int) -> bool:
    """Whether a 64-bit signed integer column can hold ``number``: no id lies beyond."""
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
