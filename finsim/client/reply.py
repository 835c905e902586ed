"""What the virtual client gives back for a line: its words and the engine's annotations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from finsim.transcript.model import Annotations


class IntentLike(Protocol):
    """A recognised intent as the recogniser reports it (``finsim.nlu.IntentMatch``)."""

    @property
    def id(self) -> str:
        """The intent id."""
        ...

    @property
    def score(self) -> float:
        """How sure the recogniser is, 0..1."""
        ...


class AnalysisLike(Protocol):
    """What the engine reads of a manager line (``finsim.nlu.Analysis``)."""

    @property
    def text(self) -> str:
        """The manager's words (the client may quote only figures it heard or told)."""
        ...

    @property
    def intents(self) -> Sequence[IntentLike]:
        """Recognised intents, best first."""
        ...

    @property
    def products(self) -> Sequence[str]:
        """Ids of the scenario's products mentioned in the line."""
        ...

    @property
    def jargon(self) -> Sequence[str]:
        """Jargon terms used without a plain explanation."""
        ...

    @property
    def is_question(self) -> bool:
        """Whether the line asks something."""
        ...


@dataclass(frozen=True)
class ClientReply:
    """The client's words for one turn and what the engine made of it.

    ``text`` is never empty. ``annotations`` is what the transcript stores with
    the turn: recognised intents, facts revealed, objections raised/resolved,
    violations, key points met, the decision (if one was taken) and the trust
    and mood after the turn.
    """

    text: str
    annotations: Annotations

    @property
    def revealed(self) -> list[str]:
        """Fact ids revealed at this turn."""
        return self.annotations.revealed
