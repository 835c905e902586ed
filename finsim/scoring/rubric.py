"""The rubric format ``finsim/rubric@1``: criteria, checks, level descriptors and rating forms.

A rubric is one YAML file under ``scoring/``. It has three parts:

* **Step templates** (``steps``): what a good manager shows in one step of the
  drill. Each template has criteria; each criterion has points, the five level
  descriptors (优秀 / 良好 / 中等 / 及格 / 不及格) for human raters, and the
  yes/no **checks** the auto-scorer runs on the transcript. A criterion's points
  are shared among its checks by ``weight``, so partial credit always names the
  check (and the turn) that earned or lost it.
* **Overall criteria** (``overall``): etiquette, communication, compliance —
  scored over the whole drill in the same way.
* **Forms** (``forms``): the peer, teacher and client-role-play forms, drawn
  from the same rubric (an item refers to a step template or an overall
  criterion and takes its label, points and descriptors) plus items of their
  own; each form may have a comment box.

Matching scenario steps to step templates (scenarios need not have five steps):
each step of the scenario is scored by the template whose ``match`` lists its
id; else, when the scenario has exactly as many steps as the rubric has
templates, by the template at the same position; else by the ``generic``
template. The generic template scores a step on what the scenario itself says
about it — its key points, the facts tied to them, the objections raised in
it, disclosure before a commitment made in it, the suitability of what was
recommended in it — so a four-step scenario (the outlet's 迎宾 → 咨询 → 业务办理
→ 跟进) is scored step by step on its own key points, plus the overall
criteria.

A check that has nothing to check (a step without key points, a scenario
without objections) is *not applicable*: it is left out and its points leave
the maximum, so a shorter scenario gets a smaller maximum rather than free
points. Red lines (``red_lines``) deduct points from the step in which they
happened and cap that step's score at ``cap`` of its maximum; each violation
also takes its ``ceiling`` percent of what the whole drill can still be worth
(the ceilings multiply), so a polite drill that missells cannot score well;
a drill with violations that also earned less than ``thin_drill_percent`` of
the maximum keeps only that share of its capped total.
``step_exponent`` curves each step: a step done in part is worth less than
that part (1 keeps it proportional). ``voids`` names acts that a violation
takes back wherever it happens: a risk assessment the manager filled in for
the client is no risk assessment.

Combining the three voices: ``combine`` holds the default weights of the
auto, peer and teacher scores (20 / 30 / 50). Each score is first taken as a
fraction of its own maximum (``ScoreReport.max``, ``Form.max_total``), then
the weighted mean of the fractions present is scaled to ``combine.scale``
points. A class's own settings override these weights; the rubric only gives
the default.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from finsim.i18n import tr
from finsim.scenario.models import Identifier, Text

RUBRIC_SCHEMA = "finsim/rubric@1"
DEFAULT_RUBRIC_FILE = "default.yaml"

LEVEL_NAMES: tuple[str, ...] = ("优秀", "良好", "中等", "及格", "不及格")
"""The five levels of every criterion, best first."""

LEVEL_NAMES_EN: dict[str, str] = {
    "优秀": "excellent",
    "良好": "good",
    "中等": "fair",
    "及格": "pass",
    "不及格": "fail",
}


def level_label(level: str) -> str:
    """Name a level in the user's language (the report keeps the rubric's Chinese name)."""
    return tr(level, LEVEL_NAMES_EN.get(level, level))


CheckKind = Literal[
    "key_points",
    "intent",
    "intent_before",
    "facts",
    "objections",
    "no_violation",
    "suitability",
    "outcome",
    "metric",
    "trust",
]
MetricName = Literal["talk_share", "questions", "longest_monologue", "jargon", "rude"]
FormKind = Literal["peer", "teacher", "client_roleplay"]
Points = Annotated[float, Field(gt=0, le=1000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Levels(_Strict):
    """What each of the five levels looks like, for a human rater."""

    excellent: Text = Field(alias="优秀")
    good: Text = Field(alias="良好")
    fair: Text = Field(alias="中等")
    passing: Text = Field(alias="及格")
    failing: Text = Field(alias="不及格")

    def as_dict(self) -> dict[str, str]:
        """Return the descriptors keyed by the Chinese level name, best first."""
        return dict(zip(LEVEL_NAMES, self._values(), strict=True))

    def _values(self) -> tuple[str, ...]:
        return (self.excellent, self.good, self.fair, self.passing, self.failing)


class LevelBands(_Strict):
    """The lowest percentage of the maximum that reaches each level (below 及格: 不及格)."""

    excellent: float = Field(default=90, alias="优秀", ge=0, le=100)
    good: float = Field(default=80, alias="良好", ge=0, le=100)
    fair: float = Field(default=70, alias="中等", ge=0, le=100)
    passing: float = Field(default=60, alias="及格", ge=0, le=100)

    @model_validator(mode="after")
    def _descending(self) -> LevelBands:
        if not self.excellent >= self.good >= self.fair >= self.passing:
            raise ValueError("等级分数线应从“优秀”到“及格”依次降低")
        return self

    def level(self, points: float, maximum: float) -> str:
        """Return the level name of ``points`` out of ``maximum``."""
        percent = 100.0 * points / maximum if maximum > 0 else 0.0
        bands = (self.excellent, self.good, self.fair, self.passing)
        for name, low in zip(LEVEL_NAMES, bands, strict=False):
            if percent >= low - 1e-9:
                return name
        return LEVEL_NAMES[-1]


class Check(_Strict):
    """One yes/no test on the transcript; see the module docs of :mod:`finsim.scoring.auto`.

    Kinds and the fields they use:

    * ``key_points`` — one check per key point of the scenario step.
    * ``intent`` — one of ``intents`` was recognised (in the step, or the whole
      drill with ``scope: drill``; within the first ``first_turns`` manager lines
      if set).
    * ``intent_before`` — one of ``intents`` came (anywhere in the drill) at or
      before the first of ``before`` in the scope; ``if_no_trigger`` says what
      happens when none of ``before`` came: ``pass``, ``fail``, or ``skip``
      (not applicable).
    * ``facts`` — one check per hidden fact: those revealed by one of ``via``
      when given, else (``scope: step``) those tied to the step's key points,
      else all: was it revealed?
    * ``objections`` — one check per objection of the step (or of the drill):
      was it resolved?
    * ``no_violation`` — none of ``violations`` (any, when empty) in the scope.
    * ``suitability`` — a product was recommended and none above the client's
      risk level (``scope: step``: not applicable when the step recommended
      nothing).
    * ``outcome`` — the client's final decision is ``decision``.
    * ``metric`` — a conversation metric is within ``min``/``max``.
    * ``trust`` — the client's trust at the end of the scope is at least ``min``.
    """

    kind: CheckKind
    label: Text = Field(description="what is checked, as a verb phrase: 说明来意, 揭示风险")
    label_en: str = ""
    weight: float = Field(1.0, gt=0, le=100)
    scope: Literal["step", "drill"] = "step"
    intents: list[Identifier] = Field(default_factory=list)
    before: list[Identifier] = Field(default_factory=list)
    before_label: str = Field("", description="what the trigger is called: 推荐产品")
    before_label_en: str = ""
    if_no_trigger: Literal["pass", "fail", "skip"] = "fail"
    first_turns: int | None = Field(None, ge=1)
    via: list[Identifier] = Field(default_factory=list)
    violations: list[Identifier] = Field(default_factory=list)
    decision: Literal["bought", "declined", "undecided"] = "bought"
    metric: MetricName | None = None
    min: float | None = None
    max: float | None = None
    advice: str = Field("", description="a concrete suggestion when the check fails")
    advice_en: str = ""

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> Check:
        needs: dict[str, tuple[bool, str]] = {
            "intent": (bool(self.intents), "intents"),
            "intent_before": (bool(self.intents and self.before), "intents 和 before"),
            "metric": (
                self.metric is not None and (self.min, self.max) != (None, None),
                "metric 和 min/max",
            ),
            "trust": (self.min is not None, "min"),
        }
        ok, fields = needs.get(self.kind, (True, ""))
        if not ok:
            raise ValueError(f"“{self.kind}” 类检查需要填写 {fields}")
        return self


class Criterion(_Strict):
    """A scored criterion: points, level descriptors and the checks that earn the points."""

    id: Identifier
    name: Text
    name_en: str = ""
    points: Points
    levels: Levels
    checks: list[Check] = Field(min_length=1)


class StepTemplate(_Strict):
    """What the rubric expects in one step of the process (see the module docs for matching)."""

    id: Identifier
    name: Text
    name_en: str = ""
    match: list[Identifier] = Field(default_factory=list, description="scenario step ids it scores")
    levels: Levels | None = Field(None, description="descriptors for the whole step (forms)")
    criteria: list[Criterion] = Field(min_length=1)

    @property
    def points(self) -> float:
        """The step's maximum: the sum of its criteria."""
        return sum(c.points for c in self.criteria)


class RedLine(_Strict):
    """How a compliance violation is penalised in the step where it happened."""

    id: Identifier
    name: Text
    name_en: str = ""
    deduct: float = Field(ge=0, le=1000)
    cap: float = Field(0.5, ge=0, le=1, description="the step scores at most this share of its max")
    ceiling: float = Field(
        0,
        ge=0,
        le=100,
        description="percent of what the drill can still be worth that each violation takes",
    )
    breach: str = Field(
        "",
        description="violations of one breach said in one line lower the ceiling once "
        "(a promised return that is also a quoted expected rate); empty: the id alone",
    )
    fails: bool = Field(
        True,
        description="breaking it fails the drill: the total is at most the rubric's fail_percent",
    )


class Combine(_Strict):
    """Default weights of the auto, peer and teacher scores (see the module docs)."""

    auto: float = Field(default=20, ge=0)
    peer: float = Field(default=30, ge=0)
    teacher: float = Field(default=50, ge=0)
    scale: float = Field(
        default=100, gt=0, description="the combined score is out of this many points"
    )

    @model_validator(mode="after")
    def _some_weight(self) -> Combine:
        if self.auto + self.peer + self.teacher <= 0:
            raise ValueError("三项权重不能全为 0")
        return self


class FormItemSpec(_Strict):
    """A form item: ``ref`` to a step template or overall criterion, or an item of its own."""

    ref: Identifier | None = None
    key: Identifier | None = None
    label: str = ""
    label_en: str = ""
    max_points: float | None = Field(None, gt=0, le=1000)
    levels: Levels | None = None

    @model_validator(mode="after")
    def _ref_or_own(self) -> FormItemSpec:
        own = self.key is not None and self.label and self.max_points is not None and self.levels
        if self.ref is None and not own:
            raise ValueError(
                "表单项要么写 ref（引用步骤或总体评分项），要么写齐 key、label、max_points、levels"
            )
        return self


class FormSpec(_Strict):
    """One rating form as written in the rubric."""

    title: Text
    title_en: str = ""
    instructions: str = ""
    items: list[FormItemSpec] = Field(min_length=1)
    comment: bool = True
    comment_prompt: str = "点评（优点与改进建议）"


class Forms(_Strict):
    """The three forms of a rubric."""

    peer: FormSpec
    teacher: FormSpec
    client_roleplay: FormSpec


class FormItem(BaseModel):
    """One rated item of a form, ready to show: key, label, maximum, level descriptors."""

    model_config = ConfigDict(frozen=True)

    key: str
    label: str
    max_points: float
    levels: dict[str, str]


class Form(BaseModel):
    """A rating form: items scored 0…max_points, and whether it has a comment box."""

    model_config = ConfigDict(frozen=True)

    kind: FormKind
    title: str
    instructions: str = ""
    items: list[FormItem]
    comment: bool
    comment_prompt: str = ""

    @property
    def max_total(self) -> float:
        """The most points the form can give."""
        return sum(item.max_points for item in self.items)

    def item(self, key: str) -> FormItem:
        """Return the item with this key; raise ``KeyError`` if there is none."""
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)


class Rubric(_Strict):
    """A complete rubric ``finsim/rubric@1`` (see the module docs).

    ``combine`` gives the default weights of the auto / peer / teacher scores
    (20 / 30 / 50): each score is taken as a fraction of its own maximum, the
    weighted mean of the fractions present is scaled to ``combine.scale``. A
    class's own settings may override the weights.
    """

    schema_: Literal["finsim/rubric@1"] = Field(alias="schema")
    id: Identifier
    title: Text
    description: str = ""
    bands: LevelBands = Field(default_factory=lambda: LevelBands())
    combine: Combine = Field(default_factory=lambda: Combine())
    steps: list[StepTemplate] = Field(min_length=1)
    generic: StepTemplate
    overall: list[Criterion] = Field(default_factory=list)
    red_lines: list[RedLine] = Field(default_factory=list)
    default_red_line: RedLine
    step_exponent: float = Field(
        1.0,
        ge=1,
        le=3,
        description="a step's points are max × (earned/max) ** step_exponent: a step done in "
        "part is worth less than that part",
    )
    thin_drill_percent: float = Field(
        0.0,
        ge=0,
        le=100,
        description="a drill with violations that earned less than this percent of the maximum "
        "keeps only that share of its capped total: rule-breaking on top of a thin process "
        "is worth little (0: off)",
    )
    fail_percent: float = Field(
        0.0,
        ge=0,
        le=100,
        description="a drill that breaks a red line that fails it scores at most this percent of "
        "the maximum: in class, any red line fails the drill (0: off)",
    )
    voids: dict[Identifier, list[Identifier]] = Field(
        default_factory=dict,
        description="acts that a violation anywhere in the drill takes back: an intent → the "
        "violations that void it (a risk assessment the manager steered earns nothing)",
    )
    forms: Forms

    def template(self, template_id: str) -> StepTemplate:
        """Return the step template with this id (or the generic one)."""
        for step in [*self.steps, self.generic]:
            if step.id == template_id:
                return step
        raise KeyError(template_id)

    def red_line(self, violation_id: str) -> RedLine:
        """Return the penalty for a violation id (the default one for ids not listed)."""
        for red in self.red_lines:
            if red.id == violation_id:
                return red
        return self.default_red_line

    @property
    def max_points(self) -> float:
        """The maximum for a drill whose steps match the templates one to one."""
        return sum(s.points for s in self.steps) + sum(c.points for c in self.overall)
