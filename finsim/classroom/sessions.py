"""Registering drill transcripts as sessions of their group.

A session records where its transcript is (and its sha256, so registering the
same file twice is harmless), what the header says (scenario, mode, group,
participants and their steps), how the drill ended, the rating forms of the
rubric for that scenario (so ratings are checked against the form the session
was registered with, even if the rubric changes later), and the auto score.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from finsim.errors import NotFoundError, UsageError
from finsim.i18n import tr
from finsim.scoring.auto import auto_score
from finsim.scoring.forms import build_form
from finsim.scoring.rubric import Form, FormKind, Rubric
from finsim.store import ClassStore, NewSession, Session
from finsim.transcript import Header, Transcript, read_transcript
from finsim.vocabulary import group_zh


@dataclass(frozen=True)
class AutoResult:
    """The auto score in the shape the grade book keeps."""

    total: float
    max: float
    steps: list[dict[str, Any]]
    violations: list[dict[str, Any]]


Scorer = Callable[[Transcript, Rubric], AutoResult | None]
"""Scores a transcript under a rubric; ``None`` if no auto score can be given."""


@dataclass(frozen=True)
class TranscriptInfo:
    """What registration needs from a transcript."""

    path: Path
    sha256: str
    header: Header
    transcript: Transcript
    turns: int
    duration_s: float
    end: Mapping[str, Any] | None


def read_transcript_info(path: Path) -> TranscriptInfo:
    """Read a transcript (validated by :func:`finsim.transcript.read_transcript`) and sum it up."""
    transcript = read_transcript(path)
    end = transcript.end
    return TranscriptInfo(
        path=path,
        sha256=transcript.sha256(),
        header=transcript.header,
        transcript=transcript,
        turns=sum(1 for e in transcript.turns() if e.speaker == "manager"),
        duration_s=transcript.last_t,
        end=end.model_dump(mode="json") if end else None,
    )


def session_group(info: TranscriptInfo, option: str | None, groups: set[str]) -> str:
    """Return the session's group: the header's, else ``--group``; it must exist."""
    declared = info.header.group
    if declared and option and declared != option:
        raise UsageError(
            tr(
                f"{info.path}：记录属于 {group_zh(declared)}，与 --group {option} 不符",
                f"{info.path}: the transcript is group {declared}'s, not --group {option}'s",
            )
        )
    group = declared or option
    if not group:
        raise UsageError(
            tr(
                f"{info.path}：记录没有写明小组；请用 --group 指定",
                f"{info.path}: the transcript names no group: give one with --group",
            )
        )
    if group not in groups:
        known = "、".join(sorted(groups)) or tr("（尚未分组）", "(no groups yet)")
        raise NotFoundError(
            tr(
                f"{info.path}：班级中没有 {group_zh(group)}；已有：{known}"
                "（先运行 finsim class groups）",
                f"{info.path}: the class has no group {group}; it has: {known} "
                "(run finsim class groups first)",
            )
        )
    return group


def forms_for(rubric: Rubric, info: TranscriptInfo) -> dict[str, dict[str, Any]]:
    """Return the rubric's forms for the transcript's scenario, as dicts to keep."""
    from finsim.scenario.models import Scenario

    try:
        scenario: Scenario | None = Scenario.model_validate(info.header.scenario)
    except ValidationError:
        scenario = None  # an old or partial scenario: the rubric's own step items apply
    kinds: tuple[FormKind, ...] = ("peer", "teacher", "client_roleplay")
    return {kind: build_form(rubric, kind, scenario).model_dump(mode="json") for kind in kinds}


def session_form(session: Session, kind: FormKind) -> Form:
    """Return the form a session was registered with."""
    forms = session.detail.get("forms", {})
    if kind not in forms:
        raise NotFoundError(
            tr(f"会话 {session.id} 没有“{kind}”表单", f"session {session.id} has no {kind} form")
        )
    return Form.model_validate(forms[kind])


def register_session(
    store: ClassStore,
    class_id: str,
    path: Path,
    rubric: Rubric,
    *,
    group: str | None = None,
    scorer: Scorer | None = None,
) -> Session:
    """Register one transcript as a session of its group, with its forms and auto score."""
    info = read_transcript_info(path)
    groups = {m.group_id for m in store.list_members(class_id)}
    group_id = session_group(info, group, groups)
    auto = (scorer or default_scorer)(info.transcript, rubric)
    header = info.header
    detail: dict[str, Any] = {
        "scenario_title": str(header.scenario.get("title", header.scenario_id)),
        "participants": [p.model_dump(mode="json") for p in header.participants],
        "turns": info.turns,
        "duration_s": info.duration_s,
        "end": dict(info.end) if info.end else None,
        "rubric_id": rubric.id,
        "forms": forms_for(rubric, info),
        "auto": None if auto is None else auto.__dict__,
    }
    return store.add_session(
        NewSession(
            class_id=class_id,
            group_id=group_id,
            transcript_path=str(path.resolve()),
            transcript_sha256=info.sha256,
            scenario_id=header.scenario_id,
            mode=header.mode,
            created_at=header.created_at,
            auto_total=None if auto is None else auto.total,
            auto_max=None if auto is None else auto.max,
            detail=detail,
        )
    )


def default_scorer(transcript: Transcript, rubric: Rubric) -> AutoResult:
    """Score with the rubric engine's :func:`~finsim.scoring.auto.auto_score`."""
    report = auto_score(transcript, rubric)
    return AutoResult(
        total=float(report.total),
        max=float(report.max),
        steps=[
            {"id": s.id, "name": s.name, "points": float(s.points), "max": float(s.max)}
            for s in report.steps
        ],
        violations=[
            {"id": v.id, "name": v.name, "turn": v.turn, "step": v.step} for v in report.violations
        ],
    )
