"""Rescoring one transcript: its manager lines through today's engine and rubric.

:func:`rescore` replays a saved drill — the same seed, the manager's lines (and
in pair mode the student-client's lines) in their order, the same step
changes and ending — through a fresh :class:`~finsim.drill.DrillSession` kept
in memory, then scores both the recorded and the replayed events. The result
puts the two side by side: per manager turn, the recognised intents, the
client's reply and what the engine found; per criterion, the points; and the
client's decision.

When the transcript was written by this version of finsim under the installed
judge (recogniser, library, model), the recorded annotations are reused and
only the rubric is applied again (nothing would change on a replay). Otherwise,
with the scenario embedded in the transcript (the default) and the same
rubric, a transcript written by this version of finsim replays to exactly
the same events, so the two scores are identical. A change shows what a new
recogniser, engine, scenario (``scenario=`` the current file) or rubric would
have made of last term's drills.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from finsim import __version__
from finsim.drill.session import DrillSession, judge_record
from finsim.errors import InputFileError, Location
from finsim.i18n import tr
from finsim.nlu import recogniser_for
from finsim.scenario.models import Scenario
from finsim.scoring.auto import auto_score
from finsim.scoring.loader import read_rubric
from finsim.scoring.report import ScoreReport
from finsim.scoring.rubric import Rubric
from finsim.transcript.model import (
    Annotations,
    EndEvent,
    Header,
    JudgeRecord,
    ResumeEvent,
    StepEvent,
    TurnEvent,
)
from finsim.transcript.reader import BodyEvent, Transcript, read_transcript
from finsim.transcript.writer import scenario_document, scenario_hash

RESCORE_SCHEMA = "finsim/rescore@1"

_COMPARED = ("revealed", "raised", "resolved", "key_points", "trust", "decision")
"""Annotation fields compared turn by turn besides intents and violations."""


@dataclass(frozen=True)
class TurnChange:
    """One manager turn whose reading changed: before and after, and which parts differ."""

    turn: int
    step: str
    text: str
    changed: list[str]
    old_intents: list[str]
    new_intents: list[str]
    old_reply: str | None
    new_reply: str | None
    old_notes: dict[str, object] = field(default_factory=dict)
    new_notes: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class PointsChange:
    """A step or criterion whose points changed (``key``: ``step`` or ``step/criterion``)."""

    key: str
    name: str
    old_points: float | None
    old_max: float | None
    new_points: float | None
    new_max: float | None


@dataclass(frozen=True)
class RescoreResult:
    """The recorded score and today's, side by side, with every difference."""

    path: Path | None
    scenario_id: str
    old: ScoreReport
    new: ScoreReport
    turns: list[TurnChange]
    points: list[PointsChange]
    scenario_changed: bool = False
    old_judge: JudgeRecord | None = None
    """What recognised the recorded lines (``None``: a transcript of format 1)."""
    new_judge: JudgeRecord | None = None
    """What recognised them now."""
    reused: bool = False
    """Whether the recorded annotations were reused (same finsim, same judge: no replay)."""

    @property
    def judge_changed(self) -> bool:
        """Whether today's recogniser, library or model differs from the recorded one."""
        return self.old_judge != self.new_judge

    @property
    def changed(self) -> bool:
        """Whether anything differs (a score, a turn's reading, the decision)."""
        return bool(self.turns or self.points) or self.old != self.new

    @property
    def delta(self) -> float:
        """New total minus old total."""
        return round(self.new.total - self.old.total, 2)


def rescore(
    transcript: Transcript | Path,
    rubric: Rubric | None = None,
    *,
    old_rubric: Rubric | None = None,
    scenario: Scenario | None = None,
    reuse: bool = False,
) -> RescoreResult:
    """Rescore a transcript (or a transcript file).

    With ``reuse``, a transcript written by this finsim under the installed
    judge keeps its recorded annotations and only the rubric is applied again
    (what batch rescoring under a new rubric needs); without it every line is
    read again, which also shows annotations edited by hand.

    ``rubric`` scores the replay (default: the shipped rubric); ``old_rubric``
    scores the recorded events (default: the same as ``rubric``, so only the
    engine's reading can differ). ``scenario`` replays under another version
    of the scenario (default: the one embedded in the transcript).
    """
    if isinstance(transcript, Path):
        transcript = read_transcript(transcript)
    rubric = rubric or read_rubric()
    recorded: list[Header | BodyEvent] = [transcript.header, *transcript.events]
    reused = reuse and scenario is None and _same_judge(transcript)
    replayed = recorded if reused else replay_events(transcript, scenario)
    old = auto_score(recorded, old_rubric or rubric)
    same_score = replayed is recorded and (old_rubric is None or old_rubric is rubric)
    new = old if same_score else auto_score(replayed, rubric)
    return RescoreResult(
        path=transcript.path,
        scenario_id=transcript.header.scenario_id,
        old=old,
        new=new,
        turns=compare_turns(transcript.events, replayed[1:]),
        points=compare_points(old, new),
        scenario_changed=scenario is not None
        and scenario_hash(scenario) != transcript.header.scenario_hash,
        old_judge=transcript.header.judge,
        new_judge=replayed[0].judge if isinstance(replayed[0], Header) else None,
        reused=reused,
    )


def _same_judge(transcript: Transcript) -> bool:
    """Whether the recorded annotations are what this finsim would write again.

    True when the transcript was written by this version of finsim and its judge
    (recogniser version, library hash, model id) is the one installed: then the
    replay would reproduce every event, so rescoring only re-applies the rubric.
    """
    header = transcript.header
    if header.judge is None or header.program_version != __version__:
        return False
    today = _judges.get(header.scenario_hash)
    if today is None:
        today = judge_record(recogniser_for(transcript.scenario()).judge)
        _judges[header.scenario_hash] = today
    return today == header.judge


_judges: dict[str, JudgeRecord] = {}
"""Today's judge per embedded-scenario hash, so a worker builds each recogniser once."""


class _Clock:
    """The drill time of the event being replayed (so replayed events keep their times)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class _MemorySession(DrillSession):
    """A drill session that keeps its events in a list: no file, no fsync."""

    events: list[BodyEvent]

    @classmethod
    def start(cls, header: Header, scenario: Scenario, clock: _Clock) -> _MemorySession:
        session = cls.__new__(cls)
        session._setup(scenario, header, clock, elapsed_before=0.0)
        session.events = []
        return session

    def _write(self, event: TurnEvent | StepEvent | EndEvent | ResumeEvent) -> None:
        self.events.append(event.model_copy(update={"seq": len(self.events) + 1}))

    def close(self) -> None:
        """Nothing to release."""


def replay_events(
    transcript: Transcript, scenario: Scenario | None = None
) -> list[Header | BodyEvent]:
    """Replay a transcript's inputs through a fresh session; return header and new events.

    Inputs are the step changes, the manager's lines, the student-client's lines
    (pair mode) and the final ending; the client's replies and the engine's
    annotations are produced anew. Resume events and intermediate (interrupted)
    endings are kept as they were.
    """
    header = transcript.header
    if scenario is not None:
        header = header.model_copy(
            update={
                "scenario": scenario_document(scenario),
                "scenario_hash": scenario_hash(scenario),
            }
        )
    clock = _Clock()
    session = _MemorySession.start(header, scenario or transcript.scenario(), clock)
    header = header.model_copy(update={"judge": judge_record(session.judge)})
    last = len(transcript.events) - 1
    for index, event in enumerate(transcript.events):
        clock.now = event.t
        _drive(session, event, final=index == last, path=transcript.path)
    return [header, *session.events]


def _drive(session: _MemorySession, event: BodyEvent, *, final: bool, path: Path) -> None:
    if isinstance(event, StepEvent):
        session.opening()
        while session.step_index < event.index and not session.is_last_step:
            session.next_step()
        if session.step_index != event.index:
            raise InputFileError(
                tr(
                    f"事件 {event.seq}：无法重放到第 {event.index + 1} 步",
                    f"event {event.seq}: cannot replay to step {event.index + 1}",
                ),
                Location(path),
            )
    elif isinstance(event, TurnEvent) and event.speaker == "manager":
        session.manager_says(event.text)
    elif isinstance(event, TurnEvent) and event.speaker == "client":
        if session.mode == "pair":
            session.client_says(event.text)
    elif isinstance(event, EndEvent) and final:
        session.end(event.reason)
    elif not isinstance(event, TurnEvent) or event.speaker == "system":
        session.events.append(event.model_copy(update={"seq": len(session.events) + 1}))


def compare_turns(
    recorded: Sequence[BodyEvent], replayed: Sequence[Header | BodyEvent]
) -> list[TurnChange]:
    """Return the manager turns whose intents, reply or annotations differ."""
    old, new = _manager_turns(recorded), _manager_turns(replayed)
    changes = []
    for number in sorted(set(old) | set(new)):
        before, after = old.get(number), new.get(number)
        change = _turn_change(number, before, after)
        if change is not None:
            changes.append(change)
    return changes


_Exchange = tuple[TurnEvent, str | None]
"""A manager turn and the client's reply to it (``None``: no reply recorded)."""


def _manager_turns(events: Sequence[object]) -> dict[int, _Exchange]:
    turns: dict[int, _Exchange] = {}
    for event in events:
        if not isinstance(event, TurnEvent):
            continue
        if event.speaker == "manager":
            turns[event.turn] = (event, None)
        elif event.speaker == "client" and event.turn in turns and turns[event.turn][1] is None:
            turns[event.turn] = (turns[event.turn][0], event.text)
    return turns


def _turn_change(
    number: int, before: _Exchange | None, after: _Exchange | None
) -> TurnChange | None:
    old_notes = _notes(before[0].annotations) if before else {}
    new_notes = _notes(after[0].annotations) if after else {}
    old_reply = before[1] if before else None
    new_reply = after[1] if after else None
    changed = [
        key
        for key in old_notes.keys() | new_notes.keys()
        if old_notes.get(key) != new_notes.get(key)
    ]
    if old_reply != new_reply:
        changed.append("reply")
    if before is None or after is None:
        changed.append("turn")
    if not changed:
        return None
    line = before[0] if before else after[0] if after else None
    assert line is not None
    return TurnChange(
        turn=number,
        step=line.step,
        text=line.text,
        changed=sorted(changed),
        old_intents=_intents(before),
        new_intents=_intents(after),
        old_reply=old_reply,
        new_reply=new_reply,
        old_notes=old_notes,
        new_notes=new_notes,
    )


def _intents(exchange: _Exchange | None) -> list[str]:
    notes = exchange[0].annotations if exchange else None
    return [i.id for i in notes.intents] if notes else []


def _notes(annotations: Annotations | None) -> dict[str, object]:
    """Return the compared parts of a turn's annotations, as plain values."""
    if annotations is None:
        return {}
    notes: dict[str, object] = {
        "intents": [i.id for i in annotations.intents],
        "violations": [v.id for v in annotations.violations],
    }
    for key in _COMPARED:
        notes[key] = getattr(annotations, key)
    return notes


def compare_points(old: ScoreReport, new: ScoreReport) -> list[PointsChange]:
    """Return every step and criterion whose points or maximum changed, in report order."""
    before, after = _points(old), _points(new)
    changes = []
    for key in [*before, *(k for k in after if k not in before)]:
        a, b = before.get(key), after.get(key)
        if a is None or b is None or a[1:] != b[1:]:
            changes.append(
                PointsChange(
                    key=key,
                    name=a[0] if a else b[0] if b else key,
                    old_points=a[1] if a else None,
                    old_max=a[2] if a else None,
                    new_points=b[1] if b else None,
                    new_max=b[2] if b else None,
                )
            )
    return changes


def _points(report: ScoreReport) -> dict[str, tuple[str, float, float]]:
    table: dict[str, tuple[str, float, float]] = {}
    for step in report.steps:
        table[step.id] = (step.name, step.points, step.max)
        for c in step.criteria:
            table[f"{step.id}/{c.id}"] = (f"{step.name} · {c.name}", c.points, c.max)
    for c in report.overall:
        table[f"overall/{c.id}"] = (c.name, c.points, c.max)
    return table
