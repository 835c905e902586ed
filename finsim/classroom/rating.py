"""Peer ratings and teacher grades: who may rate, checking the scores, saving.

A student never rates their own group; a rater rates a session once per form
(rating again replaces the earlier rating, after confirmation). Scores are
checked against the form the session was registered with: every item, each
within 0…its maximum.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from finsim.classroom.sessions import session_form
from finsim.errors import NotFoundError, UsageError
from finsim.i18n import tr
from finsim.scoring.rubric import Form, FormItem, FormKind
from finsim.store import ClassStore, Override, Rating, Session, Student
from finsim.vocabulary import group_zh

MAX_COMMENT = 2000


def parse_scores(text: str, form: Form) -> dict[str, float]:
    """Parse ``key=value,key=value`` (also ``;`` or ``，``) and check it against ``form``."""
    scores: dict[str, float] = {}
    for part in text.replace("；", ",").replace(";", ",").replace("，", ",").split(","):
        if not part.strip():
            continue
        key, sep, value = part.replace("＝", "=").partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(
                tr(
                    f"--scores 中 “{part.strip()}” 应写成 项目=分数",
                    f"--scores: '{part.strip()}' should be key=points",
                )
            )
        if key in scores:
            raise UsageError(tr(f"--scores 中项目 {key} 重复", f"--scores: {key} is given twice"))
        scores[key] = _number(key, value.strip())
    check_scores(scores, form)
    return scores


def _number(key: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise UsageError(
            tr(
                f"--scores 中 {key} 的分数 “{text}” 不是数字",
                f"--scores: {key}: '{text}' is not a number",
            )
        )
    return value


def form_keys(form: Form) -> str:
    """Return the form's items as ``key（0–max）`` for messages."""
    return tr("、", ", ").join(
        tr(f"{i.key}（0–{i.max_points:g}）", f"{i.key}(0–{i.max_points:g})") for i in form.items
    )


def check_scores(scores: Mapping[str, float], form: Form) -> None:
    """Fail unless ``scores`` gives every item of ``form`` a value within its range."""
    known = {item.key for item in form.items}
    unknown = [key for key in scores if key not in known]
    if unknown:
        raise UsageError(
            tr(
                f"表单中没有项目 {'、'.join(unknown)}；应有：{form_keys(form)}",
                f"the form has no item {', '.join(unknown)}; its items: {form_keys(form)}",
            )
        )
    missing = [item.key for item in form.items if item.key not in scores]
    if missing:
        raise UsageError(
            tr(
                f"缺少项目 {'、'.join(missing)} 的分数；应有：{form_keys(form)}",
                f"no score for {', '.join(missing)}; the items: {form_keys(form)}",
            )
        )
    for item in form.items:
        value = scores[item.key]
        if not 0 <= value <= item.max_points:
            raise UsageError(
                tr(
                    f"{item.key}（{item.label}）的分数 {value:g} 超出范围 0–{item.max_points:g}",
                    f"{item.key} ({item.label}): {value:g} is outside 0–{item.max_points:g}",
                )
            )


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters other than tab and newline: a terminal would obey them when shown."""


def clean_text(text: str) -> str:
    """Return ``text`` stripped, without control characters (a Windows line end becomes LF)."""
    return CONTROL.sub("", text.replace("\r\n", "\n")).strip()


def check_comment(comment: str) -> str:
    """Return the comment cleaned (:func:`clean_text`); fail if it is too long."""
    comment = clean_text(comment)
    if len(comment) > MAX_COMMENT:
        raise UsageError(
            tr(
                f"点评过长（最多 {MAX_COMMENT} 字）",
                f"the comment is too long (at most {MAX_COMMENT})",
            )
        )
    return comment


def group_of(store: ClassStore, class_id: str, student_id: str) -> str | None:
    """Return the group a student belongs to, if any."""
    for member in store.list_members(class_id):
        if member.student_id == student_id:
            return member.group_id
    return None


def find_student(store: ClassStore, class_id: str, student_id: str) -> Student:
    """Return the roster entry of ``student_id``; fail clearly if there is none."""
    for student in store.list_students(class_id):
        if student.student_id == student_id:
            return student
    raise NotFoundError(
        tr(
            f"学号 {student_id} 不在班级 {class_id} 的名单中",
            f"student {student_id} is not on the roster of class {class_id}",
        )
    )


def check_peer_rater(store: ClassStore, session: Session, rater_id: str) -> Student:
    """Allow a peer rating only from a student of the class who is not in the session's group."""
    student = find_student(store, session.class_id, rater_id)
    own = group_of(store, session.class_id, rater_id)
    in_transcript = any(p.get("id") == rater_id for p in session.detail.get("participants", []))
    if own == session.group_id or in_transcript:
        raise UsageError(
            tr(
                f"{student.name}（{rater_id}）是 {group_zh(session.group_id)}成员，不能给本组评分；"
                "请选择其他小组的演练",
                f"{student.name} ({rater_id}) is in group {session.group_id} and cannot rate "
                "their own group: pick another group's session",
            )
        )
    return student


def get_session(store: ClassStore, session_id: int) -> Session:
    """Return a session by id; fail clearly if there is none."""
    session = store.get_session(session_id)
    if session is None:
        raise NotFoundError(
            tr(
                f"没有编号为 {session_id} 的演练会话（用 finsim report 查看）",
                f"no session {session_id} (see finsim report)",
            )
        )
    return session


@dataclass(frozen=True)
class SavedRating:
    """A rating as saved, and whether it replaced an earlier one."""

    rating: Rating
    replaced: bool


def save_rating(
    store: ClassStore,
    session: Session,
    rater_id: str,
    kind: FormKind,
    scores: Mapping[str, float],
    comment: str,
) -> SavedRating:
    """Check and store a rating, replacing this rater's earlier one on the same form."""
    form = session_form(session, kind)
    check_scores(scores, form)
    rating = Rating(
        session_id=session.id,
        rater_id=rater_id,
        form=kind,
        scores=dict(scores),
        total=sum(scores.values()),
        max_total=form.max_total,
        comment=check_comment(comment),
    )
    replaced = store.save_rating(rating, replace=True)
    return SavedRating(rating, replaced)


def record_override(
    store: ClassStore, session: Session, points: float, reason: str, by: str
) -> Override:
    """Record the teacher's override of a session's final score (0–100), with a reason."""
    if not math.isfinite(points) or not 0 <= points <= 100:
        raise UsageError(
            tr(
                f"--override 应在 0 到 100 之间，而不是 {points:g}",
                f"--override must be 0…100, not {points:g}",
            )
        )
    if not clean_text(reason):
        raise UsageError(
            tr("改分必须写明理由（--reason）", "an override needs a reason (--reason)")
        )
    override = Override(session.id, points, clean_text(reason), by)
    store.add_override(override)
    return override


AskPoints = Callable[[FormItem], float]
AskText = Callable[[str], str]


def fill_form(
    form: Form, ask_points: AskPoints, ask_comment: AskText
) -> tuple[dict[str, float], str]:
    """Fill ``form`` through the given prompts (the CLI passes questionary ones)."""
    scores = {item.key: ask_points(item) for item in form.items}
    check_scores(scores, form)
    comment = ask_comment(form.comment_prompt or tr("点评", "Comment")) if form.comment else ""
    return scores, check_comment(comment)
