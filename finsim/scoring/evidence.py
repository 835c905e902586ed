"""What the auto-scorer reads from a transcript: turns, annotations, outcome, metrics.

Everything comes from the transcript alone: the header embeds the scenario as
it was played, so a later edit of the scenario file never changes a score.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Protocol

from pydantic import ValidationError

from finsim.errors import InputFileError, Location
from finsim.i18n import tr
from finsim.scenario.loader import load_base_library
from finsim.scenario.models import Roles, Scenario
from finsim.transcript.model import (
    Annotations,
    EndEvent,
    Header,
    Outcome,
    ResumeEvent,
    StepEvent,
    TurnEvent,
)
from finsim.validation import plain_errors

BodyEvent = TurnEvent | StepEvent | EndEvent | ResumeEvent

_QUESTION_END = re.compile(r"[吗呢么][\s。.!！~～…]*$")
_SPACE = re.compile(r"\s+")


class TranscriptLike(Protocol):
    """Anything with a header and the events after it (the transcript reader's result)."""

    @property
    def header(self) -> Header:
        """The first line."""
        ...

    @property
    def events(self) -> Sequence[BodyEvent]:
        """Every line after the header, in file order."""
        ...


@dataclass(frozen=True)
class Turn:
    """One utterance with its annotations (if any) and the intent ids recognised in it."""

    turn: int
    speaker: str
    step: str
    text: str
    annotations: Annotations | None

    @cached_property
    def intents(self) -> frozenset[str]:
        """Recognised intent ids (manager turns only)."""
        if self.speaker != "manager" or self.annotations is None:
            return frozenset()
        return frozenset(i.id for i in self.annotations.intents)

    @property
    def chars(self) -> int:
        """Characters spoken, not counting white space."""
        return len(_SPACE.sub("", self.text))


@dataclass(frozen=True)
class Evidence:
    """A transcript prepared for scoring."""

    header: Header
    scenario: Scenario
    turns: tuple[Turn, ...]
    outcome: Outcome | None
    scenario_intents: frozenset[str] = field(default=frozenset())

    @classmethod
    def from_transcript(cls, transcript: TranscriptLike | Sequence[object]) -> Evidence:
        """Build from a reader's transcript, or from a list of events starting with the header."""
        if isinstance(transcript, Sequence):
            header, body = _split(transcript)
        else:
            header, body = transcript.header, list(transcript.events)
        try:
            scenario = Scenario.model_validate(header.scenario)
        except ValidationError as error:
            path = getattr(transcript, "path", None)  # a reader's transcript names its file
            raise InputFileError(
                tr(
                    "演练记录中嵌入的场景不完整或格式不对，无法评分：",
                    "the scenario embedded in the transcript is malformed; cannot score: ",
                )
                + plain_errors(error)[0]
                + tr("；请用原始文件", "; use the original file"),
                Location(path, 1) if isinstance(path, Path) else None,
            ) from None
        turns = tuple(
            Turn(e.turn, e.speaker, e.step, e.text, e.annotations)
            for e in body
            if isinstance(e, TurnEvent)
        )
        ends = [e for e in body if isinstance(e, EndEvent)]
        return cls(header, scenario, turns, ends[-1].outcome if ends else None)

    @cached_property
    def roles(self) -> Roles:
        """The roles intents play: the shipped library's, with the scenario's additions."""
        return load_base_library().roles.merged(self.scenario.roles)

    @cached_property
    def manager(self) -> tuple[Turn, ...]:
        """The manager's turns, in order."""
        return tuple(t for t in self.turns if t.speaker == "manager")

    @cached_property
    def annotated(self) -> tuple[Turn, ...]:
        """Every turn that carries annotations (manager turns and unprompted client lines)."""
        return tuple(t for t in self.turns if t.annotations is not None)

    def in_step(self, turns: Iterable[Turn], step: str | None) -> list[Turn]:
        """Restrict ``turns`` to one step (``None``: keep all)."""
        return [t for t in turns if step is None or t.step == step]

    def first_with_intent(self, intents: Iterable[str], turns: Iterable[Turn]) -> Turn | None:
        """Return the first of ``turns`` in which one of ``intents`` was recognised."""
        wanted = set(intents)
        return next((t for t in turns if t.intents & wanted), None)

    def final_trust(self, step: str | None = None) -> int | None:
        """Return the client's trust after the last annotated turn (of ``step``)."""
        last = self.in_step(self.annotated, step)
        if last and last[-1].annotations is not None:
            return last[-1].annotations.trust
        return self.scenario.persona.starting_trust if step is None else None

    def decision_turn(self) -> int | None:
        """Return the turn at which the client decided, if it did."""
        for t in reversed(self.annotated):
            if t.annotations is not None and t.annotations.decision is not None:
                return t.turn
        return None


def _split(events: Sequence[object]) -> tuple[Header, list[BodyEvent]]:
    if not events or not isinstance(events[0], Header):
        raise InputFileError(
            tr("演练记录缺少文件头，无法评分", "the transcript has no header; cannot score")
        )
    body = [e for e in events[1:] if isinstance(e, TurnEvent | StepEvent | EndEvent | ResumeEvent)]
    return events[0], body


def question_count(turn: Turn, roles: Roles) -> int:
    """Questions in a manager line: question marks, or one for a question without its mark."""
    marks = turn.text.count("?") + turn.text.count("？")
    if marks:
        return marks
    asks = roles.any_of("question", turn.intents)
    return 1 if asks or _QUESTION_END.search(turn.text.strip()) else 0


@dataclass(frozen=True)
class Monologue:
    """The longest run of manager lines with no client line between them."""

    chars: int
    turn: int | None


def longest_monologue(turns: Sequence[Turn]) -> Monologue:
    """Find the longest manager run (characters) and the turn where it starts."""
    best = Monologue(0, None)
    run, start = 0, None
    for t in turns:
        if t.speaker == "manager":
            if run == 0:
                start = t.turn
            run += t.chars
            if run > best.chars:
                best = Monologue(run, start)
        elif t.speaker == "client":
            run = 0
    return best
