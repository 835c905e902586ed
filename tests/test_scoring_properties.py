"""Properties of the auto score on random transcripts: deterministic, bounded, additive."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from test_scoring_support import TranscriptBuilder, minimal_scenario

from finsim.scenario import ScenarioCatalog
from finsim.scenario.models import Scenario
from finsim.scoring import load_rubric
from finsim.scoring.auto import auto_score
from finsim.scoring.report import ScoreReport

RUBRIC = load_rubric()
SCENARIOS: list[Scenario] = [
    minimal_scenario(),
    ScenarioCatalog().resolve("retired-teacher").scenario,
    ScenarioCatalog().resolve("outlet-service").scenario,
]
INTENTS = [
    "greet",
    "small_talk",
    "explain_purpose",
    "ask_income",
    "ask_assets",
    "ask_goal",
    "risk_assessment",
    "introduce_product",
    "disclose_risk",
    "disclose_fees",
    "ask_for_commitment",
    "confirm_details",
    "handle_doubt",
    "ask_feedback",
    "thank_close",
]
VIOLATIONS = ["promise_guaranteed_return", "pressure_tactics", "unsuitable_recommendation"]

turn_strategy = st.fixed_dictionaries(
    {
        "text": st.text(min_size=0, max_size=40),
        "intents": st.lists(st.sampled_from(INTENTS), max_size=3, unique=True),
        "violations": st.lists(st.sampled_from(VIOLATIONS), max_size=2),
        "trust": st.integers(0, 100),
        "jargon": st.lists(st.sampled_from(["净值", "风险测评"]), max_size=2),
        "next": st.booleans(),
        "reveal": st.integers(0, 30),
        "resolve": st.integers(0, 10),
        "product": st.integers(0, 10),
    }
)


@st.composite
def transcripts(draw: st.DrawFn) -> list[Any]:
    scenario = draw(st.sampled_from(SCENARIOS))
    facts = [f.id for f in scenario.persona.facts]
    objections = [o.id for o in scenario.persona.objections]
    products = [p.id for p in scenario.products]
    key_points = [k.id for s in scenario.steps for k in s.key_points]
    b = TranscriptBuilder(scenario)
    for turn in draw(st.lists(turn_strategy, max_size=25)):
        if turn["next"] and b.step_index + 1 < len(scenario.steps):
            b.next_step()
        b.say(
            turn["text"],
            *turn["intents"],
            trust=turn["trust"],
            violations=turn["violations"],
            jargon=turn["jargon"],
            revealed=facts[turn["reveal"] : turn["reveal"] + 1],
            resolved=objections[turn["resolve"] : turn["resolve"] + 1],
            products=products[turn["product"] : turn["product"] + 1],
            key_points=key_points[turn["reveal"] : turn["reveal"] + 1],
        )
    decision = draw(st.sampled_from(["bought", "declined", "undecided"]))
    return b.end(decision, scenario.persona.decision.product)


def _check_bounds(report: ScoreReport) -> None:
    for step in report.steps:
        assert 0 <= step.points <= step.max
        assert step.earned == round(sum(c.points for c in step.criteria), 2)
        assert step.points <= step.earned
        for criterion in step.criteria:
            _check_criterion(criterion.points, criterion.max, criterion.checks)
    for criterion in report.overall:
        _check_criterion(criterion.points, criterion.max, criterion.checks)
    parts = sum(s.points for s in report.steps) + sum(c.points for c in report.overall)
    assert report.earned == round(parts, 2)
    ceiling = report.earned if report.ceiling is None else report.ceiling
    assert report.total == min(report.earned, ceiling)
    assert report.max == round(
        sum(s.max for s in report.steps) + sum(c.max for c in report.overall), 2
    )
    assert 0 <= report.total <= report.max


def _check_criterion(points: float, maximum: float, checks: list[Any]) -> None:
    assert 0 <= points <= maximum
    for check in checks:
        assert 0 <= check.points <= check.max
        assert check.passed == (check.points > 0 or check.max == 0) or (
            check.passed and check.explanation.endswith("按比例计分）")  # judged on 0 steps played
        )
        assert check.explanation
    if checks:
        assert abs(sum(c.points for c in checks) - points) <= 0.01 * len(checks)
        assert abs(sum(c.max for c in checks) - maximum) <= 0.01 * len(checks)


@settings(max_examples=60, deadline=None)
@given(transcripts())
def test_points_are_bounded_and_add_up(events: list[Any]) -> None:
    _check_bounds(auto_score(events, RUBRIC))


@settings(max_examples=15, deadline=None)
@given(transcripts())
def test_same_transcript_same_score(events: list[Any]) -> None:
    first = auto_score(events, RUBRIC)
    again = auto_score(list(events), load_rubric())
    assert first == again
    assert first.model_dump_json() == again.model_dump_json()
    assert ScoreReport.model_validate_json(first.model_dump_json(by_alias=True)) == first


@settings(max_examples=30, deadline=None)
@given(transcripts())
def test_every_violation_is_listed_once_at_its_turn_and_deducted_once(events: list[Any]) -> None:
    report = auto_score(events, RUBRIC)
    listed = [(v.id, v.turn) for v in report.violations]
    assert len(set(listed)) == len(listed)
    assert [t for _, t in listed] == sorted(t for _, t in listed)
    for e in events[1:]:
        for v in getattr(e, "annotations", None) and e.annotations.violations or []:
            # a recorded violation is listed at its turn, or once at an earlier push of the product
            assert (v.id, e.turn) in listed or any(i == v.id and t <= e.turn for i, t in listed)
    deducted = [(d.violation, d.turn) for s in report.steps for d in s.deductions]
    assert sorted(deducted) == sorted(listed)
    for v in report.violations:
        assert v.line.startswith(f"第{v.turn}轮") and v.id not in v.line
