"""Cross-reference checks and lint warnings for a scenario.

Errors make a scenario unusable (a reference to something that does not
exist, a duplicate id); warnings point at a drill that works but cannot be
played well (a fact nothing reveals, a decision rule that cannot be met).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from finsim.crossrefs import CrossRefs
from finsim.i18n import tr
from finsim.scenario.line_checks import check_lines
from finsim.scenario.models import IntentLibrary, Scenario, risk_rank
from finsim.validation import problem_line
from finsim.yamlio import PathKey, YamlDocument


@dataclass
class CheckReport:
    """Problems found in one scenario file: errors break it, warnings only weaken it."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


INTENT = ("意图", "intent")
FACT = ("隐藏事实", "fact")
OBJECTION = ("异议", "objection")
STEP = ("步骤", "step")
PRODUCT = ("产品", "product")


class _Checker(CrossRefs):
    def __init__(self, scenario: Scenario, library: IntentLibrary, doc: YamlDocument) -> None:
        self.report = CheckReport()
        super().__init__(doc, self.report.errors)
        self.scenario = scenario
        self.library = library
        self.roles = library.roles.merged(scenario.roles)

    def warn(self, key_path: PathKey, zh: str, en: str) -> None:
        """Record a problem that weakens the drill."""
        self.report.warnings.append(problem_line(self.doc, key_path, tr(zh, en)))

    @cached_property
    def intent_ids(self) -> set[str]:
        """Ids of the base library's intents and the scenario's own."""
        return {i.id for i in self.library.intents} | {i.id for i in self.scenario.intents}

    @cached_property
    def red_line_ids(self) -> set[str]:
        """Ids of the intents that are compliance violations."""
        every = [*self.library.intents, *self.scenario.intents]
        return {i.id for i in every if i.red_line}

    def usable(self, intents: Iterable[str]) -> list[str]:
        """Keep the intents a manager may use without a violation."""
        return [i for i in intents if i not in self.red_line_ids]

    def key_refs(self, key_path: PathKey, keys: Iterable[str]) -> None:
        """Check that each key of the mapping at ``key_path`` names a known intent."""
        for key in keys:
            self.ref((*key_path, key), key, self.intent_ids, INTENT)


def check_library_roles(library: IntentLibrary, doc: YamlDocument) -> list[str]:
    """Report every role of the intent library that names an intent it does not define."""
    refs = CrossRefs(doc)
    known = {i.id for i in library.intents}
    for key_path, ids in library.roles.references():
        refs.refs(("roles", *key_path), ids, known, INTENT)
    return refs.errors


def check_scenario(scenario: Scenario, library: IntentLibrary, doc: YamlDocument) -> CheckReport:
    """Check every reference of ``scenario`` and lint it; positions come from ``doc``."""
    c = _Checker(scenario, library, doc)
    if scenario.roles is not None:
        for key_path, ids in scenario.roles.references():
            c.refs(("roles", *key_path), ids, c.intent_ids, INTENT)
    _check_unique_ids(c)
    _check_own_intents(c)
    _check_facts(c)
    _check_objections(c)
    _check_steps(c)
    _check_decision(c)
    _check_known_terms(c)
    check_lines(c)
    return c.report


def _check_unique_ids(c: _Checker) -> None:
    s = c.scenario
    c.unique(("products",), [p.id for p in s.products], PRODUCT)
    c.unique(("persona", "facts"), [f.id for f in s.persona.facts], FACT)
    c.unique(("persona", "objections"), [o.id for o in s.persona.objections], OBJECTION)
    c.unique(("steps",), [st.id for st in s.steps], STEP)
    c.unique(("intents",), [i.id for i in s.intents], INTENT)
    for n, step in enumerate(s.steps):
        c.unique(("steps", n, "key_points"), [k.id for k in step.key_points], ("要点", "key point"))


def _check_own_intents(c: _Checker) -> None:
    base = {i.id for i in c.library.intents}
    for n, intent in enumerate(c.scenario.intents):
        if intent.id in base:
            c.error(
                ("intents", n, "id"),
                f"意图 “{intent.id}” 与基础意图库重名；场景自己的意图请加前缀",
                f"intent '{intent.id}' reuses a base-library id; prefix the scenario's own intents",
            )
        if not intent.examples and not intent.keywords and not intent.patterns:
            c.warn(
                ("intents", n),
                "这个意图没有例句、关键词或模式，永远识别不到",
                "this intent has no examples, keywords or patterns; it can never be recognised",
            )


def _check_facts(c: _Checker) -> None:
    for n, fact in enumerate(c.scenario.persona.facts):
        path: PathKey = ("persona", "facts", n, "revealed_by")
        c.refs(path, fact.revealed_by, c.intent_ids, INTENT)
        if not c.usable(fact.revealed_by):
            c.warn(
                ("persona", "facts", n),
                "没有任何（非违规的）意图能揭示这个事实",
                "no (non-violating) intent reveals this fact",
            )


def _check_objections(c: _Checker) -> None:
    step_ids = [s.id for s in c.scenario.steps]
    for n, objection in enumerate(c.scenario.persona.objections):
        base: PathKey = ("persona", "objections", n)
        c.ref((*base, "step"), objection.step, step_ids, STEP)
        c.refs((*base, "resolved_by"), objection.resolved_by, c.intent_ids, INTENT)
        if not c.usable(objection.resolvers(c.roles)):
            c.warn(
                base,
                "没有任何（非违规的）意图能化解这个异议",
                "no (non-violating) intent resolves this objection",
            )


def _check_steps(c: _Checker) -> None:
    s = c.scenario
    facts = [f.id for f in s.persona.facts]
    objections = [o.id for o in s.persona.objections]
    c.key_refs(("responses",), s.responses)
    for n, step in enumerate(s.steps):
        base: PathKey = ("steps", n)
        if not step.key_points:
            c.warn(
                base,
                "这个步骤没有要点，无法评分",
                "this step has no key points, so it cannot be scored",
            )
        c.key_refs((*base, "responses"), step.responses)
        for k, point in enumerate(step.key_points):
            kp: PathKey = (*base, "key_points", k)
            c.refs((*kp, "intents"), point.intents, c.intent_ids, INTENT)
            c.refs((*kp, "facts"), point.facts, facts, FACT)
            c.refs((*kp, "objections"), point.objections, objections, OBJECTION)
            if not (point.intents or point.facts or point.objections):
                c.warn(
                    kp,
                    "这个要点没有关联任何意图、事实或异议，永远无法达成",
                    "this key point names no intent, fact or objection; it can never be met",
                )


def _check_decision(c: _Checker) -> None:
    """Check the decision rule's references."""
    s = c.scenario
    rule = s.persona.decision
    base: PathKey = ("persona", "decision")
    c.ref((*base, "product"), rule.product, [p.id for p in s.products], PRODUCT)
    c.refs((*base, "required_intents"), rule.required_intents, c.intent_ids, INTENT)
    c.refs((*base, "required_facts"), rule.required_facts, [f.id for f in s.persona.facts], FACT)
    if isinstance(rule.objections_resolved, list):
        objections = [o.id for o in s.persona.objections]
        c.refs((*base, "objections_resolved"), rule.objections_resolved, objections, OBJECTION)
    _check_decision_can_be_met(c)


def _check_decision_can_be_met(c: _Checker) -> None:
    """Warn about a decision rule that no drill can satisfy."""
    s = c.scenario
    rule = s.persona.decision
    base: PathKey = ("persona", "decision")
    products = {p.id: p for p in s.products}
    if rule.product in products and risk_rank(products[rule.product].risk) > risk_rank(
        s.persona.risk_level
    ):
        c.warn(
            (*base, "product"),
            "成交产品的风险等级高于客户的风险承受等级，成交规则无法满足",
            "the product to buy is above the client's risk level; the decision rule cannot be met",
        )
    revealable = {f.id for f in s.persona.facts if c.usable(f.revealed_by)}
    for n, fact_id in enumerate(rule.required_facts):
        if fact_id not in revealable and fact_id in {f.id for f in s.persona.facts}:
            c.warn(
                (*base, "required_facts", n),
                f"成交规则要求了解事实 “{fact_id}”，但没有任何（非违规的）意图能揭示它，无法满足",
                f"the decision rule needs fact '{fact_id}', which no (non-violating) intent "
                "reveals; it cannot be met",
            )
    if rule.min_facts > len(revealable):
        c.warn(
            (*base, "min_facts"),
            f"要求至少揭示 {rule.min_facts} 个事实，但只有 {len(revealable)} 个能够揭示，"
            "成交规则无法满足",
            f"asks for {rule.min_facts} facts but only {len(revealable)} can be revealed; "
            "the decision rule cannot be met",
        )
    if rule.no_violations and set(rule.required_intents) & c.red_line_ids:
        c.warn(
            (*base, "required_intents"),
            "成交规则要求一个违规意图，同时又要求没有违规，无法满足",
            "the decision rule requires a red-line intent and no violations; it cannot be met",
        )
    for n, intent in enumerate(rule.required_intents):
        if c.roles.has("after_yes", intent):
            c.warn(
                (*base, "required_intents", n),
                f"“{intent}” 按教材顺序在客户同意之后（促成 → 说明手续 → 确认要素），"
                "不应作为成交的前提；先请客户做决定的学生会被拒绝",
                f"'{intent}' comes after the client's yes in the textbook order (close → "
                "procedure → confirmation); as a condition it refuses a student who asks first",
            )


def _check_known_terms(c: _Checker) -> None:
    """Warn about a known term that is no jargon term (the engine would never ask about it)."""
    terms = [*c.library.jargon, *c.scenario.jargon]
    forms = {form for t in terms for form in (t.term, *t.aliases)}
    for n, term in enumerate(c.scenario.persona.known_terms):
        if term not in forms:
            c.warn(
                ("persona", "known_terms", n),
                f"“{term}”不是基础库或本场景 jargon 里的术语（或别名），写了也不起作用",
                f"'{term}' is not a jargon term (or alias) of the library or this scenario; "
                "it has no effect",
            )
