"""One verdict per act and evidence, not absence, on generated transcripts (hypothesis).

* A step never says an act was done and not done: no key point, check or criterion of one
  step shows ✓ for an act that another shows ✗ for.
* A drill in which the manager said nothing scores 0 in every criterion: everything the
  rubric rewards needs the manager to have done or kept something.
"""

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
    *(loaded.scenario for loaded in ScenarioCatalog([]).load_all()),
]
RUBRIC_INTENTS = sorted(
    {
        i
        for template in [*RUBRIC.steps, RUBRIC.generic]
        for criterion in template.criteria
        for check in criterion.checks
        for i in [*check.intents, *check.before]
    }
)
RED_LINES = ["steer_risk_assessment", "promise_guaranteed_return", "quote_expected_return"]


@st.composite
def drills(draw: st.DrawFn) -> list[Any]:
    """A transcript of any shipped scenario: acts of the rubric and the scenario's key points."""
    scenario = draw(st.sampled_from(SCENARIOS))
    acts = sorted(
        set(RUBRIC_INTENTS) | {i for s in scenario.steps for k in s.key_points for i in k.intents}
    )
    products = [p.id for p in scenario.products]
    facts = [f.id for f in scenario.persona.facts]
    objections = [o.id for o in scenario.persona.objections]
    b = TranscriptBuilder(scenario)
    for _ in range(draw(st.integers(0, 30))):
        if draw(st.booleans()) and b.step_index + 1 < len(scenario.steps) and draw(st.booleans()):
            b.next_step()
        intents = draw(st.lists(st.sampled_from(acts + RED_LINES), max_size=3, unique=True))
        b.say(
            draw(st.sampled_from(["您好。", "给您介绍一下这款产品。", "您看今天办吗？", ""])),
            *intents,
            violations=[i for i in intents if i in RED_LINES],
            products=draw(st.lists(st.sampled_from(products), max_size=1)),
            revealed=draw(st.lists(st.sampled_from(facts), max_size=1)),
            resolved=draw(st.lists(st.sampled_from(objections), max_size=1)) if objections else [],
            trust=draw(st.integers(0, 100)),
        )
    decision = draw(st.sampled_from(["bought", "declined", "undecided"]))
    return b.end(decision, scenario.persona.decision.product)


def verdicts(report: ScoreReport) -> list[tuple[int, set[str], set[str]]]:
    """Per step: the acts some item found, and the acts some item says were not done."""
    found = []
    for step in report.steps:
        checks = [c for criterion in step.criteria for c in criterion.checks]
        done = {a for c in checks for a in c.done}
        missing = {a for c in checks for a in c.missing}
        found.append((step.number, done, missing))
    return found


@settings(max_examples=120, deadline=None)
@given(drills())
def test_no_step_shows_an_act_both_done_and_not_done(events: list[Any]) -> None:
    report = auto_score(events, RUBRIC)
    for number, done, missing in verdicts(report):
        assert not done & missing, (number, done & missing)
    for step in report.steps:
        for criterion in step.criteria:
            for check in criterion.checks:
                if check.id.startswith("key_point:"):  # ✓ only with nothing missing
                    assert not (check.missing and check.points >= check.max), check
                    assert not (check.done and check.points == 0), check


@st.composite
def silent_drills(draw: st.DrawFn) -> list[Any]:
    """A drill with no manager line: maybe steps entered, then an end of any kind."""
    scenario = draw(st.sampled_from(SCENARIOS))
    b = TranscriptBuilder(scenario)
    for _ in range(draw(st.integers(0, len(scenario.steps) - 1))):
        b.next_step()
    return b.end(draw(st.sampled_from(["declined", "undecided"])), None)


@settings(max_examples=40, deadline=None)
@given(silent_drills())
def test_a_drill_without_a_manager_line_scores_zero_everywhere(events: list[Any]) -> None:
    report = auto_score(events, RUBRIC)
    assert report.total == 0, report.lines()
    for criterion in [c for s in report.steps for c in s.criteria] + report.overall:
        assert criterion.points == 0, criterion.line
        if criterion.max > 0:
            assert criterion.missing, criterion  # and says why


def test_one_line_then_quit_earns_little() -> None:
    scenario = ScenarioCatalog([]).resolve("retired-teacher").scenario
    b = TranscriptBuilder(scenario)
    b.say("陈老师您好，我是社区支行的小李。", "greet", trust=55)
    report = auto_score(b.end("undecided"), RUBRIC)
    assert report.total <= 8, report.lines()
    compliance = next(c for c in report.overall if c.id == "compliance")
    assert compliance.points <= 2 and "按比例计分" in compliance.line
