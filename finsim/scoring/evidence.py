"""What the auto-scorer reads from a transcript: turns, annotations, outcome, metrics.

Everything comes from the transcript alone: the header embeds the scenario as
it was played, so a later edit of the scenario file never changes a score.
"""

from __future__ import annotations

import json
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
from finsim.scenario.models import Product, Roles, Scenario, UnlistedKind
from finsim.transcript.model import (
    Annotations,
    EndEvent,
    Header,
    Outcome,
    ResumeEvent,
    StepEvent,
    TurnEvent,
    Violation,
)
from finsim.validation import plain_errors

BodyEvent = TurnEvent | StepEvent | EndEvent | ResumeEvent

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


ASK_BAR = 0.6
"""A line asks for something (the decision, the client's money) when that is its main act or is
read at this score: "签合同" in a question about the channel is no close."""


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

    def main_or_sure(self, intent_id: str, bar: float = ASK_BAR) -> bool:
        """Whether ``intent_id`` is the line's main act or was recognised at ``bar`` or above."""
        scores = self.annotations.intents if self.annotations else []
        return any(i.id == intent_id and (n == 0 or i.score >= bar) for n, i in enumerate(scores))

    def asks(self, intents: Iterable[str]) -> bool:
        """Whether the line performs one of ``intents`` as its main act or surely (a trigger)."""
        return any(self.main_or_sure(i) for i in intents)

    @property
    def chars(self) -> int:
        """Characters spoken, not counting white space."""
        return len(_SPACE.sub("", self.text))


@dataclass(frozen=True)
class Act:
    """One violation: what, at which manager turn and step, about which product, in which words."""

    id: str
    turn: int
    step: str
    detail: str
    product: str | None
    words: str


_SCENARIOS: dict[str, Scenario] = {}
_SCENARIO_CACHE_SIZE = 8


def embedded_scenario(data: object) -> Scenario:
    """Validate a transcript's embedded scenario, once per distinct scenario (batch rescoring).

    Keyed on the canonical JSON of what is embedded, not on the recorded hash, so an
    edited copy with a stale hash is still validated on its own.
    """
    key = json.dumps(data, sort_keys=True, ensure_ascii=False)
    cached = _SCENARIOS.get(key)
    if cached is None:
        cached = Scenario.model_validate(data)
        if len(_SCENARIOS) >= _SCENARIO_CACHE_SIZE:
            _SCENARIOS.pop(next(iter(_SCENARIOS)))
        _SCENARIOS[key] = cached
    return cached


@dataclass(frozen=True)
class Evidence:
    """A transcript prepared for scoring.

    ``acts`` are the drill's violations as the scorer judges them
    (:func:`finsim.scoring.acts.violation_acts`), filled in before any check runs.
    """

    header: Header
    scenario: Scenario
    turns: tuple[Turn, ...]
    outcome: Outcome | None
    scenario_intents: frozenset[str] = field(default=frozenset())
    end_violations: tuple[Violation, ...] = ()
    acts: tuple[Act, ...] = ()
    omissions: frozenset[str] = field(default=frozenset())

    @classmethod
    def from_transcript(cls, transcript: TranscriptLike | Sequence[object]) -> Evidence:
        """Build from a reader's transcript, or from a list of events starting with the header."""
        if isinstance(transcript, Sequence):
            header, body = _split(transcript)
        else:
            header, body = transcript.header, list(transcript.events)
        try:
            scenario = embedded_scenario(header.scenario)
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
        last = ends[-1] if ends else None
        return cls(
            header,
            scenario,
            turns,
            last.outcome if last else None,
            end_violations=tuple(last.violations) if last else (),
        )

    @cached_property
    def roles(self) -> Roles:
        """The roles intents play: the shipped library's, with the scenario's additions."""
        return load_base_library().roles.merged(self.scenario.roles)

    @cached_property
    def unlisted_kinds(self) -> tuple[tuple[UnlistedKind, Product | None], ...]:
        """The library's kinds of product, each with the scenario's product that answers to it.

        A product answers to a kind when one of its names holds one of the kind's words
        ("远航新兴成长股票型基金" to 股票型基金); a line naming the kind speaks of it.
        """
        kinds = load_base_library().unlisted_kinds
        return tuple((k, _answering(k, self.scenario.products)) for k in kinds)

    @cached_property
    def intent_names(self) -> dict[str, str]:
        """Every intent's name as people say it (library and scenario), by id."""
        every = [*load_base_library().intents, *self.scenario.intents]
        return {i.id: i.name for i in every}

    @cached_property
    def red_lines(self) -> frozenset[str]:
        """The ids of the red-line intents (library and scenario)."""
        every = [*load_base_library().intents, *self.scenario.intents]
        return frozenset(i.id for i in every if i.red_line)

    def is_red_line(self, intent_id: str) -> bool:
        """Whether an intent is a red line."""
        return intent_id in self.red_lines

    def intent_name(self, intent_id: str) -> str:
        """Return an intent's name (never its id, unless it has no name at all)."""
        return self.intent_names.get(intent_id, intent_id)

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

    @cached_property
    def _step_ranks(self) -> dict[str, int]:
        return {s.id: n for n, s in enumerate(self.scenario.steps)}

    def step_rank(self, step: str) -> int:
        """Return the position of a step in the drill (an unknown id sorts last)."""
        ranks = self._step_ranks
        return ranks.get(step, len(ranks))

    def through_step(self, turns: Iterable[Turn], step: str | None) -> list[Turn]:
        """Restrict ``turns`` to those said up to the end of ``step`` (``None``: keep all)."""
        if step is None:
            return list(turns)
        # the checks ask this of the manager's or the annotated turns again and again
        if turns is self.manager:
            known = "manager"
        elif turns is self.annotated:
            known = "annotated"
        else:
            return self._through(turns, step)
        cached = self._through_cache.get((known, step))
        if cached is None:
            cached = self._through_cache[(known, step)] = tuple(self._through(turns, step))
        return list(cached)

    @cached_property
    def _through_cache(self) -> dict[tuple[str, str], tuple[Turn, ...]]:
        return {}

    def _through(self, turns: Iterable[Turn], step: str) -> list[Turn]:
        last = self.step_rank(step)
        return [t for t in turns if self.step_rank(t.step) <= last]

    @cached_property
    def tainted(self) -> frozenset[int]:
        """Manager turns that carry a violation they made: they earn no credit for any act."""
        return frozenset(a.turn for a in self.acts if a.id not in self.omissions)

    def clean(self, turns: Iterable[Turn]) -> list[Turn]:
        """Drop the turns that carry a violation (see :attr:`tainted`)."""
        return [t for t in turns if t.turn not in self.tainted]

    def is_disclosure(self, turn: Turn) -> bool:
        """Whether a manager line disclosed risk, and nothing in it claimed the opposite."""
        claims = self.roles.any_of("guarantee_claim", turn.intents)
        return self.roles.any_of("risk_disclosure", turn.intents) and not claims

    @cached_property
    def coverage(self) -> float:
        """The share of the drill's steps in which the manager said anything (0 for no line)."""
        spoken = {t.step for t in self.manager}
        steps = [s.id for s in self.scenario.steps]
        return sum(1 for s in steps if s in spoken) / len(steps) if steps else 0.0

    def first_asking(self, intents: Iterable[str], turns: Iterable[Turn]) -> Turn | None:
        """Return the first of ``turns`` that performs one of ``intents`` (see Turn.asks)."""
        wanted = list(intents)
        return next((t for t in turns if t.asks(wanted)), None)

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


def questions_asked(ev: Evidence) -> int:
    """Return the manager's questions that find out about the client, over the whole drill.

    A line counts only when it carries a question-role act (asking about needs, money, horizon,
    feedback…): "路上堵吗？" or "您看行吗？" learns nothing about the client. Such a line counts
    its question marks, or one when it has none.
    """
    return sum(_questions_in(t, ev.roles) for t in ev.manager)


def _questions_in(turn: Turn, roles: Roles) -> int:
    if not roles.any_of("question", turn.intents):
        return 0
    return max(turn.text.count("?") + turn.text.count("？"), 1)


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


def _answering(kind: UnlistedKind, products: list[Product]) -> Product | None:
    return next((p for p in products if any(w in f for f in p.forms for w in kind.words)), None)
