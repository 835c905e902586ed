"""A session as a document: what the Markdown and HTML exports (and the showcase) print.

:func:`build_document` turns a transcript, its auto score and its comments into
plain strings arranged for reading: facts about the session, the dialogue
under step headings, the score card and the comments. The formats only lay
these strings out (and escape them); with :class:`Pseudonyms` every student's
name and id is replaced, in the dialogue and comments too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from finsim.clock import shown_time
from finsim.export.anonymize import Pseudonyms
from finsim.export.comments import Comment
from finsim.i18n import tr
from finsim.scenario.models import Scenario
from finsim.scoring.auto import fmt
from finsim.scoring.card import card_rows
from finsim.scoring.report import ScoreReport
from finsim.scoring.rubric import level_label
from finsim.transcript.model import EndEvent, Participant, ResumeEvent, StepEvent, TurnEvent
from finsim.transcript.reader import Transcript
from finsim.vocabulary import (
    decision_name,
    end_reason_name,
    mode_name,
    name_in,
    role_name,
)

_Scrub = Callable[[str], str]

_FORMS = {
    "teacher": ("教师评分", "Teacher"),
    "peer": ("同学互评", "Peer"),
    "client_roleplay": ("客户扮演评价", "Client role-play"),
}


@dataclass(frozen=True)
class DocLine:
    """One utterance: who (``客户经理（张三）``), when (``m:ss``), what, and its violations."""

    speaker: str
    label: str
    clock: str
    text: str
    violations: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DocStep:
    """A step heading, its objective and the dialogue under it (notes: an interruption)."""

    heading: str
    objective: str
    lines: list[DocLine | str] = field(default_factory=list)


@dataclass(frozen=True)
class ScoreCard:
    """The auto score as text: headline, one row per step or overall criterion, and the rest."""

    headline: str
    columns: list[str]
    rows: list[list[str]]
    violations: list[str]
    suggestions: list[str]
    details: list[str]

    def sections(self) -> list[tuple[str, list[str]]]:
        """Return the titled lists under the table: violations, suggestions, details."""
        sections = [
            (tr("违规", "Violations"), self.violations or [tr("未发现违规", "none")]),
            (tr("改进建议", "Suggestions"), self.suggestions),
            (tr("评分明细", "Details"), self.details),
        ]
        return [(title, items) for title, items in sections if items]


@dataclass(frozen=True)
class DocComment:
    """A rating: form and rater, the points, the comment."""

    heading: str
    points: str
    text: str


@dataclass(frozen=True)
class SessionDoc:
    """Everything a reader sees of one session."""

    title: str
    facts: list[tuple[str, str]]
    steps: list[DocStep]
    score: ScoreCard | None
    comments: list[DocComment]


def build_document(
    transcript: Transcript,
    report: ScoreReport | None,
    comments: Sequence[Comment] = (),
    pseudonyms: Pseudonyms | None = None,
) -> SessionDoc:
    """Arrange a session for reading (anonymised when ``pseudonyms`` is given)."""
    scenario = transcript.scenario()
    people = _People(transcript.header.participants, pseudonyms)
    return SessionDoc(
        title=scenario.title,
        facts=_facts(transcript, scenario, people),
        steps=_steps(transcript, scenario, people),
        score=None if report is None else _score_card(report, people.scrub),
        comments=[_comment(c, people) for c in comments],
    )


class _People:
    """Names of the participants as printed: real, or pseudonyms with the text scrubbed."""

    def __init__(self, participants: list[Participant], pseudonyms: Pseudonyms | None) -> None:
        self.participants = participants
        self.pseudonyms = pseudonyms

    def name(self, student_id: str, name: str) -> str:
        if self.pseudonyms is not None:
            return self.pseudonyms.of(student_id, name)
        return name or student_id

    def scrub(self, text: str) -> str:
        return self.pseudonyms.scrub(text) if self.pseudonyms is not None else text

    def player(self, role: str, step: str) -> str:
        """Who played ``role`` at ``step`` (a step-specific entry wins); '' if nobody is named."""
        mine = [p for p in self.participants if p.role == role]
        chosen = next((p for p in mine if step in p.steps), None)
        chosen = chosen or next((p for p in mine if not p.steps), None)
        return self.name(chosen.id, chosen.name) if chosen else ""


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _facts(transcript: Transcript, scenario: Scenario, people: _People) -> list[tuple[str, str]]:
    header = transcript.header
    sep = tr("、", ", ")
    rows = [
        (tr("场景", "Scenario"), tr("{}（{}）", "{} ({})").format(scenario.title, scenario.id)),
        (tr("时间", "Date"), shown_time(header.created_at)),
        (tr("模式", "Mode"), mode_name(header.mode)),
    ]
    if header.group:
        rows.append((tr("小组", "Group"), header.group))
    if header.participants:
        who = sep.join(
            tr("{}（{}）", "{} ({})").format(people.name(p.id, p.name), role_name(p.role))
            for p in header.participants
        )
        rows.append((tr("参与者", "Participants"), who))
    profile = scenario.persona.profile
    rows.append((tr("客户", "Client"), tr(f"{profile.name}，{profile.age} 岁", profile.name)))
    end = transcript.end
    if end is not None:
        rows.append((tr("结果", "Outcome"), _outcome(end, scenario)))
        rows.append((tr("结束方式", "Ended"), end_reason_name(end.reason)))
    else:
        rows.append((tr("结束方式", "Ended"), tr("没有正常结束", "did not end normally")))
    rows.append((tr("用时", "Time"), _clock(transcript.last_t)))
    return rows


def _outcome(end: EndEvent, scenario: Scenario) -> str:
    text = decision_name(end.outcome.decision)
    product = next((p.name for p in scenario.products if p.id == end.outcome.product), None)
    return text + (tr("：", ": ") + product if product else "")


def _steps(transcript: Transcript, scenario: Scenario, people: _People) -> list[DocStep]:
    steps: list[DocStep] = []
    client = f"{role_name('client')}·{scenario.persona.profile.name}"
    for event in transcript.events:
        if isinstance(event, StepEvent) or (isinstance(event, TurnEvent) and not steps):
            steps.append(_heading(scenario, event.step))
        if isinstance(event, TurnEvent):
            steps[-1].lines.append(_line(event, transcript.header.mode, client, people))
        elif isinstance(event, ResumeEvent) and steps:
            steps[-1].lines.append(tr("（演练中断后在此继续）", "(resumed here after a break)"))
    return steps


def _heading(scenario: Scenario, step_id: str) -> DocStep:
    index = next((i for i, s in enumerate(scenario.steps) if s.id == step_id), None)
    if index is None:
        return DocStep(heading=step_id, objective="")
    step = scenario.steps[index]
    total = len(scenario.steps)
    heading = tr(
        f"第 {index + 1}/{total} 步：{step.name}", f"Step {index + 1}/{total}: {step.name}"
    )
    return DocStep(heading=heading, objective=step.objective)


def _line(event: TurnEvent, mode: str, client: str, people: _People) -> DocLine:
    if event.speaker == "system":
        label = tr("系统", "System")
    elif event.speaker == "client" and mode != "pair":
        label = client
    else:
        who = people.player(event.speaker, event.step)
        label = f"{role_name(event.speaker)}（{who}）" if who else role_name(event.speaker)
    violations = [
        people.scrub(v.detail or v.id)
        for v in (event.annotations.violations if event.annotations else [])
    ]
    return DocLine(event.speaker, label, _clock(event.t), people.scrub(event.text), violations)


def _score_card(report: ScoreReport, scrub: _Scrub) -> ScoreCard:
    rows = [
        [row.label, row.points, row.level, scrub(row.note())]
        for row in card_rows(report, say_what_was_missing=True)
    ]
    violations = [
        tr(f"第{v.turn}轮 {v.name}", f"turn {v.turn}: {v.name}")
        + (tr("：", ": ") + scrub(v.detail) if v.detail and v.detail != v.name else "")
        for v in report.violations
    ]
    return ScoreCard(
        headline=tr(
            f"总分 {fmt(report.total)}/{fmt(report.max)}（{report.percent:g}%，{report.level}）",
            f"Total {fmt(report.total)}/{fmt(report.max)} "
            f"({report.percent:g}%, {level_label(report.level)})",
        ),
        columns=[
            tr("项目", "Item"),
            tr("得分", "Points"),
            tr("等级", "Level"),
            tr("说明", "Notes"),
        ],
        rows=rows,
        violations=violations,
        suggestions=[scrub(s) for s in report.suggestions],
        details=[scrub(line) for line in report.lines() if line],
    )


def _comment(comment: Comment, people: _People) -> DocComment:
    form = name_in(_FORMS, comment.form)
    if people.pseudonyms is not None and comment.form == "teacher":
        rater = ""  # the teacher is not a student: no pseudonym, and no name either
    else:
        rater = people.name(comment.rater_id, comment.rater_name)
    return DocComment(
        heading=f"{form} {rater}".strip(),
        points=f"{fmt(comment.total)}/{fmt(comment.max_total)}",
        text=people.scrub(comment.text),
    )
