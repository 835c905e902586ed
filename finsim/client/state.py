"""The virtual client's state: everything the engine remembers between turns."""

from __future__ import annotations

from dataclasses import dataclass, field

from finsim.scenario.lines import MOODS
from finsim.transcript.model import Violation


def mood_for(trust: int) -> str:
    """Return the mood word for a trust level (``trusting`` … ``hostile``)."""
    return next(name for floor, name in MOODS if trust >= floor)


@dataclass
class ClientState:
    """What the client knows and feels so far; mutated only by :class:`ClientEngine`.

    Lists keep the order in which things happened (facts in the order told).
    ``queued`` holds objections of the steps entered that the client has not
    voiced yet (it raises them one at a time); ``raised_turn`` the manager
    turn after which each was raised. ``focus`` holds the products of the last
    line that named any; ``offered`` those of the last line that put products
    forward (introduced, compared, explained, cross-sold or closed on them),
    ``put_forward`` every product ever put forward. ``heard`` holds the
    manager's lines; ``preempted`` the objections handled before they were
    voiced; ``patience`` how many more trying turns the client bears; ``left``
    why it walked out (``trust`` or ``patience``), if it did; ``dropped`` the
    objections that will not come up (above the drill's level, or pre-empted).
    """

    trust: int
    turn: int = 0
    step: str | None = None
    steps_entered: list[str] = field(default_factory=list)
    revealed: list[str] = field(default_factory=list)
    withheld: set[str] = field(default_factory=set)
    covered: dict[str, list[str]] = field(default_factory=dict)
    raised: list[str] = field(default_factory=list)
    raised_turn: dict[str, int] = field(default_factory=dict)
    queued: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)
    mishandled: list[str] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    intents_seen: list[str] = field(default_factory=list)
    rapport: bool = False
    rapport_used: set[str] = field(default_factory=set)
    discussed: list[str] = field(default_factory=list)
    focus: list[str] = field(default_factory=list)
    offered: list[str] = field(default_factory=list)
    put_forward: list[str] = field(default_factory=list)
    heard: list[str] = field(default_factory=list)
    preempted: list[str] = field(default_factory=list)
    patience: int = 0
    left: str | None = None
    left_turn: int | None = None
    dropped: list[str] = field(default_factory=list)
    disclosed_risk: set[str] = field(default_factory=set)
    disclosed_fees: set[str] = field(default_factory=set)
    disclosure_asked: set[str] = field(default_factory=set)
    declined_products: list[str] = field(default_factory=list)
    decision: str | None = None
    bought: str | None = None
    bought_turn: int | None = None
    last_variant: dict[str, int] = field(default_factory=dict)
    last_text: str = ""

    @property
    def mood(self) -> str:
        """The mood word for the current trust."""
        return mood_for(self.trust)

    @property
    def pending(self) -> list[str]:
        """Objections raised and not yet resolved, in the order raised."""
        return [o for o in self.raised if o not in self.resolved]

    def covered_in(self, step_id: str) -> list[str]:
        """Key point ids met in one step so far."""
        return self.covered.get(step_id, [])
