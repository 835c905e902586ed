"""The transcript format ``finsim/transcript@3``: JSON Lines, one event a line.

A transcript starts with a :class:`Header`, then :class:`TurnEvent` and
:class:`StepEvent` lines as the drill goes, and ends with an :class:`EndEvent`.
It holds everything that rescoring and replay need without the scenario file:
the header embeds the scenario as it was (its content hash detects a later
edit of the file). Every line is written and fsynced as it happens.

A drill that stopped without an end event (a kill, a closed terminal) or with
``reason: interrupted`` may be resumed: a :class:`ResumeEvent` is appended and
the drill goes on in the same file, so one file can hold several ``end``
events, each but the last followed by a ``resume``.

Turn numbers: ``turn`` counts the manager's lines; a client line carries the
number of the manager line it answers (0 for the client's opening, before the
manager has spoken). Annotations sit on the manager's turn; objections the
client raises on entering a step are listed on the :class:`StepEvent`. Every
step entered, the first included, has a step event before its opening line.

Compatibility: a reader accepts every ``finsim/transcript@1``, ``@2`` and
``@3`` file (format 2 adds the header's ``judge``: what recognised the lines;
format 3 the drill ``level`` — an older file reads as ``normal`` —, the end
reason ``walked_out`` and the turn annotation ``preempted``); a file of a
newer version is refused with a message naming both versions.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from finsim.i18n import tr

TRANSCRIPT_SCHEMA: Final = "finsim/transcript@3"
READABLE_SCHEMAS: Final = ("finsim/transcript@1", "finsim/transcript@2", TRANSCRIPT_SCHEMA)

Speaker = Literal["manager", "client", "system"]
Mode = Literal["solo", "pair", "script"]
EndReason = Literal["finished", "time_up", "quit", "interrupted", "walked_out"]
Level = Literal["easy", "normal", "hard"]
Decision = Literal["bought", "declined", "undecided"]
ClientDecision = Literal["accept", "decline"]


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    seq: int = Field(ge=0, description="0 for the header, then 1, 2, … in file order")
    t: float = Field(default=0.0, ge=0, description="seconds since the drill started")


class Participant(BaseModel):
    """A student and the role they played (``manager`` or ``client``), optionally per step."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str = ""
    role: Literal["manager", "client"]
    steps: list[str] = Field(default_factory=list, description="step ids played; empty = all")


class JudgeRecord(BaseModel):
    """What produced a transcript's annotations (format 2)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    recogniser: str = Field(description="the recogniser's version, e.g. finsim-recogniser@2")
    library: str = Field(description="sha256 of the intent rules, synonyms, jargon and products")
    model: str | None = Field(None, description="the learned model's id, if one was used")

    def describe(self) -> str:
        """Return one line for people: version, library hash (short), model id."""
        model = self.model or tr("无", "none")
        return tr(
            f"识别器 {self.recogniser}，意图库 {self.library[:12]}，模型 {model}",
            f"recogniser {self.recogniser}, library {self.library[:12]}, model {model}",
        )


class Header(_Event):
    """First line: who, what, which versions."""

    type: Literal["header"] = "header"
    schema_: Literal["finsim/transcript@1", "finsim/transcript@2", "finsim/transcript@3"] = Field(
        default=TRANSCRIPT_SCHEMA, alias="schema"
    )
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
    script: str | None = Field(None, description="the drill script's file name, if scripted")
    judge: JudgeRecord | None = Field(None, description="what recognised the lines (format 2)")
    level: Level = Field("normal", description="the drill's difficulty (format 3)")

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


class Outcome(BaseModel):
    """The client's decision at the end."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    decision: Decision
    product: str | None = None
    reasons: list[str] = Field(default_factory=list, description="why, in the scenario's language")


class Annotations(BaseModel):
    """What the engine made of a manager turn, and the client's state after it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    intents: list[IntentScore] = Field(default_factory=list)
    products: list[str] = Field(default_factory=list, description="products mentioned")
    revealed: list[str] = Field(default_factory=list, description="fact ids revealed now")
    withheld: list[str] = Field(default_factory=list, description="sensitive facts held back")
    raised: list[str] = Field(default_factory=list, description="objection ids raised now")
    resolved: list[str] = Field(default_factory=list, description="objection ids resolved now")
    preempted: list[str] = Field(
        default_factory=list, description="objections handled before the client voiced them"
    )
    mishandled: list[str] = Field(default_factory=list, description="wrong kind of handling")
    violations: list[Violation] = Field(default_factory=list)
    jargon: list[str] = Field(default_factory=list, description="unexplained terms")
    key_points: list[str] = Field(default_factory=list, description="key point ids met now")
    decision: ClientDecision | None = Field(None, description="the client decided at this turn")
    reasons: list[str] = Field(
        default_factory=list, description="why it decided so, in the scenario's language"
    )
    unrecognised: bool = Field(False, description="nothing in the line was understood")
    trust: int = Field(ge=0, le=100)
    trust_delta: int = 0
    mood: str = ""


class TurnEvent(_Event):
    """One utterance. Manager turns carry the engine's annotations."""

    type: Literal["turn"] = "turn"
    turn: int = Field(ge=0, description="manager lines so far (0: the client's opening)")
    speaker: Speaker
    step: str
    text: str
    annotations: Annotations | None = None


class StepEvent(_Event):
    """The drill moved to another step."""

    type: Literal["step"] = "step"
    step: str
    index: int = Field(ge=0)
    raised: list[str] = Field(default_factory=list, description="objections raised on entering")


class EndEvent(_Event):
    """Last line: why the drill ended and what the client decided."""

    type: Literal["end"] = "end"
    reason: EndReason
    outcome: Outcome
    overtime_s: float = 0.0
    violations: list[Violation] = Field(
        default_factory=list, description="found at the end (a close without disclosure)"
    )
    trust: int | None = Field(None, ge=0, le=100, description="the client's final trust")


class ResumeEvent(_Event):
    """The drill was resumed after an interruption (by this program version)."""

    type: Literal["resume"] = "resume"
    program_version: str
    resumed_at: str = Field(description="ISO 8601 with time zone")


Event = Annotated[
    Header | TurnEvent | StepEvent | EndEvent | ResumeEvent, Field(discriminator="type")
]
"""Any line of a transcript."""
