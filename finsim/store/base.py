"""The class store: records and the narrow interface every database back end implements.

Two back ends implement it: SQLite (:mod:`finsim.store.sqlite`, one file) and
PostgreSQL (:mod:`finsim.store.postgres`, a networked lab, DESIGN §7). The
interface is kept small and free of SQL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

FormName = Literal["peer", "teacher", "client_roleplay"]
Role = Literal["manager", "client"]


@dataclass(frozen=True)
class ClassInfo:
    """A class (教学班): its id, display name and aggregation settings (as a plain dict)."""

    id: str
    name: str
    created_at: str
    settings: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Student:
    """One roster entry."""

    student_id: str
    name: str
    email: str = ""


@dataclass(frozen=True)
class Member:
    """A student's place in a group: the role played and the steps it covers (empty = all)."""

    group_id: str
    student_id: str
    role: Role
    steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewSession:
    """A drill transcript to register as a session of a group."""

    class_id: str
    group_id: str
    transcript_path: str
    transcript_sha256: str
    scenario_id: str
    mode: str
    created_at: str
    auto_total: float | None = None
    auto_max: float | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Session(NewSession):
    """A registered session, with the id raters use (``--session``)."""

    id: int = 0
    registered_at: str = ""


@dataclass(frozen=True)
class Rating:
    """One rater's filled form for one session. ``scores`` maps form item keys to points."""

    session_id: int
    rater_id: str
    form: FormName
    scores: Mapping[str, float]
    total: float
    max_total: float
    comment: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class Override:
    """The teacher's override of a session's final score (0–100), with the reason."""

    session_id: int
    points: float
    reason: str
    by: str
    created_at: str = ""


class ClassStore(Protocol):
    """Everything the classroom code asks of a database; nothing SQL-specific leaks out.

    Writes are atomic: each method either stores all it was given or nothing.
    """

    location: str

    def schema_version(self) -> int:
        """Return the schema version the database is at."""
        ...

    def create_class(self, info: ClassInfo) -> None:
        """Create a class; fails if the id is taken."""
        ...

    def get_class(self, class_id: str) -> ClassInfo | None:
        """Return a class by id, or ``None``."""
        ...

    def list_classes(self) -> list[ClassInfo]:
        """All classes, oldest first."""
        ...

    def set_settings(self, class_id: str, settings: Mapping[str, Any]) -> None:
        """Replace a class's aggregation settings."""
        ...

    def upsert_students(self, class_id: str, students: Sequence[Student]) -> tuple[int, int]:
        """Add new students and update the names/emails of known ones; (added, updated)."""
        ...

    def list_students(self, class_id: str) -> list[Student]:
        """Return the roster, in student-id order."""
        ...

    def replace_groups(self, class_id: str, members: Sequence[Member]) -> None:
        """Replace every group assignment of the class with ``members``."""
        ...

    def list_members(self, class_id: str) -> list[Member]:
        """All group memberships, by group then student."""
        ...

    def add_session(self, session: NewSession) -> Session:
        """Register a session; a transcript already registered returns the existing one."""
        ...

    def get_session(self, session_id: int) -> Session | None:
        """Return a session by id, or ``None``."""
        ...

    def list_sessions(self, class_id: str) -> list[Session]:
        """All sessions of a class, in registration order."""
        ...

    def save_rating(self, rating: Rating, *, replace: bool) -> bool:
        """Store a rating; with ``replace`` an earlier one is overwritten. True if one existed.

        Without ``replace`` an existing rating is left as it is and True is returned.
        """
        ...

    def get_rating(self, session_id: int, rater_id: str, form: FormName) -> Rating | None:
        """One rater's rating of a session on a form, or ``None``."""
        ...

    def list_ratings(self, class_id: str) -> list[Rating]:
        """All ratings of all sessions of a class."""
        ...

    def add_override(self, override: Override) -> None:
        """Record an override (kept as history; the latest one applies)."""
        ...

    def list_overrides(self, class_id: str) -> list[Override]:
        """All overrides of a class, oldest first."""
        ...

    def get_lesson(self, class_id: str) -> dict[str, Any] | None:
        """Return the saved state of the class's lesson (``finsim lesson``), or ``None``."""
        ...

    def save_lesson(self, class_id: str, state: Mapping[str, Any]) -> None:
        """Replace the saved state of the class's lesson."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...
