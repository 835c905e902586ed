"""The 40-minute lesson (【活动设计1-2】): groups perform in turn, the others rate, teacher grades.

A :class:`Lesson` is the plan (the groups in turn, minutes each, the lesson's
budget) and where the class is in it. It lives in the class database
(``finsim/lesson@1``, one document a class), so the teacher's screen can be
closed and opened again, and every student's terminal can find the group
whose rating is open (:func:`open_session`) without being told a session id.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal, cast

from finsim import __version__
from finsim.clock import now_iso
from finsim.errors import StorageError, UsageError
from finsim.i18n import tr
from finsim.store import ClassInfo, ClassStore, Member, Session, Student

LESSON_SCHEMA = "finsim/lesson@1"
DEFAULT_MINUTES = 5.0
DEFAULT_BUDGET = 40.0

SlotStatus = Literal["waiting", "rating", "done", "skipped"]
_STATUSES = ("waiting", "rating", "done", "skipped")


@dataclass
class Slot:
    """One group's turn: waiting, being rated (its session open), done or skipped."""

    group_id: str
    status: SlotStatus = "waiting"
    session_id: int | None = None
    drills: int = 0


@dataclass
class Lesson:
    """The plan of a class's lesson and how far it has got."""

    class_id: str
    minutes: float
    budget: float
    slots: list[Slot]
    current: int = 0
    started_at: str = field(default_factory=now_iso)
    finished_at: str = ""
    archive: str = ""

    @property
    def planned_minutes(self) -> float:
        """Minutes the groups not skipped take at :attr:`minutes` each."""
        return self.minutes * sum(1 for s in self.slots if s.status != "skipped")

    @property
    def over_budget(self) -> bool:
        """Whether the plan takes longer than the lesson."""
        return self.planned_minutes > self.budget

    @property
    def finished(self) -> bool:
        """Whether every group has performed or been skipped."""
        return self.current >= len(self.slots)

    def elapsed_minutes(self, now: datetime | None = None) -> float | None:
        """Return the minutes since the lesson started (to its end once over), if known."""
        try:
            start = datetime.fromisoformat(self.started_at)
            end = datetime.fromisoformat(self.finished_at) if self.finished_at else None
        except ValueError:
            return None
        until = end or now or datetime.now().astimezone()
        return max(0.0, (until - start).total_seconds() / 60)

    def current_slot(self) -> Slot | None:
        """Return the group on stage (or next), ``None`` once the lesson is over."""
        return None if self.finished else self.slots[self.current]

    def open_session_id(self) -> int | None:
        """Return the session whose rating is open, if any."""
        slot = self.current_slot()
        return slot.session_id if slot is not None and slot.status == "rating" else None

    def to_store(self) -> dict[str, Any]:
        """Return the JSON document kept in the database (stamped with schema and writer)."""
        return {"schema": LESSON_SCHEMA, "program_version": __version__, **asdict(self)}

    @classmethod
    def from_store(cls, data: Mapping[str, Any]) -> Lesson:
        """Read the stored document back; a foreign or damaged one is a :class:`StorageError`."""
        if data.get("schema") != LESSON_SCHEMA:
            raise StorageError(
                tr(
                    f"数据库里的课堂记录格式为 {data.get('schema')!r}，本版只认识 {LESSON_SCHEMA}；"
                    "请升级 finsim，或用 finsim lesson --new 重新开始",
                    f"the lesson in the database is {data.get('schema')!r}; this finsim reads"
                    f" {LESSON_SCHEMA}: upgrade finsim or start again with finsim lesson --new",
                )
            )
        try:
            slots = [
                Slot(
                    str(s["group_id"]),
                    cast(SlotStatus, s["status"]) if s["status"] in _STATUSES else "waiting",
                    None if s.get("session_id") is None else int(s["session_id"]),
                    int(s.get("drills", 0)),
                )
                for s in data["slots"]
            ]
            return cls(
                class_id=str(data["class_id"]),
                minutes=float(data["minutes"]),
                budget=float(data["budget"]),
                slots=slots,
                current=int(data["current"]),
                started_at=str(data.get("started_at", "")),
                finished_at=str(data.get("finished_at", "")),
                archive=str(data.get("archive", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise StorageError(
                tr(
                    f"数据库里的课堂记录已损坏（{exc}）；用 finsim lesson --new 重新开始",
                    f"the lesson in the database is damaged ({exc}): start again with"
                    " finsim lesson --new",
                )
            ) from None


def group_order(members: Sequence[Member]) -> list[str]:
    """Return the class's groups in natural order (G2 before G10)."""

    def key(group: str) -> list[Any]:
        return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", group)]

    return sorted({m.group_id for m in members}, key=key)


def plan_lesson(
    store: ClassStore,
    info: ClassInfo,
    *,
    minutes: float = DEFAULT_MINUTES,
    budget: float = DEFAULT_BUDGET,
    order: Sequence[str] | None = None,
) -> Lesson:
    """Plan a lesson: the class's groups (or ``order``) in turn, ``minutes`` each."""
    if not 0 < minutes <= 180 or not 0 < budget <= 600:
        raise UsageError(
            tr(
                "每组时长应在 0–180 分钟之间，课时应在 0–600 分钟之间",
                "minutes per group must be within 0–180 and the lesson within 0–600",
            )
        )
    groups = group_order(store.list_members(info.id))
    if not groups:
        raise UsageError(
            tr(
                f"班级 {info.id} 还没有分组；先运行 finsim class groups",
                f"class {info.id} has no groups yet: run finsim class groups first",
            )
        )
    chosen = list(order) if order else groups
    unknown = [g for g in chosen if g not in groups]
    if unknown or len(set(chosen)) != len(chosen):
        raise UsageError(
            tr(
                f"--order 应列出本班的小组各一次（{', '.join(groups)}），"
                f"而不是 {', '.join(chosen)}",
                f"--order lists the class's groups once each ({', '.join(groups)}),"
                f" not {', '.join(chosen)}",
            )
        )
    return Lesson(info.id, minutes, budget, [Slot(g) for g in chosen])


def load_lesson(store: ClassStore, class_id: str) -> Lesson | None:
    """Return the class's saved lesson, or ``None``."""
    data = store.get_lesson(class_id)
    return None if data is None else Lesson.from_store(data)


def save_lesson(store: ClassStore, lesson: Lesson) -> None:
    """Save the lesson's state (after every step, so a restart goes on from there)."""
    store.save_lesson(lesson.class_id, lesson.to_store())


def open_rating(lesson: Lesson, session: Session) -> None:
    """Open the rating of ``session``: the group on stage has performed."""
    slot = lesson.current_slot()
    if slot is None or slot.group_id != session.group_id:
        raise UsageError(tr("这一组不在台上", "that group is not on stage"))
    slot.status, slot.session_id, slot.drills = "rating", session.id, slot.drills + 1


def finish_group(lesson: Lesson) -> None:
    """Close the rating of the group on stage and move to the next waiting group."""
    slot = lesson.current_slot()
    if slot is not None and slot.status == "rating":
        slot.status = "done"
    _advance(lesson)


def skip_group(lesson: Lesson) -> None:
    """Skip the group on stage (absent, not ready) and move on."""
    slot = lesson.current_slot()
    if slot is not None:
        slot.status = "skipped"
    _advance(lesson)


def go_to_group(lesson: Lesson, group_id: str) -> None:
    """Put ``group_id`` on stage next (to repeat it, or to take a skipped group after all)."""
    for index, slot in enumerate(lesson.slots):
        if slot.group_id == group_id:
            current = lesson.current_slot()
            if current is not None and current.status == "rating":
                current.status = "done"
            slot.status = "waiting"
            lesson.current, lesson.finished_at = index, ""
            return
    raise UsageError(
        tr(
            f"本节课没有{group_id}；可选：{', '.join(s.group_id for s in lesson.slots)}",
            f"no group {group_id} in this lesson; the groups:"
            f" {', '.join(s.group_id for s in lesson.slots)}",
        )
    )


def _advance(lesson: Lesson) -> None:
    later = [i for i in range(lesson.current + 1, len(lesson.slots)) if _waiting(lesson, i)]
    earlier = [i for i in range(len(lesson.slots)) if _waiting(lesson, i)]
    following = later or earlier
    lesson.current = following[0] if following else len(lesson.slots)
    if lesson.finished and not lesson.finished_at:
        lesson.finished_at = now_iso()


def _waiting(lesson: Lesson, index: int) -> bool:
    return lesson.slots[index].status == "waiting"


def open_session(store: ClassStore, class_id: str) -> Session | None:
    """Return the session whose rating the lesson has open (what ``finsim rate`` offers)."""
    lesson = load_lesson(store, class_id)
    session_id = lesson.open_session_id() if lesson else None
    return store.get_session(session_id) if session_id is not None else None


@dataclass(frozen=True)
class Progress:
    """Who has rated a session and who has not; whether the teacher has graded it."""

    rated: list[Student]
    missing: list[Student]
    graded: bool


def rating_progress(store: ClassStore, session: Session) -> Progress:
    """Split the raters of ``session`` (all outside its group) by whether they have rated."""
    members = store.list_members(session.class_id)
    own = {m.student_id for m in members if m.group_id == session.group_id}
    ratings = [r for r in store.list_ratings(session.class_id) if r.session_id == session.id]
    done = {r.rater_id for r in ratings if r.form == "peer"}
    raters = [s for s in store.list_students(session.class_id) if s.student_id not in own]
    return Progress(
        rated=[s for s in raters if s.student_id in done],
        missing=[s for s in raters if s.student_id not in done],
        graded=any(r.form == "teacher" for r in ratings),
    )
