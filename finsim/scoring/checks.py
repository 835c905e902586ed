"""The yes/no checks of a rubric, run on a transcript's evidence.

Each check kind turns into zero or more :class:`Outcome` items (zero: not
applicable; several: one per key point, fact or objection). Every item says
whether it passed, which turn decided it, and why, in the user's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from finsim.i18n import tr
from finsim.scenario.models import (
    HiddenFact,
    KeyPoint,
    Objection,
    Step,
    risk_rank,
)
from finsim.scoring.evidence import (
    Evidence,
    Turn,
    longest_monologue,
    question_count,
)
from finsim.scoring.rubric import Check, Rubric
from finsim.transcript.model import Violation
from finsim.vocabulary import objection_handling, objection_kind_name


def pick(zh: str, en: str) -> str:
    """Rubric text in the user's language (Chinese when no English is given)."""
    return tr(zh, en or zh)


@dataclass(frozen=True)
class Outcome:
    """One evaluated item of a check."""

    key: str
    label: str
    passed: bool
    turn: int | None
    explanation: str
    advice: str


@dataclass(frozen=True)
class Scope:
    """Where a check looks: the scenario step it scores (``None`` for overall criteria)."""

    step: Step | None
    number: int | None

    @property
    def step_id(self) -> str | None:
        """The step id, or ``None`` for the whole drill."""
        return self.step.id if self.step is not None else None


def run_check(check: Check, ev: Evidence, scope: Scope, rubric: Rubric) -> list[Outcome]:
    """Evaluate ``check``; an empty list means the check does not apply here."""
    return _RUNNERS[check.kind](check, ev, scope, rubric)


def _label(check: Check) -> str:
    return pick(check.label, check.label_en)


def _advice(check: Check) -> str:
    return pick(check.advice, check.advice_en)


def _where(check: Check, scope: Scope) -> str | None:
    return scope.step_id if check.scope == "step" else None


def _nowhere(check: Check, scope: Scope) -> str:
    if check.first_turns:
        return tr(f"开场{check.first_turns}轮内", f"in the first {check.first_turns} turns")
    return tr("本步", "in this step") if _where(check, scope) else tr("全程", "in the whole drill")


def _one(check: Check, passed: bool, turn: int | None, explanation: str) -> list[Outcome]:
    return [
        Outcome(
            check.kind, _label(check), passed, turn, explanation, "" if passed else _advice(check)
        )
    ]


def _intent(check: Check, ev: Evidence, scope: Scope, rubric: Rubric) -> list[Outcome]:
    turns = ev.in_step(ev.manager, _where(check, scope))
    if check.first_turns:
        turns = turns[: check.first_turns]
    hit = ev.first_with_intent(check.intents, turns)
    label = _label(check)
    if hit is not None:
        return _one(
            check, True, hit.turn, tr(f"第{hit.turn}轮{label}", f"turn {hit.turn}: {label}")
        )
    where = _nowhere(check, scope)
    return _one(check, False, None, tr(f"{where}没有{label}", f"did not {label} {where}"))


def _intent_before(check: Check, ev: Evidence, scope: Scope, rubric: Rubric) -> list[Outcome]:
    turns = ev.in_step(ev.manager, _where(check, scope))
    trigger = ev.first_with_intent(check.before, turns)
    label, before = _label(check), pick(check.before_label, check.before_label_en)
    if trigger is None:
        return _no_trigger(check, ev.first_with_intent(check.intents, turns), label, before)
    target = ev.first_with_intent(check.intents, ev.manager)  # earlier steps count too
    t = trigger.turn
    if target is not None and target.turn <= t:
        return _one(
            check,
            True,
            target.turn,
            tr(
                f"第{target.turn}轮{label}，早于第{t}轮{before}",
                f"turn {target.turn}: {label}, before {before} at turn {t}",
            ),
        )
    late = tr(f"（第{target.turn}轮才{label}）", f" (only at turn {target.turn})") if target else ""
    return _one(
        check,
        False,
        t,
        tr(f"第{t}轮{before}前未{label}{late}", f"turn {t}: {before} without first {label}{late}"),
    )


def _no_trigger(check: Check, target: Turn | None, label: str, before: str) -> list[Outcome]:
    if check.if_no_trigger == "skip":
        return []
    if check.if_no_trigger == "pass":
        return _one(check, True, None, tr(f"没有{before}，不扣分", f"no {before}, nothing to lose"))
    if target is not None:
        return _one(
            check,
            True,
            target.turn,
            tr(f"第{target.turn}轮{label}", f"turn {target.turn}: {label}"),
        )
    return _one(
        check, False, None, tr(f"没有{before}，也没有{label}", f"neither {before} nor {label}")
    )


def _key_points(check: Check, ev: Evidence, scope: Scope, rubric: Rubric) -> list[Outcome]:
    step = scope.step
    if step is None:
        return []
    unique = _unique_key_points(ev)
    results = []
    for kp in step.key_points:
        turn = _key_point_turn(ev, step, kp, kp.id in unique)
        if turn is not None:
            text = tr(f"第{turn}轮做到要点“{kp.text}”", f"turn {turn}: key point '{kp.text}' met")
        else:
            text = tr(f"要点“{kp.text}”未做到", f"key point '{kp.text}' not met")
        advice = tr(
            f"在“{step.name}”这一步做到：{kp.text}。", f"In '{step.name}', make sure to: {kp.text}."
        )
        results.append(
            Outcome(
                f"key_point:{kp.id}",
                kp.text,
                turn is not None,
                turn,
                text,
                advice if turn is None else "",
            )
        )
    return results


def _unique_key_points(ev: Evidence) -> set[str]:
    ids = [kp.id for s in ev.scenario.steps for kp in s.key_points]
    return {i for i in ids if ids.count(i) == 1}


def _key_point_turn(ev: Evidence, step: Step, kp: KeyPoint, unique: bool) -> int | None:
    """Find the first turn that met ``kp`` (marked by the engine, or shown in the step)."""
    marked = [
        t.turn
        for t in ev.annotated
        if t.annotations and kp.id in t.annotations.key_points and (unique or t.step == step.id)
    ]
    shown = [t.turn for t in ev.in_step(ev.annotated, step.id) if _shows(t, kp)]
    found = marked + shown
    return min(found) if found else None


def _shows(t: Turn, kp: KeyPoint) -> bool:
    ann = t.annotations
    if ann is None:
        return False
    return bool(
        t.intents & set(kp.intents)
        or set(ann.revealed) & set(kp.facts)
        or set(ann.resolved) & set(kp.objections)
    )


def _facts(check: Check, ev: Evidence, scope: Scope, rubric: Rubric) -> list[Outcome]:
    label = _label(check)
    results = []
    for fact in _facts_in_scope(check, ev, scope):
        revealed = next(
            (t.turn for t in ev.annotated if t.annotations and fact.id in t.annotations.revealed),
            None,
        )
        withheld = next(
            (t.turn for t in ev.annotated if t.annotations and fact.id in t.annotations.withheld),
            None,
        )
        if revealed is not None:
            text = tr(
                f"第{revealed}轮{label}“{fact.topic}”", f"turn {revealed}: {label} '{fact.topic}'"
            )
        elif withheld is not None:
            text = tr(
                f"第{withheld}轮客户有所保留，没说出“{fact.topic}”（敏感信息，需先赢得信任）",
                f"turn {withheld}: the client held back '{fact.topic}' "
                "(sensitive: earn trust first)",
            )
        else:
            text = tr(f"没有了解到“{fact.topic}”", f"did not find out '{fact.topic}'")
        advice = tr(f"多问一句，了解客户的“{fact.topic}”", f"Ask about the client's '{fact.topic}'")
        if fact.sensitive:
            advice += tr("（敏感信息，先建立信任再问）", " (sensitive: build trust first)")
        turn = revealed if revealed is not None else withheld
        results.append(
            Outcome(
                f"fact:{fact.id}",
                f"{label}{fact.topic}",
                revealed is not None,
                turn,
                text,
                "" if revealed is not None else advice + tr("。", "."),
            )
        )
    return results


def _facts_in_scope(check: Check, ev: Evidence, scope: Scope) -> list[HiddenFact]:
    facts = ev.scenario.persona.facts
    if check.via:
        return [f for f in facts if set(check.via) & set(f.revealed_by)]
    step = scope.step if check.scope == "step" else None
    if step is None:
        return list(facts)
    ids = {f for kp in step.key_points for f in kp.facts}
    intents = {i for kp in step.key_points for i in kp.intents}
    return [f for f in facts if f.id in ids or intents & set(f.revealed_by)]


def _objections(check: Check, ev: Evidence, scope: Scope, rubric: Rubric) -> list[Outcome]:
    where = _where(check, scope)
    return [
        _objection(ev, o)
        for o in ev.scenario.persona.objections
        if where is None or o.step == where
    ]


def _objection(ev: Evidence, o: Objection) -> Outcome:
    def first(attr: str) -> int | None:
        return next(
            (
                t.turn
                for t in ev.annotated
                if t.annotations and o.id in getattr(t.annotations, attr)
            ),
            None,
        )

    raised, resolved, wrong = first("raised"), first("resolved"), first("mishandled")
    if raised is None:  # raised when the drill enters its step, annotated or not
        raised = next((t.turn for t in ev.turns if t.step == o.step), None)
    kind = objection_kind_name(o.kind)
    handling = objection_handling(o.kind)
    label = tr(f"化解{kind}类异议", f"resolve the {kind} objection")
    advice = tr(
        f"客户说“{o.text}”，这是{kind}类异议，应当{handling}。",
        f"'{o.text}' is a {kind} objection: {handling}.",
    )
    if resolved is not None:
        text = tr(
            f"第{resolved}轮化解了客户的{kind}类异议“{o.text}”",
            f"turn {resolved}: resolved the {kind} objection '{o.text}'",
        )
        return Outcome(f"objection:{o.id}", label, True, resolved, text, "")
    if raised is None and wrong is None:
        text = tr(
            f"客户的{kind}类异议“{o.text}”没有出现（演练没有进行到这一步）",
            f"the {kind} objection '{o.text}' never came up (the drill did not reach it)",
        )
        return Outcome(f"objection:{o.id}", label, False, None, text, advice)
    text = tr(
        f"客户的{kind}类异议“{o.text}”没有化解", f"the {kind} objection '{o.text}' was not resolved"
    )
    if raised is not None:
        text = tr(f"客户在第{raised}轮提出的", f"turn {raised}: ") + text.removeprefix("客户的")
    if wrong is not None:
        text += tr(
            f"（第{wrong}轮处理方法不对，{kind}类异议应当{handling}）",
            f" (turn {wrong}: wrong handling; {handling})",
        )
    return Outcome(
        f"objection:{o.id}", label, False, wrong if wrong is not None else raised, text, advice
    )


def _violations_in(ev: Evidence, step: str | None, ids: list[str]) -> list[tuple[Turn, Violation]]:
    found: list[tuple[Turn, Violation]] = []
    for t in ev.in_step(ev.annotated, step):
        for v in t.annotations.violations if t.annotations else []:
            if not ids or v.id in ids:
                found.append((t, v))
    return found


def _no_violation(check: Check, ev: Evidence, scope: Scope, rubric: Rubric) -> list[Outcome]:
    found = _violations_in(ev, _where(check, scope), check.violations)
    label = _label(check)
    if not found:
        return _one(
            check,
            True,
            None,
            tr(f"{_nowhere(check, scope)}做到了{label}", f"{label}: kept {_nowhere(check, scope)}"),
        )
    parts = []
    for t, v in found:
        red = rubric.red_line(v.id)
        name = pick(red.name, red.name_en)
        detail = v.detail if v.detail and v.detail not in name and name not in v.detail else ""
        note = tr(f"（{detail}）", f" ({detail})") if detail else ""
        parts.append(tr(f"第{t.turn}轮{name}", f"turn {t.turn}: {name}") + note)
    return _one(check, False, found[0][0].turn, tr("；", "; ").join(parts))


def _suitability(check: Check, ev: Evidence, scope: Scope, rubric: Rubric) -> list[Outcome]:
    level = ev.scenario.persona.risk_level
    where = _where(check, scope)
    known = {p.id: p for p in ev.scenario.products}
    recs = [
        (t.turn, known[p])
        for t in ev.in_step(ev.manager, where)
        if ev.roles.any_of("recommend", t.intents) and t.annotations
        for p in t.annotations.products
        if p in known
    ]
    flagged = [
        (t.turn, known.get(v.product or ""))
        for t, v in _violations_in(ev, where, ["unsuitable_recommendation"])
    ]
    above = [(n, p) for n, p in recs if risk_rank(p.risk) > risk_rank(level)] + flagged
    if above:
        first = min(n for n, _ in above)
        names = "、".join(sorted({f"{p.name}（{p.risk}）" for _, p in above if p})) or tr(
            "产品", "a product"
        )
        return _one(
            check,
            False,
            first,
            tr(
                f"第{first}轮推荐的{names}超出客户的风险等级{level}",
                f"turn {first}: recommended {names} above the client's level {level}",
            ),
        )
    if not recs:
        if where is not None:
            return []
        return _one(check, False, None, tr("没有向客户推荐具体产品", "no product was recommended"))
    turn, product = recs[0]
    return _one(
        check,
        True,
        turn,
        tr(
            f"第{turn}轮推荐的{product.name}（{product.risk}）与客户的风险等级{level}相符",
            f"turn {turn}: {product.name} ({product.risk}) fits the client's level {level}",
        ),
    )


def _outcome(check: Check, ev: Evidence, scope: Scope, rubric: Rubric) -> list[Outcome]:
    decision = ev.outcome.decision if ev.outcome else "undecided"
    product_id = ev.outcome.product if ev.outcome else None
    names = {p.id: p.name for p in ev.scenario.products}
    product = names.get(product_id or "", product_id or "")
    said = {
        "bought": tr(f"客户决定购买{product}", f"the client bought {product}"),
        "declined": tr("客户最终没有购买", "the client declined"),
        "undecided": tr("客户没有做出决定", "the client did not decide"),
    }[decision]
    reasons = ev.outcome.reasons if ev.outcome else []
    if reasons and decision != "bought":
        said += tr("：", ": ") + tr("；", "; ").join(reasons)
    return _one(check, decision == check.decision, ev.decision_turn(), said)


def _metric(check: Check, ev: Evidence, scope: Scope, rubric: Rubric) -> list[Outcome]:
    value, turn, text = _measure(check, ev)
    ok = (check.min is None or value >= check.min) and (check.max is None or value <= check.max)
    return _one(check, ok, turn, text)


def _measure(check: Check, ev: Evidence) -> tuple[float, int | None, str]:
    if check.metric == "talk_share":
        share = talk_share(ev)
        limit = f"{check.max:.0%}" if check.max is not None else ""
        return (
            share,
            None,
            tr(
                f"客户经理发言占{share:.0%}（要求不超过{limit}）",
                f"the manager spoke {share:.0%} of the time (limit {limit})",
            ),
        )
    if check.metric == "questions":
        n = sum(question_count(t, ev.roles) for t in ev.manager)
        want = f"{check.min:g}" if check.min is not None else ""
        return (
            n,
            None,
            tr(f"共提问{n}次（要求至少{want}次）", f"{n} questions (at least {want} wanted)"),
        )
    if check.metric == "longest_monologue":
        mono = longest_monologue(ev.turns)
        limit = f"{check.max:g}" if check.max is not None else ""
        at = tr(f"第{mono.turn}轮", f"turn {mono.turn}: ") if mono.turn is not None else ""
        return (
            mono.chars,
            mono.turn,
            tr(
                f"{at}最长一次发言{mono.chars}字（上限{limit}字）",
                f"{at}longest turn {mono.chars} characters (limit {limit})",
            ),
        )
    turns = [(t.turn, term) for t in ev.manager if t.annotations for term in t.annotations.jargon]
    if not turns:
        return 0, None, tr("用到的专业术语都做了解释", "every technical term was explained")
    where = "、".join(sorted({str(n) for n, _ in turns}, key=int))
    terms = "、".join(dict.fromkeys(term for _, term in turns))
    return (
        len(turns),
        turns[0][0],
        tr(
            f"第{where}轮有{len(turns)}处术语未解释：{terms}",
            f"turns {where}: {len(turns)} unexplained term(s): {terms}",
        ),
    )


def talk_share(ev: Evidence) -> float:
    """Return the manager's share of all characters spoken by manager and client."""
    manager = sum(t.chars for t in ev.turns if t.speaker == "manager")
    client = sum(t.chars for t in ev.turns if t.speaker == "client")
    return manager / (manager + client) if manager + client else 0.0


def _trust(check: Check, ev: Evidence, scope: Scope, rubric: Rubric) -> list[Outcome]:
    trust = ev.final_trust(_where(check, scope))
    if trust is None:
        return []
    need = f"{check.min:g}" if check.min is not None else ""
    ok = check.min is None or trust >= check.min
    return _one(
        check,
        ok,
        None,
        tr(
            f"客户信任度最终为{trust}（要求至少{need}）",
            f"final trust {trust} (at least {need} wanted)",
        ),
    )


_RUNNERS: dict[str, Callable[[Check, Evidence, Scope, Rubric], list[Outcome]]] = {
    "key_points": _key_points,
    "intent": _intent,
    "intent_before": _intent_before,
    "facts": _facts,
    "objections": _objections,
    "no_violation": _no_violation,
    "suitability": _suitability,
    "outcome": _outcome,
    "metric": _metric,
    "trust": _trust,
}
