"""The client as the recorded events left it: the card and the summary of a replay.

A replay shows what was recorded, not what today's engine would make of the
same lines, so the state is folded from the annotations and the end event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from finsim.drill import ClientCard, DrillSummary, KnownFact
from finsim.drill.session import StepSummary
from finsim.scenario.models import Scenario
from finsim.transcript.model import (
    EndEvent,
    EndReason,
    Outcome,
    StepEvent,
    TurnEvent,
    Violation,
)
from finsim.transcript.reader import BodyEvent

T = TypeVar("T")


@dataclass
class ReplayState:
    """What had happened so far in the drill being replayed."""

    scenario: Scenario
    step_index: int = 0
    trust: int = 0
    mood: str = "neutral"
    manager_turns: int = 0
    elapsed_s: float = 0.0
    facts: list[KnownFact] = field(default_factory=list)
    covered: dict[str, list[str]] = field(default_factory=dict)
    raised: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    outcome: Outcome | None = None
    reason: EndReason | None = None

    def __post_init__(self) -> None:
        self.trust = self.scenario.persona.starting_trust

    def apply(self, event: BodyEvent) -> None:
        """Fold one event into the state."""
        self.elapsed_s = max(self.elapsed_s, event.t)
        if isinstance(event, StepEvent):
            self.step_index = event.index
            _extend(self.raised, event.raised)
        elif isinstance(event, TurnEvent) and event.speaker == "manager":
            self.manager_turns = max(self.manager_turns, event.turn)
            if event.annotations is not None:
                self._note(event)
        elif isinstance(event, EndEvent):
            self.outcome, self.reason = event.outcome, event.reason
            if event.trust is not None:
                self.trust = event.trust
            _extend(self.violations, event.violations)

    def _note(self, event: TurnEvent) -> None:
        notes = event.annotations
        assert notes is not None
        self.trust, self.mood = notes.trust, notes.mood or self.mood
        known = {f.id for f in self.facts}
        for fact in self.scenario.persona.facts:
            if fact.id in notes.revealed and fact.id not in known:
                self.facts.append(KnownFact(fact.id, fact.topic, fact.text, event.turn))
        _extend(self.covered.setdefault(event.step, []), notes.key_points)
        _extend(self.raised, notes.raised)
        _extend(self.resolved, notes.resolved)
        _extend(self.violations, notes.violations)

    def card(self) -> ClientCard:
        """Return the client card as it stood."""
        profile = self.scenario.persona.profile
        return ClientCard(profile.name, profile.age, list(self.facts), self.mood, self.trust)

    def summary(self) -> DrillSummary:
        """Return the end-of-drill summary as the live drill showed it."""
        steps = [
            StepSummary(s.id, s.name, list(self.covered.get(s.id, [])), list(s.key_points))
            for s in self.scenario.steps
        ]
        return DrillSummary(
            steps=steps,
            facts_found=list(self.facts),
            facts_total=len(self.scenario.persona.facts),
            objections_raised=list(self.raised),
            objections_resolved=list(self.resolved),
            violations=list(self.violations),
            outcome=self.outcome,
            manager_turns=self.manager_turns,
            elapsed_s=self.elapsed_s,
            trust=self.trust,
        )


def _extend(target: list[T], items: list[T]) -> None:
    """Append the items not in ``target`` yet, keeping their order."""
    for item in items:
        if item not in target:
            target.append(item)
