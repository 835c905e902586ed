"""One manager line as the rules see it: what was said, and the effects collected so far."""

from __future__ import annotations

from dataclasses import dataclass, field

from finsim.transcript.model import ClientDecision, Violation


@dataclass
class Turn:
    """What one manager line said and what the rules made of it, in the order they ran.

    The first fields are the line (intent ids best first, products named,
    unexplained jargon, whether it asks something, its words); the rest are
    effects the rules add: the client's words (``parts``), facts revealed or
    held back, objections raised, resolved, pre-empted or mishandled,
    violations, a decision and its reasons.
    """

    ids: list[str]
    step: str = ""
    products: list[str] = field(default_factory=list)
    jargon: list[str] = field(default_factory=list)
    is_question: bool = False
    text: str = ""
    entering: bool = False
    parts: list[str] = field(default_factory=list)
    answered: set[str] = field(default_factory=set)
    revealed: list[str] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)
    raised: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)
    preempted: list[str] = field(default_factory=list)
    mishandled: list[str] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    key_points: list[str] = field(default_factory=list)
    decision: ClientDecision | None = None
    reasons: list[str] = field(default_factory=list)
    trust_before: int = 0
    reacted: bool = False
    intrusive: bool = False
    unrecognised: bool = False
