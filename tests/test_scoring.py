"""The auto score on small hand-made transcripts: every point explained with its turn."""

from __future__ import annotations

from typing import Any

import pytest
from test_scoring_support import TranscriptBuilder, careful_minimal, minimal_scenario

from finsim.errors import InputFileError
from finsim.i18n import set_language
from finsim.scenario import ScenarioCatalog
from finsim.scenario.models import Scenario
from finsim.scoring import load_rubric
from finsim.scoring.auto import auto_score
from finsim.scoring.report import CriterionScore, ScoreReport
from finsim.transcript.model import Violation


def _criterion(report: ScoreReport, step: str | None, criterion: str) -> CriterionScore:
    group = (
        report.overall if step is None else next(s for s in report.steps if s.id == step).criteria
    )
    return next(c for c in group if c.id == criterion)


def _teacher() -> Scenario:
    return ScenarioCatalog().resolve("retired-teacher").scenario


def _renamed(scenario: Scenario) -> Scenario:
    """The same scenario with step ids no rubric template knows (→ the generic template)."""
    steps = [s.model_copy(update={"id": f"part{i}"}) for i, s in enumerate(scenario.steps)]
    objections = [
        o.model_copy(update={"step": f"part{scenario.step_index(o.step)}"})
        for o in scenario.persona.objections
    ]
    persona = scenario.persona.model_copy(update={"objections": objections})
    return scenario.model_copy(update={"steps": steps, "persona": persona})


def test_careful_minimal_scores_each_point_with_its_turn() -> None:
    report = auto_score(careful_minimal())
    assert [(s.id, s.template) for s in report.steps] == [
        ("research", "research"),
        ("close", "closing"),
    ]
    purpose = _criterion(report, "research", "purpose")
    assert (purpose.points, purpose.max) == (2, 2)
    assert purpose.line == "第1步 说明来意 2/2：第2轮说明来意"
    objections = _criterion(report, "close", "objections")
    assert objections.checks[0].turn == 5 and objections.checks[0].passed
    assert "第5轮化解了客户的怀疑类异议" in objections.line
    outcome = _criterion(report, "close", "outcome")
    assert outcome.points == 3 and "一年期定期存款" in outcome.line
    assert report.violations == []
    assert report.outcome == "bought"


def test_withheld_points_name_what_is_missing() -> None:
    report = auto_score(careful_minimal())
    market = _criterion(report, "research", "market")
    assert (market.points, market.max) == (1, 4)
    failed = [c for c in market.checks if not c.passed]
    assert [c.turn for c in failed] == [None, None, None]
    assert "到本步结束还没有了解客户常用的银行或机构" in market.line
    assert all(c.advice for c in failed)


def test_disclosure_after_the_close_loses_the_points_at_the_closing_turn() -> None:
    b = TranscriptBuilder(_teacher())
    b.say("陈老师您好，我是小李。", "greet")
    b.next_step().next_step()
    b.say("给您介绍三年期定期存款。", "introduce_product", products=["deposit-3y"])
    b.next_step()
    b.say("那我们今天就办了吧？", "ask_for_commitment")
    b.say("提前支取按活期计息。", "disclose_risk")
    report = auto_score(b.end("declined"))
    disclosure = _criterion(report, "entry", "disclosure")
    assert disclosure.points == 0
    assert disclosure.line.startswith("第3步 风险与费用揭示 0/4：")
    assert "第3轮请客户做决定前未揭示风险（第4轮才揭示风险）" in disclosure.line
    assert "第3轮请客户做决定前未说明费用" in disclosure.line


def test_a_weak_reading_of_an_ask_is_not_the_ask_for_the_decision() -> None:
    b = TranscriptBuilder(_teacher())
    b.say("陈老师您好，我是小李。", "greet")
    b.next_step().next_step()
    b.say("给您介绍三年期定期存款。", "introduce_product", products=["deposit-3y"])
    b.say(
        "这笔钱里有没有两三年内要用的？",
        "ask_horizon",
        "confirm_details",
        scores={"confirm_details": 0.44},
    )
    b.say("提前支取按活期计息，没有手续费。", "disclose_risk", "disclose_fees")
    b.say("那我们今天就办了吧？", "ask_for_commitment")
    report = auto_score(b.end("declined"))
    disclosure = _criterion(report, "entry", "disclosure")
    assert "第3轮" not in disclosure.line
    assert "第4轮揭示风险，早于第5轮请客户做决定" in disclosure.line


def test_red_line_deducts_and_caps_its_step() -> None:
    b = TranscriptBuilder()
    b.say("您好，我是小王，来做个调查。", "greet", "explain_purpose", key_points=["purpose"])
    b.say("您在哪家银行办业务？", "ask_current_bank")
    b.say("您觉得那家怎么样？", "ask_competitor_opinion")
    b.say("您喜欢用手机银行吗？", "ask_channel_preference")
    b.say("手上有理财吗？", "ask_product_usage", revealed=["maturing"])
    b.say("那家银行早晚要出事。", violations=["disparage_competitor"])
    report = auto_score(b.end("declined"))
    research = report.steps[0]
    assert research.earned == research.max == 12
    assert [(d.violation, d.turn, d.points) for d in research.deductions] == [
        ("disparage_competitor", 6, 2)
    ]
    assert research.points == research.capped_at == 6
    assert [(v.id, v.turn, v.step) for v in report.violations] == [
        ("disparage_competitor", 6, "research")
    ]
    compliance = _criterion(report, None, "compliance")
    # one of the two steps played: what was kept counts for half; the breach costs its share
    assert compliance.points == 4.64 and "第6轮诋毁同业：“那家银行早晚要出事。”" in compliance.line
    assert report.suggestions[0].startswith("第6轮：")


def test_deduction_never_takes_a_step_below_zero() -> None:
    b = TranscriptBuilder()
    b.say("保本保收益，稳赚不赔。", violations=["promise_guaranteed_return", "pressure_tactics"])
    report = auto_score(b.end("declined"))
    assert report.steps[0].points == 0
    assert report.steps[0].capped_at is None


def _thin_breach() -> list[Any]:
    b = TranscriptBuilder()
    b.say("您好，我是小王。", "greet")
    b.say("这个理财保本保收益，稳赚不赔。", violations=["promise_guaranteed_return"])
    return b.end("declined")


def test_a_thin_drill_with_a_violation_keeps_only_its_share_of_the_cap() -> None:
    rubric = load_rubric()
    report = auto_score(_thin_breach(), rubric)
    thin = rubric.thin_drill_percent / 100 * report.max
    assert 0 < report.earned < thin
    capped = min(report.earned, report.max * 0.65)
    assert report.total == round(capped * report.earned / thin, 2) < report.earned
    assert "流程完成不到40%" in report.ceiling_reason


def test_without_the_thin_drill_rule_the_cap_alone_applies() -> None:
    rubric = load_rubric().model_copy(update={"thin_drill_percent": 0.0})
    report = auto_score(_thin_breach(), rubric)
    assert report.total == report.earned
    assert report.ceiling_reason == ""


def test_mishandled_and_unraised_objections() -> None:
    b = TranscriptBuilder()
    b.say("您好。", "greet")
    b.next_step()
    b.say("价格很划算的。", "handle_price", mishandled=["fear"])
    report = auto_score(b.end("declined"))
    check = _criterion(report, "close", "objections").checks[0]
    assert not check.passed and check.turn == 2
    assert "第1轮提出的怀疑类异议" in check.explanation
    assert "第2轮处理方法不对，怀疑类异议应当拿出证据证明" in check.explanation

    early = TranscriptBuilder()
    early.say("您好。", "greet")
    report = auto_score(early.end("undecided"))
    check = _criterion(report, "close", "objections").checks[0]
    assert "没有出现" in check.explanation and check.turn is None


def test_unsuitable_recommendation_in_a_generic_step() -> None:
    scenario = _renamed(minimal_scenario())
    b = TranscriptBuilder(scenario)
    b.say("您好，我来做个调查。", "greet", "explain_purpose", key_points=["purpose"])
    b.next_step()
    b.say(
        "给您推荐股票型基金。",
        "introduce_product",
        products=["equity-fund"],
        violations=[Violation(id="unsuitable_recommendation", product="equity-fund")],
    )
    report = auto_score(b.end("declined"))
    assert [s.template for s in report.steps] == ["generic", "generic"]
    suitability = _criterion(report, "part1", "suitability")
    assert suitability.points == 0
    assert "第2轮推荐不适当的产品（向C2客户推荐了R4的“股票型基金”）" in suitability.line
    step = report.steps[1]
    assert step.deductions[0].violation == "unsuitable_recommendation"


def test_not_applicable_criteria_leave_the_maximum() -> None:
    scenario = _renamed(minimal_scenario())
    b = TranscriptBuilder(scenario)
    b.say("您好，我来做个调查。", "greet", "explain_purpose", key_points=["purpose"])
    report = auto_score(b.end("undecided"))
    first = report.steps[0]
    objections = next(c for c in first.criteria if c.id == "objections")
    assert (objections.points, objections.max, objections.level) == (0, 0, "不适用")
    assert "不适用" in objections.line
    assert first.max == sum(c.max for c in first.criteria)
    assert first.max < load_rubric().generic.points


def test_four_step_scenario_is_scored_on_its_own_key_points() -> None:
    outlet = ScenarioCatalog().resolve("outlet-service").scenario
    b = TranscriptBuilder(outlet)
    first_point = outlet.steps[0].key_points[0]
    b.say("您好，让您久等了。", *first_point.intents[:1], key_points=[first_point.id])
    report = auto_score(b.end("undecided"))
    assert len(report.steps) == 4
    assert {s.template for s in report.steps} == {"generic"}
    assert report.steps[0].points > 0
    assert 0 < report.max < 100
    assert f"第1轮做到要点“{first_point.text}”" in report.steps[0].criteria[0].line


def test_metrics_talk_share_questions_monologue_jargon() -> None:
    b = TranscriptBuilder()
    b.say("您好？您最近好吗？", "greet", reply="好")
    b.say("这款产品的净值每天都会变动", jargon=["净值"], reply="")
    b.say("您平时在哪家银行办业务", "ask_current_bank", reply="农行。")
    report = auto_score(b.end("undecided"))
    m = report.metrics
    assert m.questions == 1  # the courtesy questions of the greeting learn nothing
    assert m.unexplained_jargon == 1 and m.jargon_turns == [2]
    assert m.manager_turns == 3
    manager_chars = (
        len("您好？您最近好吗？")
        + len("这款产品的净值每天都会变动")
        + len("您平时在哪家银行办业务")
    )
    assert m.manager_chars == manager_chars
    assert 0 < m.talk_share < 1
    communication = _criterion(report, None, "communication")
    assert "第2轮有1处术语未解释：净值" in communication.line


def test_longest_monologue_joins_manager_lines_without_a_reply() -> None:
    b = TranscriptBuilder()
    b.say("一" * 20, reply="")
    b.events = [e for e in b.events if not (getattr(e, "speaker", "") == "client" and not e.text)]
    b.say("二" * 30)
    report = auto_score(b.end("undecided"))
    assert report.metrics.longest_monologue == 50
    assert report.metrics.longest_monologue_turn == 1


def test_score_uses_the_scenario_embedded_in_the_transcript() -> None:
    scenario = minimal_scenario()
    steps = [scenario.steps[0].model_copy(update={"name": "记录里的步骤名"}), scenario.steps[1]]
    report = auto_score(TranscriptBuilder(scenario.model_copy(update={"steps": steps})).end())
    assert report.steps[0].name == "记录里的步骤名"


def test_english_output() -> None:
    set_language("en")
    report = auto_score(careful_minimal())
    purpose = _criterion(report, "research", "purpose")
    assert purpose.line == "Step 1 States the purpose 2/2: turn 2: state the purpose"
    assert report.suggestions[0].startswith(("Talk less", "Ask more", "Ask which"))


def test_transcript_without_header_is_refused() -> None:
    events: list[Any] = careful_minimal()[1:]
    with pytest.raises(InputFileError):
        auto_score(events)


def test_header_only_transcript_scores_zero_without_error() -> None:
    events = TranscriptBuilder().events[:1]
    report = auto_score(events)
    assert report.outcome == "undecided"
    assert report.total <= report.max
    assert report.suggestions


def _capped(*acts: tuple[str, int], fail_percent: float | None = None) -> float | None:
    """The ceiling a drill that earned 95 of 100 gets for violations at turns (id, turn)."""
    from types import SimpleNamespace

    from finsim.scoring.auto import _ceiling
    from finsim.scoring.evidence import Act

    rubric = load_rubric()
    if fail_percent is not None:
        rubric = rubric.model_copy(update={"fail_percent": fail_percent})
    ev = SimpleNamespace(acts=tuple(Act(i, t, "s", "", None, "") for i, t in acts))
    return _ceiling(ev, rubric, 100.0, 95.0)  # type: ignore[arg-type]


def test_a_red_line_fails_the_drill() -> None:
    rubric = load_rubric()
    assert 0 < rubric.fail_percent < 60
    assert _capped(("disparage_competitor", 3)) == rubric.fail_percent
    # an omission alone (asked for the decision before disclosing) lowers it without failing
    omission = rubric.red_line("missing_disclosure").ceiling
    assert _capped(("missing_disclosure", 9)) == 100 * (1 - omission / 100) > rubric.fail_percent


def test_two_breaches_in_one_line_cost_twice_one_claim_told_two_ways_once() -> None:
    one_claim = _capped(
        ("promise_guaranteed_return", 5), ("quote_expected_return", 5), fail_percent=0
    )
    assert one_claim == _capped(("promise_guaranteed_return", 5), fail_percent=0)
    two = _capped(("unsuitable_recommendation", 5), ("selective_performance", 5), fail_percent=0)
    assert two is not None and one_claim is not None and two < one_claim
    apart = _capped(("unsuitable_recommendation", 5), ("selective_performance", 8), fail_percent=0)
    assert two == apart


def _etiquette_lines(*lines: str) -> list[str]:
    b = TranscriptBuilder()
    b.say("您好，我是城东农商银行的小王。", "greet")
    for line in lines:
        b.say(line, "handle_doubt")
    etiquette = _criterion(auto_score(b.end("declined")), None, "etiquette")
    return [c.explanation for c in etiquette.checks if not c.passed]


def test_words_that_talk_down_to_the_client_cost_etiquette() -> None:
    failed = _etiquette_lines("利息没多少，算那么细干嘛。", "排队的事我管不了，您找大堂去。")
    rude = [line for line in failed if "言语失礼" in line]
    assert len(rude) == 1 and "第2、3轮" in rude[0] and "算那么细干嘛" in rude[0]


def test_patience_and_a_firm_no_are_not_rude() -> None:
    patient = "您的顾虑很正常，我把利息一笔笔算给您看。"
    failed = _etiquette_lines(patient, "这个我们不能保证，我如实跟您说。")
    assert not [line for line in failed if "言语失礼" in line]


def test_each_further_breach_fails_a_drill_further() -> None:
    one = _capped(("disparage_competitor", 3))
    two = _capped(("disparage_competitor", 3), ("privacy_breach", 7))
    three = _capped(("disparage_competitor", 3), ("privacy_breach", 7), ("pressure_tactics", 9))
    assert one is not None and two is not None and three is not None
    assert one > two > three > 0
    rubric = load_rubric()
    lighter = min(rubric.red_line(i).ceiling for i in ("disparage_competitor", "privacy_breach"))
    assert two == round(one * (1 - lighter / 200), 2)
