"""The automatic score of one transcript: :class:`ScoreReport` and its parts.

Every point is carried by a :class:`CheckResult` that names the manager turn
that earned or lost it (``turn``; ``None`` when nothing happened at all) and
says why in the user's language. ``points`` and ``max`` are rounded to two
decimals; a step's or criterion's points are the sum of its parts (after red
line deductions and caps, for a step), and ``total`` is the sum of the steps
and the overall criteria.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from finsim.i18n import tr

SCORE_SCHEMA = "finsim/score@1"


def turn_aside(turn: int | None) -> str:
    """Write the turn beside a note: "（第3轮）", " (turn 3)"."""
    return tr(f"（第{turn}轮）", f" (turn {turn})")


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CheckResult(_Frozen):
    """One yes/no check: passed or not, its points, the turn that decided it, and why."""

    id: str
    label: str
    passed: bool
    points: float
    max: float
    turn: int | None = None
    explanation: str
    advice: str = ""
    done: list[str] = Field(default_factory=list, description="acts (intent ids) found")
    missing: list[str] = Field(default_factory=list, description="acts (intent ids) not found")


class CriterionScore(_Frozen):
    """A criterion's points out of its maximum, with the level and every check."""

    id: str
    name: str
    points: float
    max: float
    level: str
    checks: list[CheckResult]
    line: str = Field("", description="one sentence: 第3步 风险揭示 0/4：第12轮……")
    missing: str = Field(default="", description="below full marks: what was missing, in one line")


class Deduction(_Frozen):
    """Points a red line took from a step."""

    violation: str
    name: str
    turn: int
    points: float


class StepScore(_Frozen):
    """One scenario step: its criteria, red-line deductions and cap, points out of max."""

    id: str
    number: int
    name: str
    template: str = Field(description="the rubric's step template that scored it")
    matched_by: str = Field(description="id, position or generic")
    points: float
    max: float
    level: str
    earned: float = Field(description="points from the criteria before deductions and cap")
    curved: float | None = Field(
        None, description="the points for the step's completeness, when below ``earned``"
    )
    deductions: list[Deduction] = Field(default_factory=list)
    capped_at: float | None = Field(None, description="the cap a red line set, if it bit")
    criteria: list[CriterionScore]


class ViolationItem(_Frozen):
    """A compliance violation with the turn and step where it happened."""

    id: str
    name: str
    turn: int
    step: str
    step_number: int | None = None
    step_name: str = ""
    detail: str = ""
    product: str | None = None
    words: str = Field("", description="the manager's words that made it")
    line: str = Field("", description="in one phrase: 第5轮代客填写或诱导风险测评：“……”")


class Metrics(_Frozen):
    """Conversation metrics (characters count letters and Chinese characters, not spaces)."""

    manager_turns: int
    client_turns: int
    manager_chars: int
    client_chars: int
    talk_share: float = Field(description="the manager's share of all characters spoken, 0…1")
    questions: int = Field(description="questions that find out about the client")
    longest_monologue: int = Field(description="characters of the longest manager run")
    longest_monologue_turn: int | None = None
    unexplained_jargon: int
    jargon_turns: list[int] = Field(default_factory=list)
    final_trust: int | None = None


class ScoreReport(_Frozen):
    """The automatic score of one transcript under one rubric."""

    schema_: str = Field(SCORE_SCHEMA, alias="schema")
    program_version: str
    rubric_id: str
    scenario_id: str
    total: float
    max: float
    percent: float
    level: str
    earned: float = Field(0.0, description="the sum of the steps and overall criteria")
    ceiling: float | None = Field(None, description="the ceiling violations set, when it bit")
    ceiling_reason: str = ""
    steps: list[StepScore]
    overall: list[CriterionScore]
    violations: list[ViolationItem]
    metrics: Metrics
    outcome: str = Field(description="bought, declined or undecided")
    outcome_product: str | None = None
    suggestions: list[str]

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def lines(self) -> list[str]:
        """Every criterion as one explained sentence, steps first."""
        return [c.line for s in self.steps for c in s.criteria] + [c.line for c in self.overall]
