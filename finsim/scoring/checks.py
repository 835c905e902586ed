"""The yes/no checks of a rubric, run on a transcript's evidence.

Each check kind turns into zero or more :class:`Outcome` items (zero: not
applicable; several: one per key point, fact or objection). Every item says
whether it passed, which turn decided it, and why, in the user's language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from finsim.i18n import tr
from finsim.scenario.models import (
    HiddenFact,
    KeyPoint,
    Objection,
    Step,
)
from finsim.scoring.acts import UNSUITABLE, offers, quote
from finsim.scoring.evidence import (
    Act,
    Evidence,
    Turn,
    longest_monologue,
    questions_asked,
)
from finsim.scoring.manner import rude_turns
from finsim.scoring.report import turn_aside
from finsim.scoring.rubric import Check, Rubric, StepTemplate
from finsim.vocabulary import objection_handling, objection_kind_name


def pick(zh: str, en: str) -> str:
    """Rubric text in the user's language (Chinese when no English is given)."""
    return tr(zh, en or zh)


@dataclass(frozen=True)
class Outcome:
    """One evaluated item of a check.

    ``credit`` is the share of the item's points earned (1 when passed, 0 when
    not, in between for a key point partly met or a criterion judged on part
    of the drill); ``done`` and ``missing`` name the acts (intent ids) the
    item found and did not find, so that no two items of a step disagree.
    """

    key: str
    label: str
    passed: bool
    turn: int | None
    explanation: str
    advice: str
    credit: float = -1.0
    done: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def share(self) -> float:
        """The share of the item's points earned."""
        if self.credit >= 0:
            return self.credit
        return 1.0 if self.passed else 0.0


@dataclass(frozen=True)
class Scope:
    """Where a check looks: the scenario step it scores (``None`` for overall criteria).

    ``template`` is the rubric's step template that scores the step: its intent
    checks tell which acts a key point's intents stand for.
    """

    step: Step | None
    number: int | None
    template: StepTemplate | None = None

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
    if _where(check, scope):
        return tr("到本步结束还", "by the end of this step")
    return tr("全程", "in the whole drill")


def _one(
    check: Check,
    passed: bool,
    turn: int | None,
    explanation: str,
    credit: float = -1.0,
    acts: tuple[str, ...] = (),
) -> list[Outcome]:
    return [
        Outcome(
            check.kind,
            _label(check),
            passed,
            turn,
            explanation,
            "" if passed and credit in (-1.0, 1.0) else _advice(check),
            credit,
            acts if passed else (),
            () if passed else acts,
        )
    ]


def first_act(
    ev: Evidence, intents: Iterable[str], turns: Iterable[Turn], rubric: Rubric
) -> Turn | None:
    """Return the first of ``turns`` that did one of ``intents``, on a line without a violation.

    An act that a violation of the drill takes back (the rubric's ``voids``: a
    risk assessment the manager filled in, a disclosure contradicted by a
    promise) is never found.
    """
    wanted = set(intents)
    gone = {a for a in wanted if set(rubric.voids.get(a, [])) & {v.id for v in ev.acts}}
    return ev.first_with_intent(wanted - gone, ev.clean(turns))


def voided(ev: Evidence, intents: Iterable[str], rubric: Rubric) -> str:
    """Why an act does not count: the violation that took it back, with its turn (or '')."""
    for intent_id in intents:
        for act in ev.acts:
            if act.id in rubric.voids.get(intent_id, []):
                red = rubric.red_line(act.id)
                return tr(
                    f"（第{act.turn}轮{pick(red.name, red.name_en)}，不算数）",
                    f" (turn {act.turn}: {pick(red.name, red.name_en)}; it does not count)",
                )
    return ""


def _intent(check: Check, ev: Evidence, scope: Scope, rubric: Rubric) -> list[Outcome]:
    turns = ev.through_step(ev.manager, _where(check, scope))
    if check.first_turns:
        turns = turns[: check.first_turns]
    hit = first_act(ev, check.intents, turns, rubric)
    label = _label(check)
    acts = tuple(check.intents)
    if hit is not None:
        text = tr(f"第{hit.turn}轮{label}", f"turn {hit.turn}: {label}")
        found = tuple(i for i in check.intents if i in hit.intents)
        return _one(check, True, hit.turn, text, acts=found)
    where = _nowhere(check, scope)
    why = voided(ev, check.intents, rubric)
    return _one(
        check,
        False,
        None,
        tr(f"{where}没有{label}{why}", f"did not {label} {where}{why}"),
        acts=acts,
    )


def _intent_before(check: Check, ev: Evidence, scope: Scope, rubric: Rubric) -> list[Outcome]:
    turns = ev.in_step(ev.manager, _where(check, scope))
    trigger = ev.first_asking(check.before, turns)
    label, before = _label(check), pick(check.before_label, check.before_label_en)
    if trigger is None:
        if not ev.manager:
            return _one(check, False, None, silent())
        found = first_act(
            ev, check.intents, ev.through_step(ev.manager, _where(check, scope)), rubric
        )
        return _no_trigger(check, found, label, before, ev.coverage)
    target = first_act(ev, check.intents, ev.manager, rubric)  # earlier steps count too
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


def silent() -> str:
    """Why a check that needs the manager fails when the manager said nothing."""
    return tr("客户经理没有发言", "the manager said nothing")


def _partly(coverage: float) -> str:
    """Return the note on a criterion judged on the part of the drill the manager played."""
    if coverage >= 1.0:
        return ""
    share = f"{coverage:.0%}"
    return tr(
        f"（演练只覆盖了{share}的步骤，按比例计分）",
        f" (the drill covered {share} of the steps: credit in proportion)",
    )


def _no_trigger(
    check: Check, target: Turn | None, label: str, before: str, coverage: float
) -> list[Outcome]:
    if check.if_no_trigger == "skip":
        return []
    if check.if_no_trigger == "pass":
        return _one(
            check,
            True,
            None,
            tr(f"没有{before}，不扣分", f"no {before}, nothing to lose") + _partly(coverage),
            credit=coverage,
        )
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
    return [_key_point(ev, step, kp, scope, rubric) for kp in step.key_points]


@dataclass(frozen=True)
class _Part:
    """One thing a key point asks for: an act, a fact to find out, an objection to resolve."""

    name: str
    turn: int | None
    act: str = ""


def _key_point(ev: Evidence, step: Step, kp: KeyPoint, scope: Scope, rubric: Rubric) -> Outcome:
    """Judge a key point: met in the share of its parts that were done by the end of its step."""
    parts = _parts(ev, step, kp, scope, rubric)
    done = [p for p in parts if p.turn is not None]
    credit = len(done) / len(parts) if parts else 0.0
    turn = max((p.turn for p in done if p.turn is not None), default=None)
    advice = tr(
        f"在“{step.name}”这一步做到：{kp.text}。", f"In '{step.name}', make sure to: {kp.text}."
    )
    if credit == 1.0:
        text = tr(f"第{turn}轮做到要点“{kp.text}”", f"turn {turn}: key point '{kp.text}' met")
        advice = ""
    elif done:
        did = tr("、", ", ").join(p.name + turn_aside(p.turn) for p in done)
        miss = tr("、", ", ").join(p.name for p in parts if p.turn is None)
        text = tr(
            f"要点“{kp.text}”只做到一部分：{did}；还没有{miss}",
            f"key point '{kp.text}' partly met: {did}; still missing: {miss}",
        )
    else:
        text = tr(f"要点“{kp.text}”未做到", f"key point '{kp.text}' not met")
    return Outcome(
        f"key_point:{kp.id}",
        kp.text,
        credit > 0,
        turn,
        text,
        advice,
        credit,
        tuple(p.act for p in done if p.act),
        tuple(p.act for p in parts if p.act and p.turn is None),
    )


def _parts(ev: Evidence, step: Step, kp: KeyPoint, scope: Scope, rubric: Rubric) -> list[_Part]:
    """Return the parts of a key point: its acts and objections, or its facts alone."""
    upto = ev.through_step(ev.annotated, step.id)
    revealed = {f: t.turn for t in reversed(upto) if t.annotations for f in t.annotations.revealed}
    parts: list[_Part] = []
    for act in kp.intents:
        hit = first_act(
            ev, _same_act(act, scope.template), ev.through_step(ev.manager, step.id), rubric
        )
        parts.append(_Part(ev.intent_name(act), hit.turn if hit else None, act))
    if not kp.intents:  # a key point of facts alone: each fact found out
        for fact in ev.scenario.persona.facts:
            if fact.id in kp.facts:
                name = tr(f"了解到“{fact.topic}”", f"find out '{fact.topic}'")
                parts.append(_Part(name, revealed.get(fact.id)))
    for objection_id in kp.objections:
        resolved = next(
            (t.turn for t in upto if t.annotations and objection_id in t.annotations.resolved), None
        )
        objection = next((o for o in ev.scenario.persona.objections if o.id == objection_id), None)
        kind = objection_kind_name(objection.kind) if objection else ""
        parts.append(_Part(tr(f"化解{kind}类异议", f"resolve the {kind} objection"), resolved))
    return parts


def _same_act(act: str, template: StepTemplate | None) -> set[str]:
    """Return the intents that count as ``act``: those every intent check naming it accepts.

    A key point that lists ``introduce_product`` is met by what the step's check
    "介绍产品" accepts, so the key point and the check never disagree.
    """
    same = {act}
    if template is None:
        return same
    groups = [
        set(c.intents)
        for criterion in template.criteria
        for c in criterion.checks
        if c.kind == "intent" and act in c.intents
    ]
    return set.intersection(*groups) | same if groups else same


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


def _acts_in(ev: Evidence, step: str | None, ids: list[str]) -> list[Act]:
    """Return the violations of ``ids`` (any when empty) made in ``step`` (``None``: anywhere)."""
    return [a for a in ev.acts if (step is None or a.step == step) and (not ids or a.id in ids)]


def describe(act: Act, rubric: Rubric) -> str:
    """Describe a violation in one phrase: 第5轮代客填写或诱导风险测评：“这几题我帮您勾好了…”."""
    red = rubric.red_line(act.id)
    name = pick(red.name, red.name_en)
    detail = act.detail if act.detail and act.detail not in name and name not in act.detail else ""
    note = tr(f"（{detail}）", f" ({detail})") if detail else ""
    words = tr(f"：“{act.words}”", f': "{act.words}"') if act.words else ""
    return tr(f"第{act.turn}轮{name}", f"turn {act.turn}: {name}") + note + words


def _no_violation(check: Check, ev: Evidence, scope: Scope, rubric: Rubric) -> list[Outcome]:
    if not ev.manager:
        return _one(check, False, None, silent())
    found = _acts_in(ev, _where(check, scope), check.violations)
    label = _label(check)
    if not found:
        where = _nowhere(check, scope)
        kept = tr(f"{where}做到了{label}", f"{label}: kept {where}")
        return _one(check, True, None, kept + _partly(ev.coverage), credit=ev.coverage)
    parts = [describe(a, rubric) for a in found]
    return _one(check, False, found[0].turn, tr("；", "; ").join(parts))


def _suitability(check: Check, ev: Evidence, scope: Scope, rubric: Rubric) -> list[Outcome]:
    level = ev.scenario.persona.risk_level
    where = _where(check, scope)
    lines = ev.in_step(ev.manager, where)
    recs = [(t.turn, offered) for t in lines for offered, _ in offers(ev, t)]
    flagged = _acts_in(ev, where, [UNSUITABLE])
    if flagged:
        first = flagged[0]
        parts = [describe(a, rubric) for a in flagged]
        return _one(check, False, first.turn, tr("；", "; ").join(parts))
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
    if not ev.manager:
        return _one(check, False, None, silent())
    value, turn, text = _measure(check, ev)
    ok = (check.min is None or value >= check.min) and (check.max is None or value <= check.max)
    if ok and check.min is None:  # a limit kept: worth only as much of the drill as was played
        return _one(check, ok, turn, text + _partly(ev.coverage), credit=ev.coverage)
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
        n = questions_asked(ev)
        want = f"{check.min:g}" if check.min is not None else ""
        return (
            n,
            None,
            tr(
                f"了解客户的提问共{n}次（要求至少{want}次）",
                f"{n} questions about the client (at least {want} wanted)",
            ),
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
    if check.metric == "rude":
        return _rude(ev)
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


def _rude(ev: Evidence) -> tuple[float, int | None, str]:
    rude = rude_turns(ev.manager)
    if not rude:
        return 0, None, tr("言语得体，没有失礼的话", "no words that talk down to the client")
    where = "、".join(str(t.turn) for t in rude)
    return (
        len(rude),
        rude[0].turn,
        tr(
            f"第{where}轮言语失礼：“{quote(rude[0].text)}”",
            f"turns {where}: words that talk down to the client: '{quote(rude[0].text)}'",
        ),
    )


def talk_share(ev: Evidence) -> float:
    """Return the manager's share of all characters spoken by manager and client."""
    manager = sum(t.chars for t in ev.turns if t.speaker == "manager")
    client = sum(t.chars for t in ev.turns if t.speaker == "client")
    return manager / (manager + client) if manager + client else 0.0


def _trust(check: Check, ev: Evidence, scope: Scope, rubric: Rubric) -> list[Outcome]:
    if not ev.manager:
        return _one(check, False, None, silent())
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
