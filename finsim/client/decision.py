"""The client's decision rule: which conditions hold, and why it buys or walks away."""

from __future__ import annotations

from dataclasses import dataclass

from finsim.client.lines import BUILTIN, DECISION_TEXT, Lang
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
    lang = scenario.language
    text = DECISION_TEXT[lang]
    rule = scenario.persona.decision
    sep = ", " if lang == "en" else "、"
    failed: list[tuple[str, str]] = []
    says: list[str] = []

    def fail(kind: str, say: str, **values: object) -> None:
        failed.append((kind, text[f"reason_{kind}"].format(**values)))
        says.append(say)

    if state.trust < rule.min_trust:
        fail("trust", text["say_trust"], value=state.trust, limit=rule.min_trust)
    missing_intents = [i for i in rule.required_intents if i not in state.intents_seen]
    if missing_intents:
        names = sep.join(intent_label(i, intent_names, lang) for i in missing_intents)
        fail("intent", _say_intents(missing_intents, lang), names=names)
    facts = {f.id: f for f in scenario.persona.facts}
    missing_facts = [f for f in rule.required_facts if f not in state.revealed]
    if missing_facts:
        topics = sep.join(facts[f].topic for f in missing_facts)
        fail("fact", text["say_fact"].format(names=topics), names=topics)
    if len(state.revealed) < rule.min_facts:
        fail("min_facts", text["say_min_facts"], value=len(state.revealed), limit=rule.min_facts)
    unresolved = _unresolved(scenario, state)
    if unresolved:
        objections = {o.id: o for o in scenario.persona.objections}
        labels = sep.join(_objection_label(objections[o], lang) for o in unresolved)
        said = [objections[o].topic for o in unresolved if objections[o].topic]
        named = sep.join(said[:2]) or text["say_objection_generic"]
        fail("objection", text["say_objection"].format(names=named), names=labels)
    if rule.no_violations and state.violations:
        details = dict.fromkeys(v.detail or v.id for v in state.violations)
        words = BUILTIN.violation_words[lang]
        said = list(dict.fromkeys(words[v.id] for v in state.violations if v.id in words))
        named = text["say_join"].join(said[:2]) or text["say_violation_generic"]
        joined = ("; " if lang == "en" else "；").join(details)
        fail("violation", text["say_violation"].format(names=named), names=joined)
    if not failed:
        return Verdict("accept", [text["reason_met"]], "")
    # The client names what is concretely missing (two things at most); mistrust only
    # when nothing else is.
    concrete = [said for (kind, _), said in zip(failed, says, strict=True) if kind != "trust"]
    say = (" " if lang == "en" else "").join(concrete[:2]) if concrete else says[0]
    if lang == "en":
        say = " " + say
    return Verdict("decline", [reason for _, reason in failed], say)


def _say_intents(missing: list[str], lang: Lang) -> str:
    """Say what is missing: the first two acts, in the client's own words."""
    words = BUILTIN.missing_intent[lang]
    named = [words[i] for i in missing if i in words][:2]
    text = DECISION_TEXT[lang]
    if not named:
        return text["say_intent"].format(names=text["say_intent_generic"])
    return text["say_intent"].format(names=text["say_join"].join(named))


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
    return [o for o in needed if o not in state.resolved and o not in state.dropped]


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
