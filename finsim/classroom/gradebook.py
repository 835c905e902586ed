"""The grade book: every group's auto, peer, teacher and final score, and every student's grade.

For each group the **latest registered session** counts (earlier ones stay in
the store and can be rated, but do not enter the grade). With scores on the
0–100 scale (docs/grading.md):

* auto    = auto points / auto maximum × 100;
* peer    = the peer aggregation (trimmed mean by default) of each peer
  rater's form total / form maximum × 100;
* teacher = the mean of the teacher ratings' total / maximum × 100;
* group   = Σ w·part / Σ w over the parts present (weights renormalised);
  a teacher's override replaces it;
* student = (1 − β)·group + β·S, where S is the auto score of the steps the
  student managed (their points / their maximum × 100); a student who managed
  no step, or a session without auto score, gets the group score.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from finsim import __version__
from finsim.classroom.aggregate import aggregate, blend, percent, student_grade
from finsim.classroom.agreement import krippendorff_alpha, pearson, spearman
from finsim.classroom.quality import RaterQuality, rater_quality
from finsim.classroom.settings import ClassSettings
from finsim.scoring.rubric import Form
from finsim.store import ClassInfo, ClassStore, Member, Override, Rating, Session, Student, now_iso

GRADEBOOK_SCHEMA = "finsim/gradebook@1"


@dataclass(frozen=True)
class CriterionBar:
    """One form item of a group: the peer and teacher marks as percentages of its maximum."""

    key: str
    label: str
    max_points: float
    peer: float | None
    teacher: float | None


@dataclass(frozen=True)
class Comment:
    """A rater's comment on a session."""

    rater_id: str
    form: str
    text: str


@dataclass(frozen=True)
class GroupGrade:
    """A group's row of the grade book."""

    group_id: str
    members: list[str]
    session_id: int | None
    auto: float | None
    peer: float | None
    peer_raters: int
    teacher: float | None
    teacher_raters: int
    computed: float | None
    override: Override | None
    final: float | None
    weights: dict[str, float]
    flags: list[str]
    criteria: list[CriterionBar] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)


@dataclass(frozen=True)
class StudentGrade:
    """A student's row of the grade book."""

    student_id: str
    name: str
    email: str
    group_id: str | None
    parts: str
    steps_score: float | None
    group_score: float | None
    final: float | None
    rated: int
    can_rate: int
    flags: list[str]


@dataclass(frozen=True)
class Agreement:
    """How far the voices agree (``None`` where a statistic is undefined)."""

    alpha_totals: float | None
    alpha_items: float | None
    auto_teacher_pearson: float | None
    auto_teacher_spearman: float | None
    auto_teacher_pairs: int


@dataclass(frozen=True)
class GradeBook:
    """Everything a report shows."""

    class_id: str
    class_name: str
    settings: ClassSettings
    groups: list[GroupGrade]
    students: list[StudentGrade]
    raters: list[RaterQuality]
    agreement: Agreement
    generated_at: str = field(default_factory=now_iso)
    program_version: str = __version__


def form_of(session: Session, kind: str) -> Form | None:
    """Return the session's form of this kind, if it was registered with one."""
    data = session.detail.get("forms", {}).get(kind)
    return Form.model_validate(data) if data else None


def latest_sessions(sessions: Sequence[Session]) -> dict[str, Session]:
    """Return each group's latest registered session."""
    latest: dict[str, Session] = {}
    for session in sessions:
        if session.group_id not in latest or session.id > latest[session.group_id].id:
            latest[session.group_id] = session
    return latest


def _peer_table(ratings: Sequence[Rating]) -> dict[int, dict[str, float]]:
    table: dict[int, dict[str, float]] = {}
    for r in ratings:
        value = percent(r.total, r.max_total)
        if r.form == "peer" and value is not None:
            table.setdefault(r.session_id, {})[r.rater_id] = value
    return table


def _criteria(
    session: Session, ratings: Sequence[Rating], settings: ClassSettings
) -> list[CriterionBar]:
    peer_form, teacher_form = form_of(session, "peer"), form_of(session, "teacher")
    items = {i.key: i for form in (teacher_form, peer_form) if form for i in form.items}
    order = [i.key for form in (peer_form, teacher_form) if form for i in form.items]
    bars: list[CriterionBar] = []
    for key in dict.fromkeys(order):
        item = items[key]

        def marks(kind: str, key: str = key, top: float = item.max_points) -> list[float]:
            return [
                100 * r.scores[key] / top for r in ratings if r.form == kind and key in r.scores
            ]

        peer = aggregate(marks("peer"), settings.peer_aggregation, settings.trim_min_raters)
        teacher_marks = marks("teacher")
        teacher = statistics.fmean(teacher_marks) if teacher_marks else None
        bars.append(CriterionBar(key, item.label, item.max_points, peer, teacher))
    return bars


def _group_grade(
    group_id: str,
    members: list[str],
    session: Session | None,
    ratings: Sequence[Rating],
    override: Override | None,
    settings: ClassSettings,
) -> GroupGrade:
    if session is None:
        return GroupGrade(
            group_id, members, None, None, None, 0, None, 0, None, None, None, {}, ["no_session"]
        )
    mine = [r for r in ratings if r.session_id == session.id]
    peer_values = [
        v for r in mine if r.form == "peer" and (v := percent(r.total, r.max_total)) is not None
    ]
    teacher_values = [
        v for r in mine if r.form == "teacher" and (v := percent(r.total, r.max_total)) is not None
    ]
    parts = {
        "auto": percent(session.auto_total, session.auto_max or 0)
        if session.auto_total is not None
        else None,
        "peer": aggregate(peer_values, settings.peer_aggregation, settings.trim_min_raters),
        "teacher": statistics.fmean(teacher_values) if teacher_values else None,
    }
    computed, weights = blend(parts, settings.weights.as_dict())
    flags = [f"no_{k}" for k, v in parts.items() if v is None]
    if override is not None:
        flags.append("override")
    return GroupGrade(
        group_id=group_id,
        members=members,
        session_id=session.id,
        auto=parts["auto"],
        peer=parts["peer"],
        peer_raters=len(peer_values),
        teacher=parts["teacher"],
        teacher_raters=len(teacher_values),
        computed=computed,
        override=override,
        final=override.points if override is not None else computed,
        weights=weights,
        flags=flags,
        criteria=_criteria(session, mine, settings),
        comments=[Comment(r.rater_id, r.form, r.comment) for r in mine if r.comment],
    )


def _step_matches(ref: str, index: int, step_id: str) -> bool:
    return ref == step_id or ref == str(index + 1)


def managed_steps_score(
    session: Session | None, parts: Sequence[Member | Mapping[str, Any]]
) -> float | None:
    """Return the auto score (0–100) of the steps a student managed, or ``None``."""
    auto = session.detail.get("auto") if session else None
    if not auto or not auto.get("steps"):
        return None
    managed = [p for p in parts if _get(p, "role") == "manager"]
    if not managed:
        return None
    refs = [ref for p in managed for ref in _get(p, "steps")]
    if any(not _get(p, "steps") for p in managed):
        return percent(float(auto["total"]), float(auto["max"]))
    chosen = [
        s for i, s in enumerate(auto["steps"]) if any(_step_matches(r, i, s["id"]) for r in refs)
    ]
    if not chosen:
        return None
    return percent(sum(float(s["points"]) for s in chosen), sum(float(s["max"]) for s in chosen))


def _get(part: Member | Mapping[str, Any], name: str) -> Any:
    return part.get(name) if isinstance(part, Mapping) else getattr(part, name)


def describe_parts(parts: Sequence[Member | Mapping[str, Any]]) -> str:
    """Return the parts a student played, e.g. ``manager:1,2; client:3``."""
    return "; ".join(f"{_get(p, 'role')}:{','.join(_get(p, 'steps')) or '*'}" for p in parts)


def _student_parts(
    student_id: str, session: Session | None, members: Sequence[Member]
) -> list[Any]:
    """Return the parts a student played in the session: the transcript's, else the group's."""
    if session is not None:
        from_header = [
            p for p in session.detail.get("participants", []) if p.get("id") == student_id
        ]
        if from_header:
            return from_header
    return [m for m in members if m.student_id == student_id]


def build_gradebook(store: ClassStore, info: ClassInfo, settings: ClassSettings) -> GradeBook:
    """Compute the grade book of a class from the store."""
    students = store.list_students(info.id)
    members = store.list_members(info.id)
    sessions = store.list_sessions(info.id)
    ratings = store.list_ratings(info.id)
    latest = latest_sessions(sessions)
    counted = {s.id for s in latest.values()}
    overrides = {o.session_id: o for o in store.list_overrides(info.id)}  # later ones win
    group_members: dict[str, list[str]] = {}
    for m in members:
        if m.student_id not in group_members.setdefault(m.group_id, []):
            group_members[m.group_id].append(m.student_id)
    groups = [
        _group_grade(
            g,
            ids,
            latest.get(g),
            ratings,
            overrides.get(latest[g].id) if g in latest else None,
            settings,
        )
        for g, ids in sorted(group_members.items(), key=lambda kv: _natural(kv[0]))
    ]
    table = _peer_table([r for r in ratings if r.session_id in counted])
    quality = rater_quality(table, settings.flags)
    return GradeBook(
        class_id=info.id,
        class_name=info.name,
        settings=settings,
        groups=groups,
        students=_students(students, members, latest, groups, ratings, quality, settings),
        raters=list(quality.values()),
        agreement=_agreement(
            table,
            [r for r in ratings if r.session_id in counted],
            {s.id: form_of(s, "peer") for s in latest.values()},
            groups,
        ),
    )


def _natural(text: str) -> tuple[Any, ...]:
    """Sort key: G2 before G10. A run of digits compares by length, then digit by digit.

    Never ``int()``: an id of 5,000 digits, or one with a ² in it, is text a roster may hold.
    """
    import re

    parts = re.split(r"([0-9]+)", text)
    return tuple(
        (len(p.lstrip("0")), p.lstrip("0")) if odd else p
        for odd, p in ((i % 2 == 1, p) for i, p in enumerate(parts))
    )


def _students(
    students: Sequence[Student],
    members: Sequence[Member],
    latest: Mapping[str, Session],
    groups: Sequence[GroupGrade],
    ratings: Sequence[Rating],
    quality: Mapping[str, RaterQuality],
    settings: ClassSettings,
) -> list[StudentGrade]:
    group_of = {m.student_id: m.group_id for m in members}
    final_of = {g.group_id: g.final for g in groups}
    counted = {s.id: s for s in latest.values()}
    rows: list[StudentGrade] = []
    for s in students:
        group = group_of.get(s.student_id)
        session = latest.get(group) if group else None
        parts = _student_parts(s.student_id, session, members)
        steps = managed_steps_score(session, parts)
        group_score = final_of.get(group) if group else None
        rated = sum(
            1
            for r in ratings
            if r.form == "peer" and r.rater_id == s.student_id and r.session_id in counted
        )
        can_rate = sum(1 for sess in counted.values() if sess.group_id != group)
        flags = list(quality[s.student_id].flags) if s.student_id in quality else []
        if group is None:
            flags.append("no_group")
        rows.append(
            StudentGrade(
                student_id=s.student_id,
                name=s.name,
                email=s.email,
                group_id=group,
                parts=describe_parts(parts),
                steps_score=steps,
                group_score=group_score,
                final=student_grade(group_score, steps, settings.step_weight),
                rated=rated,
                can_rate=can_rate,
                flags=flags,
            )
        )
    return sorted(rows, key=lambda r: (_natural(r.group_id or "~"), r.student_id))


def _agreement(
    table: Mapping[int, Mapping[str, float]],
    ratings: Sequence[Rating],
    forms: Mapping[int, Form | None],
    groups: Sequence[GroupGrade],
) -> Agreement:
    """Alpha over sessions (form totals) and over (session, item) units; auto against teacher."""
    items: dict[tuple[int, str], dict[str, float]] = {}
    for r in ratings:
        form = forms.get(r.session_id)
        if r.form != "peer" or form is None:
            continue
        for item in form.items:
            if item.key in r.scores:
                value = 100 * r.scores[item.key] / item.max_points
                items.setdefault((r.session_id, item.key), {})[r.rater_id] = value
    pairs = [(g.auto, g.teacher) for g in groups if g.auto is not None and g.teacher is not None]
    xs = [a for a, _ in pairs if a is not None]
    ys = [t for _, t in pairs if t is not None]
    return Agreement(
        alpha_totals=krippendorff_alpha(table),
        alpha_items=krippendorff_alpha(items),
        auto_teacher_pearson=pearson(xs, ys),
        auto_teacher_spearman=spearman(xs, ys),
        auto_teacher_pairs=len(pairs),
    )
