"""Stand-ins for the recogniser's analysis of a manager line, for driving the engine by hand."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Match:
    """A recognised intent (``finsim.nlu.IntentMatch``)."""

    id: str
    score: float = 0.9


@dataclass(frozen=True)
class Said:
    """A stand-in for ``finsim.nlu.Analysis``."""

    intents: tuple[Match, ...] = ()
    products: tuple[str, ...] = ()
    jargon: tuple[str, ...] = ()
    is_question: bool = False
    text: str = ""
