"""The client's decision rule: which conditions hold, and why it buys or walks away."""

from __future__ import annotations

from dataclasses import dataclass

from finsim.client.lines import DECISION_TEXT
from finsim.client.state import ClientState
from finsim.scenario.models import OBJECTION_KIND_NAMES, Objection, Scenario
from finsim.transcript.model import ClientDecision

LABEL_CHARS = {"zh": 16, "en": 40}
"""How many characters of an objection's words a reason quotes."""


@dataclass(frozen=True)
class Verdict:
    """The decision, the reasons (for the record) and what the client adds when declining."""

    decision: ClientDecision
    reasons: list[str]
    say: str


def judge(scenario: Scenario, state: ClientState, intent_names: dict[str, str]) -> Verdict:
    """Apply ``persona.decision`` to the state; every failed condition gives a reason."""
    text = DECISION_TEXT[scenario.language]
    rule = scenario.persona.decision
    sep = ", " if scenario.language == "en" else "、"
    failed: list[tuple[str, str]] = []

    def fail(kind: str, **values: object) -> None:
        failed.append((kind, text[f"reason_{kind}"].format(**values)))

    if state.trust < rule.min_trust:
        fail("trust", value=state.trust, limit=rule.min_trust)
    missing_intents = [i for i in rule.required_intents if i not in state.intents_seen]
    if missing_intents:
        names = sep.join(intent_label(i, intent_names, scenario.language) for i in missing_intents)
        fail("intent", names=names)
    facts = {f.id: f for f in scenario.persona.facts}
    missing_facts = [f for f in rule.required_facts if f not in state.revealed]
    if missing_facts:
        fail("fact", names=sep.join(facts[f].topic for f in missing_facts))
    if len(state.revealed) < rule.min_facts:
        fail("min_facts", value=len(state.revealed), limit=rule.min_facts)
    unresolved = _unresolved(scenario, state)
    if unresolved:
        labels = {o.id: _objection_label(o, scenario.language) for o in scenario.persona.objections}
        fail("objection", names=sep.join(labels[o] for o in unresolved))
    if rule.no_violations and state.violations:
        details = dict.fromkeys(v.detail or v.id for v in state.violations)
        fail("violation", names=("; " if scenario.language == "en" else "；").join(details))
    if not failed:
        return Verdict("accept", [text["reason_met"]], "")
    say = text[f"say_{failed[0][0]}"]
    if say and scenario.language == "en":
        say = " " + say
    return Verdict("decline", [reason for _, reason in failed], say)


def _unresolved(scenario: Scenario, state: ClientState) -> list[str]:
    """Objections the rule needs resolved that are not.

    ``all`` means every objection of the steps up to the one where the decision
    is taken (``state.step``), plus any raised: a concern of a later step
    cannot stand in the way of an earlier close.
    """
    rule = scenario.persona.decision.objections_resolved
    if rule == "none":
        return []
    if rule != "all":
        needed = list(rule)
    else:
        here = scenario.step_index(state.step) if state.step else len(scenario.steps) - 1
        needed = [
            o.id
            for o in scenario.persona.objections
            if scenario.step_index(o.step) <= here or o.id in state.raised
        ]
    return [o for o in needed if o not in state.resolved]


def _objection_label(objection: Objection, lang: str) -> str:
    """Name an objection in a reason: its kind and the start of what the client said."""
    limit = LABEL_CHARS[lang]
    text = objection.text if len(objection.text) <= limit else objection.text[:limit] + "…"
    if lang == "zh":
        return f"{OBJECTION_KIND_NAMES[objection.kind]}「{text}」"
    return f"{objection.kind} '{text}'"


def intent_label(intent_id: str, names: dict[str, str], lang: str) -> str:
    """Name an intent in a reason: its Chinese name in Chinese, its id in English."""
    return names.get(intent_id, intent_id) if lang == "zh" else intent_id
