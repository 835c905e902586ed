"""The transcript format ``finsim/transcript@1``: JSON Lines, one event a line.

A transcript starts with a :class:`Header`, then :class:`TurnEvent` and
:class:`StepEvent` lines as the drill goes, and ends with an :class:`EndEvent`.
It holds everything that rescoring and replay need without the scenario file:
the header embeds the scenario as it was (its content hash detects a later
edit of the file). Every line is written and fsynced as it happens.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

TRANSCRIPT_SCHEMA = "finsim/transcript@1"

Speaker = Literal["manager", "client", "system"]
Mode = Literal["solo", "pair", "script"]
EndReason = Literal["finished", "time_up", "quit", "interrupted"]
Decision = Literal["bought", "declined", "undecided"]


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    seq: int = Field(ge=0, description="0 for the header, then 1, 2, … in file order")
    t: float = Field(0.0, ge=0, description="seconds since the drill started")


class Participant(BaseModel):
    """A student and the role they played (``manager`` or ``client``), optionally per step."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str = ""
    role: Literal["manager", "client"]
    steps: list[str] = Field(default_factory=list, description="step ids played; empty = all")


class Header(_Event):
    """First line: who, what, which versions."""

    type: Literal["header"] = "header"
    schema_: Literal["finsim/transcript@1"] = Field(TRANSCRIPT_SCHEMA, alias="schema")
    program: str = "finsim"
    program_version: str
    created_at: str = Field(description="ISO 8601 with time zone")
    scenario_id: str
    scenario_hash: str = Field(description="sha256 of the canonical JSON of the scenario")
    scenario: dict[str, Any] = Field(description="the scenario as played (model_dump by alias)")
    seed: int
    mode: Mode
    lang: Literal["zh", "en"] = "zh"
    group: str | None = None
    participants: list[Participant] = Field(default_factory=list)
    time_limit_s: float | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class IntentScore(BaseModel):
    """A recognised intent and its score."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    score: float


class Violation(BaseModel):
    """A compliance problem found at a turn.

    ``id`` is a red-line intent id, or one of ``unsuitable_recommendation`` and
    ``missing_disclosure``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    detail: str = ""
    product: str | None = None


class Annotations(BaseModel):
    """What the engine made of a manager turn, and the client's state after it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    intents: list[IntentScore] = Field(default_factory=list)
    products: list[str] = Field(default_factory=list, description="products mentioned")
    revealed: list[str] = Field(default_factory=list, description="fact ids revealed now")
    withheld: list[str] = Field(default_factory=list, description="sensitive facts held back")
    raised: list[str] = Field(default_factory=list, description="objection ids raised now")
    resolved: list[str] = Field(default_factory=list, description="objection ids resolved now")
    mishandled: list[str] = Field(default_factory=list, description="wrong kind of handling")
    violations: list[Violation] = Field(default_factory=list)
    jargon: list[str] = Field(default_factory=list, description="unexplained terms")
    key_points: list[str] = Field(default_factory=list, description="key point ids met now")
    trust: int = Field(ge=0, le=100)
    mood: str = ""


class TurnEvent(_Event):
    """One utterance. Manager turns carry the engine's annotations."""

    type: Literal["turn"] = "turn"
    turn: int = Field(ge=1, description="1-based number of the manager/client exchange")
    speaker: Speaker
    step: str
    text: str
    annotations: Annotations | None = None


class StepEvent(_Event):
    """The drill moved to another step."""

    type: Literal["step"] = "step"
    step: str
    index: int = Field(ge=0)


class Outcome(BaseModel):
    """The client's decision at the end."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    decision: Decision
    product: str | None = None
    reasons: list[str] = Field(default_factory=list, description="why, in the user's language")


class EndEvent(_Event):
    """Last line: why the drill ended and what the client decided."""

    type: Literal["end"] = "end"
    reason: EndReason
    outcome: Outcome
    overtime_s: float = 0.0


Event = Annotated[Header | TurnEvent | StepEvent | EndEvent, Field(discriminator="type")]
