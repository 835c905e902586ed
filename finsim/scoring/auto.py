"""The automatic score: a rubric applied to a transcript, every point explained.

:func:`auto_score` is pure and deterministic: the same transcript and rubric
always give the same :class:`~finsim.scoring.report.ScoreReport`. It reads the
transcript alone (the header embeds the scenario as played), never the
scenario file.

How points are computed:

* a criterion's points are shared among its applicable checks by ``weight``;
  a check that expands (one per key point, fact or objection) splits its share
  evenly; a passed item earns its share, a failed one earns nothing;
* an item earns its share times its credit: a key point partly met, or a
  limit kept (no violation, talk share) over only part of the drill, earns
  part of its share; a drill with no manager line earns nothing for anything
  the manager has to do or keep;
* violations are acts at their turn (:mod:`finsim.scoring.acts`), each counted
  once; a line that carries one earns nothing for what else it does;
* a step's points are the sum of its criteria, curved by the rubric's
  ``step_exponent`` (a step done in part is worth less than that part: with
  1.3, half the step's points make 41 % of them), minus each red line's
  ``deduct`` for the violations in that step, never below zero, and at most
  ``cap`` × the step's maximum once a red line happened there;
* the total is the sum of the steps and the overall criteria, at most the
  drill's ceiling: each violation takes its ``ceiling`` percent of what the
  drill could still be worth (two of 35 %: at most 42.25 % of the maximum),
  and a drill with violations that earned less than ``thin_drill_percent`` of
  the maximum keeps only that share of it (15 % earned of 40 %: three eighths);
  everything is rounded to two decimals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from finsim import __version__
from finsim.i18n import tr
from finsim.scoring.acts import OMISSIONS, violation_acts
from finsim.scoring.checks import Outcome, Scope, describe, pick, run_check, talk_share
from finsim.scoring.evidence import Evidence, TranscriptLike, longest_monologue, questions_asked
from finsim.scoring.loader import read_rubric
from finsim.scoring.matching import StepMatch, match_steps
from finsim.scoring.report import (
    SCORE_SCHEMA,
    CheckResult,
    CriterionScore,
    Deduction,
    Metrics,
    ScoreReport,
    StepScore,
    ViolationItem,
)
from finsim.scoring.rubric import Check, Criterion, RedLine, Rubric

MAX_SUGGESTIONS = 3

_NOT_APPLICABLE = {
    "key_points": ("本步没有设定要点", "the step has no key points"),
    "objections": ("这一步客户没有异议", "the client has no objection in this step"),
    "facts": ("没有与这一步相关的客户信息", "no client facts belong to this step"),
    "trust": ("这一步没有可判断的对话", "nothing to judge in this step"),
    "intent_before": ("这一步没有请客户做决定", "no decision was asked for in this step"),
    "suitability": ("这一步没有推荐产品", "no product was recommended in this step"),
}


def auto_score(
    transcript: TranscriptLike | Sequence[object],
    rubric: Rubric | None = None,
) -> ScoreReport:
    """Score a transcript (a reader's result, or events starting with the header)."""
    rubric = rubric or read_rubric()
    ev = Evidence.from_transcript(transcript)
    ev = replace(ev, acts=tuple(violation_acts(ev)), omissions=OMISSIONS)
    matches = match_steps(rubric, ev.scenario)
    steps = [_score_step(ev, m, rubric) for m in matches]
    overall = [_score_criterion(ev, c, Scope(None, None), rubric, "") for c in rubric.overall]
    earned = _r(sum(s.points for s in steps) + sum(c.points for c in overall))
    maximum = _r(sum(s.max for s in steps) + sum(c.max for c in overall))
    ceiling = _ceiling(ev, rubric, maximum, earned)
    total = min(earned, ceiling) if ceiling is not None else earned
    return ScoreReport(
        schema=SCORE_SCHEMA,
        program_version=__version__,
        rubric_id=rubric.id,
        scenario_id=ev.scenario.id,
        total=total,
        max=maximum,
        percent=_r(100 * total / maximum) if maximum else 0.0,
        level=rubric.bands.level(total, maximum),
        earned=earned,
        ceiling=ceiling if ceiling is not None and ceiling < earned else None,
        ceiling_reason=_ceiling_reason(
            ev, rubric, ceiling, _thin_scale(ev, rubric, earned, maximum) < 1
        )
        if ceiling is not None and ceiling < earned
        else "",
        steps=steps,
        overall=overall,
        violations=_violations(ev, rubric),
        metrics=_metrics(ev),
        outcome=ev.outcome.decision if ev.outcome else "undecided",
        outcome_product=ev.outcome.product if ev.outcome else None,
        suggestions=_suggestions(steps, overall),
    )


def score_file(path: Path, rubric: Rubric | None = None) -> ScoreReport:
    """Read a transcript file and score it."""
    from finsim.transcript.reader import read_transcript

    return auto_score(read_transcript(path), rubric)


def score_session_summary(transcript_path: Path, rubric: Rubric | None = None) -> ScoreReport:
    """Score a finished drill for its end card (the default rubric unless one is given)."""
    return score_file(transcript_path, rubric)


def _r(value: float) -> float:
    return round(value + 0.0, 2)


def fmt(value: float) -> str:
    """Points as people write them: ``4``, ``2.5``, ``1.33``."""
    return f"{_r(value):g}"


def _ceiling(ev: Evidence, rubric: Rubric, maximum: float, earned: float) -> float | None:
    """Return the most the drill can score after its violations (``None``: none lowers it).

    Each breach lowers it once, by its heaviest name: violations of one ``breach`` said in
    one line (a promised return that is also a quoted expected rate) are one breach, named
    twice, while one line that misstates a return *and* puts forward an unsuitable product
    is two. A drill that broke a rule that fails it (``RedLine.fails``) is worth at most
    ``fail_percent`` of the maximum, less half the ceiling of each further breach; that
    drill, if it also earned less than the rubric's ``thin_drill_percent``, keeps only that
    share of what the violations left it.
    """
    heaviest: dict[tuple[int, str], RedLine] = {}
    for act in ev.acts:
        red = rubric.red_line(act.id)
        breach = (act.turn, red.breach or red.id)
        if breach not in heaviest or red.ceiling > heaviest[breach].ceiling:
            heaviest[breach] = red
    breaches = list(heaviest.values())
    share = 1.0
    for red in breaches:
        share *= 1 - red.ceiling / 100
    if rubric.fail_percent and any(red.fails for red in breaches):
        share = min(share, _failed_share(rubric.fail_percent, breaches))
    if share == 1:
        return None
    return _r(min(earned, maximum * share) * _thin_scale(ev, rubric, earned, maximum))


def _failed_share(fail_percent: float, breaches: list[RedLine]) -> float:
    """Return what a failed drill keeps: ``fail_percent``, less half of each further ceiling.

    The heaviest breach that fails the drill sets it; every other breach fails it further.
    """
    ordered = sorted(breaches, key=lambda red: red.ceiling, reverse=True)
    ordered.remove(next(red for red in ordered if red.fails))
    share = fail_percent / 100
    for red in ordered:
        share *= 1 - red.ceiling / 200
    return share


def _failed(ev: Evidence, rubric: Rubric) -> bool:
    """Whether the drill broke a rule that fails it (an omission alone does not)."""
    return any(rubric.red_line(act.id).fails for act in ev.acts)


def _thin_scale(ev: Evidence, rubric: Rubric, earned: float, maximum: float) -> float:
    """Return the share a failed thin drill keeps: earned ÷ ``thin_drill_percent`` of the max.

    A drill that failed no rule, or earned at least that share, keeps all (1).
    """
    thin = rubric.thin_drill_percent / 100 * maximum
    return earned / thin if earned < thin and _failed(ev, rubric) else 1.0


def _ceiling_reason(ev: Evidence, rubric: Rubric, ceiling: float | None, thin: bool) -> str:
    names = tr("、", ", ").join(
        tr(
            f"第{a.turn}轮{_red_name(ev, rubric, a.id)}",
            f"turn {a.turn}: {_red_name(ev, rubric, a.id)}",
        )
        for a in ev.acts
        if rubric.red_line(a.id).ceiling
    )
    if thin:
        percent = fmt(rubric.thin_drill_percent)
        return tr(
            f"有违规（{names}），流程完成不到{percent}%，总分封顶{fmt(ceiling or 0)}",
            f"violations ({names}) and less than {percent}% of the process done: "
            f"the total is capped at {fmt(ceiling or 0)}",
        )
    return tr(
        f"有违规（{names}），总分封顶{fmt(ceiling or 0)}",
        f"violations ({names}): the total is capped at {fmt(ceiling or 0)}",
    )


def _red_name(ev: Evidence, rubric: Rubric, violation_id: str) -> str:
    """Name a violation: the rubric's name, else the intent library's, never the bare id."""
    red = rubric.red_line(violation_id)
    if red is rubric.default_red_line and violation_id in ev.intent_names:
        return ev.intent_name(violation_id)
    return pick(red.name, red.name_en)


def _score_step(ev: Evidence, match: StepMatch, rubric: Rubric) -> StepScore:
    scope = Scope(match.step, match.number, match.template)
    prefix = tr(f"第{match.number}步 ", f"Step {match.number} ")
    criteria = [_score_criterion(ev, c, scope, rubric, prefix) for c in match.template.criteria]
    earned = _r(sum(c.points for c in criteria))
    maximum = _r(sum(c.max for c in criteria))
    deductions = _deductions(ev, match.step.id, rubric)
    curved = _curve(earned, maximum, rubric.step_exponent)
    after = max(0.0, curved - sum(d.points for d in deductions))
    cap = (
        min(rubric.red_line(d.violation).cap for d in deductions) * maximum if deductions else None
    )
    points = _r(min(after, cap) if cap is not None else after)
    return StepScore(
        id=match.step.id,
        number=match.number,
        name=match.step.name,
        template=match.template.id,
        matched_by=match.how,
        points=points,
        max=maximum,
        level=rubric.bands.level(points, maximum) if maximum else tr("不适用", "n/a"),
        earned=earned,
        curved=curved if curved < earned else None,
        deductions=deductions,
        capped_at=_r(cap) if cap is not None and after > cap else None,
        criteria=criteria,
    )


def _curve(earned: float, maximum: float, exponent: float) -> float:
    """Return a step's points for its completeness: ``max × (earned/max) ** exponent``."""
    return _r(maximum * (earned / maximum) ** exponent) if maximum > 0 else 0.0


def _deductions(ev: Evidence, step: str, rubric: Rubric) -> list[Deduction]:
    return [
        Deduction(
            violation=a.id,
            name=_red_name(ev, rubric, a.id),
            turn=a.turn,
            points=rubric.red_line(a.id).deduct,
        )
        for a in ev.acts
        if a.step == step
    ]


def _score_criterion(
    ev: Evidence, criterion: Criterion, scope: Scope, rubric: Rubric, prefix: str
) -> CriterionScore:
    name = pick(criterion.name, criterion.name_en)
    evaluated = [(check, run_check(check, ev, scope, rubric)) for check in criterion.checks]
    applicable = [(check, outs) for check, outs in evaluated if outs]
    if not applicable:
        return _not_applicable(criterion, name, prefix, [c for c, _ in evaluated])
    weight = sum(check.weight for check, _ in applicable)
    results, share_won = _results(criterion.points, weight, applicable)
    points = _r(criterion.points * share_won)
    why = tr("；", "; ").join(r.explanation for r in results)
    line = f"{prefix}{name} {fmt(points)}/{fmt(criterion.points)}{tr('：', ': ')}{why}"
    lost = [r.explanation for r in results if r.points < r.max]
    return CriterionScore(
        id=criterion.id,
        name=name,
        points=points,
        max=criterion.points,
        level=rubric.bands.level(points, criterion.points),
        checks=results,
        line=line,
        missing=tr("；", "; ").join(dict.fromkeys(lost)) if points < criterion.points else "",
    )


def _results(
    points: float, weight: float, applicable: list[tuple[Check, list[Outcome]]]
) -> tuple[list[CheckResult], float]:
    results: list[CheckResult] = []
    won = 0.0
    for check, outs in applicable:
        share = check.weight / weight / len(outs)
        for o in outs:
            won += share * o.share
            results.append(
                CheckResult(
                    id=o.key,
                    label=o.label,
                    passed=o.passed,
                    points=_r(points * share * o.share),
                    max=_r(points * share),
                    turn=o.turn,
                    explanation=o.explanation,
                    advice=o.advice,
                    done=list(o.done),
                    missing=list(o.missing),
                )
            )
    return results, won


def _not_applicable(
    criterion: Criterion, name: str, prefix: str, checks: list[Check]
) -> CriterionScore:
    zh, en = _NOT_APPLICABLE.get(checks[0].kind, ("没有可检查的内容", "nothing to check"))
    reason = tr(f"不适用：{zh}", f"not applicable: {en}")
    return CriterionScore(
        id=criterion.id,
        name=name,
        points=0.0,
        max=0.0,
        level=tr("不适用", "n/a"),
        checks=[],
        line=f"{prefix}{name} 0/0{tr('：', ': ')}{reason}",
    )


def _violations(ev: Evidence, rubric: Rubric) -> list[ViolationItem]:
    names = {m.step.id: m for m in match_steps(rubric, ev.scenario)}
    items = []
    for a in ev.acts:
        match = names.get(a.step)
        items.append(
            ViolationItem(
                id=a.id,
                name=_red_name(ev, rubric, a.id),
                turn=a.turn,
                step=a.step,
                step_number=match.number if match else None,
                step_name=match.step.name if match else "",
                detail=a.detail,
                product=a.product,
                words=a.words,
                line=describe(a, rubric),
            )
        )
    return items


def _metrics(ev: Evidence) -> Metrics:
    mono = longest_monologue(ev.turns)
    jargon = [t.turn for t in ev.manager if t.annotations for _ in t.annotations.jargon]
    return Metrics(
        manager_turns=len(ev.manager),
        client_turns=sum(1 for t in ev.turns if t.speaker == "client"),
        manager_chars=sum(t.chars for t in ev.manager),
        client_chars=sum(t.chars for t in ev.turns if t.speaker == "client"),
        talk_share=round(talk_share(ev), 4),
        questions=questions_asked(ev),
        longest_monologue=mono.chars,
        longest_monologue_turn=mono.turn,
        unexplained_jargon=len(jargon),
        jargon_turns=sorted(set(jargon)),
        final_trust=ev.final_trust(),
    )


def _suggestions(steps: list[StepScore], overall: list[CriterionScore]) -> list[str]:
    """Two or three concrete suggestions: violations first, then the biggest losses."""
    failed: list[tuple[int, float, int, CheckResult]] = []
    criteria = [c for s in steps for c in s.criteria] + overall
    order = 0
    for criterion in criteria:
        for check in criterion.checks:
            if not check.passed and check.advice:
                first = 0 if criterion.id == "compliance" else 1
                failed.append((first, -(check.max - check.points), order, check))
                order += 1
    chosen: list[str] = []
    seen: set[str] = set()
    for _, _, _, check in sorted(failed, key=lambda x: (x[0], x[1], x[2])):
        if check.advice in seen:
            continue
        seen.add(check.advice)
        at = tr(f"第{check.turn}轮：", f"Turn {check.turn}: ") if check.turn is not None else ""
        chosen.append(at + check.advice)
        if len(chosen) == MAX_SUGGESTIONS:
            break
    return chosen or [
        tr(
            "各项检查都已通过，可以换一个更难的场景继续练习。",
            "Every check passed: try a harder scenario next.",
        )
    ]
