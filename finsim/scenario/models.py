"""The scenario format ``finsim/scenario@1`` and the intent library ``finsim/intents@1``.

A scenario describes one drill: the institution, its products, the client
persona (profile, hidden facts, objections, decision rule), the steps of the
process with their key points and the client's responses, and any intents of
its own. Steps are a list: five is the default drill, never a constant.

Cross-references (an intent, fact, step, objection or product named somewhere)
are checked by :mod:`finsim.scenario.checks`, which knows the base intent
library as well.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field

from finsim.scenario.lines import Line, Lines
from finsim.scenario.roles import Roles
from finsim.scenario.types import (
    ClientRisk,
    Identifier,
    ObjectionKindId,
    ProductKind,
    ProductRisk,
    Strict,
    Text,
    Trust,
)
from finsim.vocabulary import OBJECTION_KINDS

SCENARIO_SCHEMA = "finsim/scenario@1"
INTENTS_SCHEMA = "finsim/intents@1"

__all__ = [
    "ClientRisk",
    "Identifier",
    "ObjectionKindId",
    "ProductKind",
    "ProductRisk",
    "Roles",
    "Strict",
    "Text",
    "Trust",
]

OBJECTION_KIND_NAMES: dict[str, str] = {kind: zh for kind, (zh, _) in OBJECTION_KINDS.items()}
"""Chinese name of each objection kind (the iceberg model, 冰山原理)."""

_KIND_ALIASES = {zh: en for en, zh in OBJECTION_KIND_NAMES.items()} | {"实际投诉": "complaint"}


def _objection_kind_alias(value: Any) -> Any:
    return _KIND_ALIASES.get(value, value) if isinstance(value, str) else value


ObjectionKind = Annotated[ObjectionKindId, BeforeValidator(_objection_kind_alias)]


def risk_rank(level: str) -> int:
    """Return the number in a risk level: ``R3`` → 3, ``C2`` → 2."""
    return int(level[1:])


class Intent(Strict):
    """One act of the manager's speech, with what teaches the recogniser to find it."""

    id: Identifier
    name: Text = Field(description="short human name, e.g. 问候与自我介绍")
    description: str = ""
    group: str = Field("", description="etiquette, step1…step5, red_line, or a scenario's own")
    red_line: bool = Field(False, description="a compliance violation when recognised")
    examples: list[Text] = Field(default_factory=list)
    keywords: list[Text] = Field(default_factory=list)
    patterns: list[Text] = Field(
        default_factory=list, description="regular expressions that signal the intent"
    )
    unless: list[Text] = Field(
        default_factory=list,
        description="regular expressions that cancel a keyword or pattern hit in the same clause",
    )
    requires: list[Text] = Field(
        default_factory=list,
        description="regular expressions of which one must hold somewhere in the line for the "
        "keywords, patterns and examples to count (what the act is about: a non-deposit product "
        "for a deposit-insurance misstatement); without it only a near-certain model charges",
    )
    model_needs: list[Text] = Field(
        default_factory=list,
        description="regular expressions of which one must hold somewhere in the line for the "
        "model alone (no keyword or pattern hit) to charge this red line (a negative claim "
        "about a competitor needs a negative word)",
    )
    unless_anywhere: list[Text] = Field(
        default_factory=list,
        description="regular expressions that, anywhere in the line, mean the act is not done "
        "(不用急, 您回家慢慢考虑: no pressure, whatever else is said)",
    )
    excluded_by: list[Identifier] = Field(
        default_factory=list,
        description="intents that, recognised anywhere in the line, cancel this one "
        "(a promise of no loss is no risk disclosure)",
    )
    warning_cancels: bool = Field(
        default=True,
        description="for a red line: whether a warning right after the words (…的说法是骗人的, "
        "您可别信) cancels them; false for an act that is itself a warning about others "
        "(running down another bank: 他们都是忽悠人的，您可别信 is still the act)",
    )


class JargonTerm(Strict):
    """A term of bank jargon that a lay client does not understand unexplained."""

    term: Text
    plain: Text = Field(description="what it means in plain words")
    aliases: list[Text] = Field(default_factory=list)


class SynonymSet(Strict):
    """Words the recogniser reads as one: each variant counts as ``canonical`` when comparing."""

    canonical: Text
    variants: list[Text] = Field(min_length=1)


class Dismissals(Strict):
    """Words that wave a client's concern away ("不算多", "放心，不会出事的") instead of answering.

    A handling line that says them answers no concern, unless it also gives substance
    (a sum worked out, the contract shown, an action taken): the client stays unconvinced.
    """

    patterns: list[Text] = Field(default_factory=list, description="regular expressions")
    unless: list[Text] = Field(
        default_factory=list, description="regular expressions of substance that make it an answer"
    )


class UnlistedKind(Strict):
    """A kind of product a manager may put forward though the scenario lists none of it.

    "有一只私募股权基金挺适合您" offers a product of at least ``risk``: suitability is judged
    on that level, as for a product of the scenario.
    """

    name: Text
    risk: ProductRisk = Field(description="the lowest risk level a product of this kind carries")
    words: list[Text] = Field(min_length=1, description="words that name the kind")

    @property
    def forms(self) -> tuple[str, ...]:
        """The words that name the kind (as a product's forms)."""
        return tuple(self.words)


class IntentLibrary(Strict):
    """The shared base library ``finsim/intents@1``: intents and jargon for every scenario."""

    schema_: Literal["finsim/intents@1"] = Field(alias="schema")
    intents: list[Intent]
    jargon: list[JargonTerm] = Field(default_factory=list)
    synonyms: list[SynonymSet] = Field(
        default_factory=list, description="words compared as one by the recogniser"
    )
    roles: Roles = Field(
        default_factory=Roles,
        description="which intents play each role in the virtual client and the scorer",
    )
    dismissals: Dismissals = Field(
        default_factory=Dismissals, description="a concern waved away is not answered"
    )
    unlisted_kinds: list[UnlistedKind] = Field(
        default_factory=list,
        description="kinds of product judged for suitability when a scenario does not list them",
    )

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Product(Strict):
    """A product the manager may present; suitability compares ``risk`` with the client's."""

    id: Identifier
    name: Text
    aliases: list[Text] = Field(
        default_factory=list, description="other names the manager may use for it"
    )
    kind: ProductKind
    risk: ProductRisk
    guaranteed: bool = Field(
        description="capital (and stated return) guaranteed, e.g. a deposit under deposit insurance"
    )
    features: list[Text] = Field(min_length=1)
    advantages: list[Text] = Field(min_length=1)
    benefits: list[Text] = Field(min_length=1)
    fees: Text
    terms: Text
    lock_in_years: float | None = Field(
        None,
        gt=0,
        description="years the client's money is tied up (a closed period, a payment term): "
        "a long product put to a client of 65 or more needs the family invited first",
    )

    @property
    def forms(self) -> tuple[str, ...]:
        """Every name the manager may call it by: its name, then its aliases."""
        return (self.name, *self.aliases)


class Profile(Strict):
    """The persona's full profile, known to the author and the teacher, not to the student."""

    name: Text
    age: int = Field(ge=0, le=120)
    gender: str = ""
    occupation: Text
    family: Text
    income: Text
    assets: Text
    liabilities: Text


class HiddenFact(Strict):
    """Something the client tells only when asked the right way."""

    id: Identifier
    topic: Text = Field(description="what the card shows once it is known, e.g. 资金到期")
    text: Text = Field(description="what the client says when it is revealed")
    revealed_by: list[Identifier] = Field(
        default_factory=list, description="intents that reveal it"
    )
    sensitive: bool = Field(False, description="needs trust at or above persona.sensitive_trust")


Level = Literal["easy", "normal", "hard"]
"""Drill difficulty (``finsim drill --level``)."""

Trait = Literal["patient", "talkative", "suspicious", "hurried"]
"""A temperament trait that changes how the client plays (see ``finsim.client.temper``)."""


class Objection(Strict):
    """A concern the client raises at a step, resolved by the right kind of handling."""

    id: Identifier
    kind: ObjectionKind
    step: Identifier
    text: Text = Field(description="the client's words when raising it")
    resolved_by: list[Identifier] = Field(
        default_factory=list,
        description="intents that resolve it; empty: the iceberg model's handling for its kind",
    )
    resolved_reply: Lines = Field(
        description="the client's words once it is resolved (variants may carry conditions: a "
        "line quoting a figure or a service the manager never mentioned is not said)"
    )
    wrong_reply: str = Field("", description="the client's words after a wrong kind of handling")
    topic: str = Field(
        "",
        description="the concern in the client's words, for a decline (利率比别家低); "
        "empty: the client names it vaguely",
    )
    preempt: bool = Field(
        False,
        description="handling of the right kind before the client voices it keeps it from "
        "coming up (otherwise it is noted as pre-empting and still comes up)",
    )
    level: Level = Field("easy", description="the lowest drill level at which the client raises it")

    def resolvers(self, roles: Roles) -> list[str]:
        """Intents that resolve it: its own ``resolved_by``, else its kind's iceberg handling."""
        return list(self.resolved_by) or roles.handles.of(self.kind)


class DecisionRule(Strict):
    """What must have happened for the client to buy at the close.

    ``objections_resolved``: ``all`` means every objection of the steps up to
    (and including) the step where the decision is taken, plus any objection
    already raised; an objection of a later step (a complaint in the
    relationship step) is not needed for a close in the closing step.
    ``none`` needs none resolved; a list names the objections that must be.
    """

    product: Identifier = Field(description="the product the client is ready to buy")
    min_trust: Trust = 60
    required_intents: list[Identifier] = Field(default_factory=list)
    required_facts: list[Identifier] = Field(default_factory=list)
    min_facts: int = Field(0, ge=0, description="at least this many facts revealed")
    objections_resolved: Literal["all", "none"] | list[Identifier] = "all"
    no_violations: bool = True
    accept: Lines = Field(
        min_length=1, description="the client's words when buying (variants may carry conditions)"
    )
    decline: Lines = Field(
        min_length=1,
        description="the client's words when walking away (variants may carry conditions)",
    )


class Persona(Strict):
    """The virtual client."""

    profile: Profile
    risk_level: ClientRisk
    goals: list[Text] = Field(min_length=1)
    horizon: Text
    experience: Text
    temperament: Text
    traits: list[Trait] = Field(
        default_factory=list,
        description="temperament traits that change the play: patient, talkative, suspicious, "
        "hurried",
    )
    starting_trust: Trust = 50
    sensitive_trust: Trust = Field(60, description="trust needed before a sensitive fact is told")
    facts: list[HiddenFact] = Field(min_length=1)
    objections: list[Objection] = Field(default_factory=list)
    decision: DecisionRule
    known_terms: list[Text] = Field(
        default_factory=list,
        description="jargon terms (or aliases) the client already understands; never asked about",
    )


class KeyPoint(Strict):
    """One checklist item of a step, met by any listed intent, fact or resolved objection."""

    id: Identifier
    text: Text
    intents: list[Identifier] = Field(default_factory=list)
    facts: list[Identifier] = Field(default_factory=list)
    objections: list[Identifier] = Field(default_factory=list)


class Step(Strict):
    """One step of the process."""

    id: Identifier
    name: Text
    objective: Text
    opening: Lines = Field(
        min_length=1,
        description="the client's line when the step begins; variants with conditions on its "
        "state (decision made or not, mood) — scenario validate warns about a state none fits",
    )
    key_points: list[KeyPoint] = Field(default_factory=list)
    responses: dict[Identifier, list[Line]] = Field(
        default_factory=dict, description="client replies by recognised intent, with variants"
    )


class ClientLines(Strict):
    """The client's lines for situations rather than intents; each list gives variants.

    Every line may carry conditions (:mod:`finsim.scenario.lines`); a situation
    with no line that fits the client's state uses the built-in ones.
    """

    unrecognised: list[Line] = Field(default_factory=list)
    jargon: list[Line] = Field(
        default_factory=list, description="asks what a term means; {term} is replaced"
    )
    intrusive: list[Line] = Field(
        default_factory=list, description="asked about money before rapport or purpose"
    )
    pressure: list[Line] = Field(default_factory=list)
    red_line: list[Line] = Field(default_factory=list)
    unsuitable: list[Line] = Field(
        default_factory=list, description="declines a product above its risk level; {product}"
    )
    guarded: list[Line] = Field(
        default_factory=list, description="not ready to tell a sensitive fact yet"
    )
    resolved: list[Line] = Field(
        default_factory=list, description="a concern resolved, when no resolved_reply fits"
    )
    parting: list[Line] = Field(
        default_factory=list, description="the last words at the end of the drill"
    )
    time_up: list[Line] = Field(default_factory=list, description="the time is up")
    walk_out: list[Line] = Field(
        default_factory=list, description="the client ends the meeting; {why} is the reason"
    )
    impatient: list[Line] = Field(
        default_factory=list, description="patience running low: asks to get to the point"
    )


class Institution(Strict):
    """The institution the manager works for."""

    name: Text
    positioning: Text


class Scenario(Strict):
    """A complete drill ``finsim/scenario@1``."""

    schema_: Literal["finsim/scenario@1"] = Field(alias="schema")
    id: Identifier
    title: Text
    language: Literal["zh", "en"] = "zh"
    summary: Text = Field(description="for the teacher: the case, including what is hidden")
    briefing: str = Field(
        "",
        description="for the student: what the manager knows before the meeting; shown at the "
        "start of a drill (never reveal hidden facts here)",
    )
    process: Text = Field(description="the name of the process the steps follow")
    institution: Institution
    time_limit_minutes: float = Field(5, gt=0, le=180)
    products: list[Product] = Field(min_length=1)
    persona: Persona
    steps: list[Step] = Field(min_length=1)
    responses: dict[Identifier, list[Line]] = Field(
        default_factory=dict, description="replies by intent used in any step"
    )
    lines: ClientLines = Field(default_factory=ClientLines)
    intents: list[Intent] = Field(default_factory=list, description="intents of this scenario")
    roles: Roles | None = Field(
        None, description="roles of this scenario's own intents, added to the library's"
    )
    jargon: list[JargonTerm] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def product(self, product_id: str) -> Product:
        """Return the product with this id (ids are checked on load)."""
        return next(p for p in self.products if p.id == product_id)

    def step_index(self, step_id: str) -> int:
        """Return the position of a step in the drill."""
        return next(i for i, s in enumerate(self.steps) if s.id == step_id)
