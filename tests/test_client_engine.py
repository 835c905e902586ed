"""The virtual client engine, driven by hand-made analyses (no recogniser involved)."""

from __future__ import annotations

from pathlib import Path

import pytest
from analysis_support import Match, Said

from finsim.client import ClientEngine
from finsim.client.engine import TRUST, disclosures_needed
from finsim.client.lines import SITUATION_LINES, texts
from finsim.scenario import load_base_library
from finsim.scenario.loader import load_scenario_file
from finsim.scenario.models import ClientLines, Product, Scenario

DATA = Path(__file__).parent / "data"


def said(*intents: str, products: tuple[str, ...] = (), jargon: tuple[str, ...] = ()) -> Said:
    return Said(tuple(Match(i) for i in intents), products, jargon, False)


@pytest.fixture(scope="module")
def rich() -> Scenario:
    return load_scenario_file(DATA / "drill-rich.yaml").scenario


def engine_at(scenario: Scenario, step: str = "research", seed: int = 1) -> ClientEngine:
    engine = ClientEngine(scenario, seed)
    engine.enter_step(scenario.steps[0].id)
    if step != scenario.steps[0].id:
        engine.enter_step(step)
    return engine


def warm_up(engine: ClientEngine) -> None:
    """Rapport first: greet, small talk, purpose (+15 trust)."""
    engine.respond(said("greet", "small_talk", "explain_purpose"), "research")


# ── facts and rapport ─────────────────────────────────────────────────
def test_fact_only_when_asked_and_only_once(rich: Scenario) -> None:
    engine = engine_at(rich)
    warm_up(engine)
    assert engine.respond(said("ask_experience"), "research").annotations.revealed == ["experience"]
    again = engine.respond(said("ask_experience"), "research")
    assert again.annotations.revealed == []
    assert "投资经验" in again.text  # "already told" names the topic
    assert engine.state.revealed == ["experience"]


def test_money_question_before_rapport_costs_trust_and_reveals_nothing(rich: Scenario) -> None:
    engine = engine_at(rich)
    reply = engine.respond(said("ask_assets"), "research")
    assert reply.annotations.revealed == []
    assert reply.annotations.trust_delta == TRUST["intrusive"]
    assert reply.text in texts(SITUATION_LINES["zh"]["intrusive"])


def test_money_question_after_purpose_reveals(rich: Scenario) -> None:
    engine = engine_at(rich)
    engine.respond(said("explain_purpose"), "research")
    reply = engine.respond(said("ask_assets"), "research")
    assert reply.annotations.revealed == ["idle-cash"]
    assert "二十万" in reply.text


def test_sensitive_fact_needs_trust(rich: Scenario) -> None:
    engine = engine_at(rich)
    engine.respond(said("greet"), "research")  # trust 55 < 60
    guarded = engine.respond(said("ask_family"), "research")
    assert guarded.annotations.revealed == [] and guarded.annotations.withheld == ["daughter"]
    engine.respond(said("small_talk"), "research")  # 60
    told = engine.respond(said("ask_family"), "research")
    assert told.annotations.revealed == ["daughter"]


def test_rapport_counts_fully_once_per_intent(rich: Scenario) -> None:
    engine = engine_at(rich)
    first = engine.respond(said("greet"), "research").annotations.trust_delta
    second = engine.respond(said("greet"), "research").annotations.trust_delta
    assert (first, second) == (TRUST["rapport_first"], TRUST["rapport_again"])


# ── red lines, suitability, disclosure ────────────────────────────────
def test_guarantee_claim_on_deposit_is_true_not_a_violation(rich: Scenario) -> None:
    engine = engine_at(rich)
    reply = engine.respond(said("promise_guaranteed_return", products=("deposit",)), "research")
    assert reply.annotations.violations == []


def test_guarantee_claim_on_wealth_is_a_violation(rich: Scenario) -> None:
    engine = engine_at(rich)
    reply = engine.respond(said("promise_guaranteed_return", products=("wealth",)), "research")
    assert [(v.id, v.product) for v in reply.annotations.violations] == [
        ("promise_guaranteed_return", "wealth")
    ]
    assert reply.annotations.trust_delta == TRUST["red_line"]


def test_guarantee_claim_follows_the_product_under_discussion(rich: Scenario) -> None:
    engine = engine_at(rich)
    engine.respond(said("introduce_product", products=("deposit",)), "research")
    assert (
        engine.respond(said("promise_guaranteed_return"), "research").annotations.violations == []
    )
    engine.respond(said("introduce_product", products=("wealth",)), "research")
    later = engine.respond(said("promise_guaranteed_return"), "research")
    assert [v.product for v in later.annotations.violations] == ["wealth"]


def test_pressure_gets_a_pressure_line(rich: Scenario) -> None:
    engine = engine_at(rich)
    reply = engine.respond(said("pressure_tactics"), "research")
    assert reply.text in texts(SITUATION_LINES["zh"]["pressure"])
    assert reply.annotations.trust_delta == TRUST["pressure"]
    assert [v.id for v in engine.state.violations] == ["pressure_tactics"]


def test_unsuitable_recommendation_declined_and_recorded_once(rich: Scenario) -> None:
    engine = engine_at(rich)
    first = engine.respond(said("introduce_product", products=("equity-fund",)), "research")
    assert "成长股票基金" in first.text
    assert [v.id for v in first.annotations.violations] == ["unsuitable_recommendation"]
    second = engine.respond(said("introduce_product", products=("equity-fund",)), "research")
    assert "成长股票基金" in second.text and second.annotations.violations == []


def test_suitable_recommendation_is_fine(rich: Scenario) -> None:
    engine = engine_at(rich)
    reply = engine.respond(said("introduce_product", products=("wealth",)), "research")
    assert reply.annotations.violations == []


def test_unready_close_before_disclosure_declines_and_names_it(rich: Scenario) -> None:
    engine = engine_at(rich, "close")
    reply = engine.respond(said("ask_for_commitment", products=("wealth",)), "close")
    assert reply.annotations.violations == []  # no sale, so no missing disclosure
    assert reply.annotations.decision == "decline"
    assert reply.annotations.reasons[-1] == "还没有讲清楚“稳健一年理财”的风险和费用"


def test_commitment_on_guaranteed_product_needs_no_disclosure(scenario_minimal: Scenario) -> None:
    engine = engine_at(scenario_minimal, "close")
    engine.respond(said("greet"), "close")
    engine.respond(said("handle_doubt"), "close")
    reply = engine.respond(said("ask_for_commitment"), "close")
    assert reply.annotations.violations == []
    assert reply.annotations.decision == "accept"


# ── jargon and unrecognised lines ─────────────────────────────────────
def test_jargon_question_names_the_term(rich: Scenario) -> None:
    engine = engine_at(rich)
    reply = engine.respond(said(jargon=("净值",)), "research")
    assert reply.text.endswith("“净值”是什么？")
    assert reply.annotations.jargon == ["净值"]


def test_unrecognised_line_gets_a_clarification(rich: Scenario) -> None:
    engine = engine_at(rich)
    reply = engine.respond(said(), "research")
    assert reply.annotations.unrecognised
    assert reply.text in texts(rich.lines.unrecognised)


def test_builtin_lines_fill_what_the_scenario_lacks(rich: Scenario) -> None:
    engine = engine_at(rich)
    reply = engine.respond(said("pressure_tactics"), "research")
    assert rich.lines.pressure == [] and reply.text in texts(SITUATION_LINES["zh"]["pressure"])


def test_english_scenario_uses_english_lines(rich: Scenario) -> None:
    english = rich.model_copy(update={"language": "en", "lines": ClientLines()})
    engine = engine_at(english)
    assert engine.respond(said(), "research").text in texts(SITUATION_LINES["en"]["unrecognised"])
    assert "'NAV'" in engine.respond(said(jargon=("NAV",)), "research").text


# ── objections (iceberg model) ────────────────────────────────────────
def test_objection_raised_on_entering_its_step(rich: Scenario) -> None:
    engine = engine_at(rich)
    reply = engine.enter_step("present")
    assert reply.annotations.raised == ["confusion"]
    assert reply.text == "那你有什么推荐的？理财不就是存款吗？"


def test_objection_raised_at_first_turn_when_step_not_entered(rich: Scenario) -> None:
    engine = engine_at(rich)
    reply = engine.respond(said("greet"), "present")
    assert reply.annotations.raised == ["confusion"] and reply.text.endswith("理财不就是存款吗？")


def test_wrong_kind_of_handling_costs_trust_and_keeps_it_pending(rich: Scenario) -> None:
    engine = engine_at(rich, "present")
    wrong = engine.respond(said("handle_doubt"), "present")
    assert wrong.annotations.mishandled == ["confusion"]
    assert wrong.text == "我是没弄明白它是什么，不是别的。"
    assert wrong.annotations.trust_delta == TRUST["mishandled"]
    right = engine.respond(said("handle_misunderstanding"), "present")
    assert right.annotations.resolved == ["confusion"]
    assert right.annotations.trust_delta == TRUST["resolved"]
    assert engine.state.pending == []


def test_objection_without_resolvers_uses_the_iceberg_model(rich: Scenario) -> None:
    engine = engine_at(rich, "close")
    engine.respond(said("handle_doubt"), "close")  # resolves the doubt; the fee comes up
    reply = engine.respond(said("handle_price"), "close")
    assert reply.annotations.resolved == ["fee"]


def test_a_concern_waved_away_is_mishandled_and_stays_open(rich: Scenario) -> None:
    engine = engine_at(rich, "close")
    engine.respond(said("handle_doubt"), "close")  # resolves the doubt; the fee comes up
    waved = Said((Match("handle_price"),), text="一年两百块，不算多，值得。")
    reply = engine.respond(waved, "close")
    assert reply.annotations.resolved == [] and reply.annotations.mishandled == ["fee"]
    assert reply.annotations.trust_delta == TRUST["mishandled"]
    assert reply.text in texts(SITUATION_LINES["zh"]["waved_away"])
    split = Said((Match("handle_price"),), text="一年两百块，算下来一个月不到二十块，不算多。")
    assert engine.respond(split, "close").annotations.resolved == ["fee"]


def test_wrong_handling_without_wrong_reply_uses_builtin_line(rich: Scenario) -> None:
    engine = engine_at(rich, "close")
    reply = engine.respond(said("handle_complaint"), "close")
    assert reply.annotations.mishandled == ["doubt"]
    wrong, raised = reply.text.split("。", 1)
    assert wrong + "。" in texts(SITUATION_LINES["zh"]["wrong_handling"])
    assert raised == "管理费是不是太贵了？" and reply.annotations.raised == ["fee"]


def test_objections_of_a_step_are_raised_one_at_a_time(rich: Scenario) -> None:
    engine = engine_at(rich)
    opening = engine.enter_step("close")
    assert opening.annotations.raised == ["doubt"]
    assert opening.text == "我还有点顾虑。收益真有你说的那么高吗？"  # not both concerns at once
    reply = engine.respond(said("handle_doubt"), "close")
    assert reply.annotations.resolved == ["doubt"] and reply.annotations.raised == ["fee"]
    assert reply.text == "有历史业绩看，我就信了。管理费是不是太贵了？"


def test_an_unhandled_objection_waits_a_couple_of_turns(rich: Scenario) -> None:
    engine = engine_at(rich)
    engine.enter_step("close")
    first = engine.respond(said("greet"), "close")
    assert first.annotations.raised == []
    second = engine.respond(said("small_talk"), "close")
    assert second.annotations.raised == ["fee"] and second.text.endswith("管理费是不是太贵了？")
    assert engine.state.pending == ["doubt", "fee"]


def test_handling_a_concern_before_it_is_voiced_only_pre_empts_it(rich: Scenario) -> None:
    engine = engine_at(rich)
    engine.enter_step("close")
    reply = engine.respond(said("handle_price"), "close")
    notes = reply.annotations
    assert notes.preempted == ["fee"] and notes.resolved == [] and notes.mishandled == []
    assert "算下来每年几百块" not in reply.text  # nothing to be reassured about yet
    assert engine.state.pending == ["doubt"] and engine.state.queued == ["fee"]
    engine.respond(said("handle_doubt"), "close")
    assert engine.state.pending == ["fee"]  # it still comes up, and needs its answer then
    assert engine.respond(said("handle_price"), "close").annotations.resolved == ["fee"]


def test_a_pre_emptable_concern_does_not_come_up_once_pre_empted(rich: Scenario) -> None:
    persona = rich.persona
    objections = [
        o.model_copy(update={"preempt": True}) if o.id == "fee" else o for o in persona.objections
    ]
    played = rich.model_copy(
        update={"persona": persona.model_copy(update={"objections": objections})}
    )
    engine = engine_at(played)
    engine.enter_step("close")
    engine.respond(said("handle_price"), "close")
    reply = engine.respond(said("handle_doubt"), "close")
    assert reply.annotations.raised == [] and engine.state.dropped == ["fee"]
    assert "fee" not in engine.state.resolved


def test_objection_of_a_later_step_waits_for_it_at_first_turn(rich: Scenario) -> None:
    engine = engine_at(rich, "present")
    engine.respond(said("greet"), "present")
    reply = engine.respond(said("greet"), "close")  # the close step never formally entered
    assert reply.annotations.raised == ["doubt"]  # a new step: its first concern comes up


def test_all_objections_means_those_up_to_the_deciding_step(rich: Scenario) -> None:
    engine = engine_at(rich)
    warm_up(engine)
    engine.respond(said("ask_assets"), "research")
    engine.respond(said("ask_experience"), "research")
    engine.enter_step("present")
    engine.respond(said("handle_misunderstanding"), "present")
    engine.respond(said("disclose_risk", "disclose_fees", products=("wealth",)), "present")
    reply = engine.respond(said("ask_for_commitment"), "present")
    assert reply.annotations.decision == "accept"  # the close step's concerns never came up


def test_all_objections_still_counts_a_raised_later_concern(rich: Scenario) -> None:
    engine = engine_at(rich)
    warm_up(engine)
    engine.respond(said("ask_assets"), "research")
    engine.respond(said("ask_experience"), "research")
    engine.enter_step("present")
    engine.respond(said("handle_misunderstanding"), "present")
    engine.respond(said("disclose_risk", "disclose_fees", products=("wealth",)), "present")
    engine.enter_step("close")  # raises "doubt"
    reply = engine.respond(said("ask_for_commitment"), "present")
    reasons = " ".join(reply.annotations.reasons)
    assert reply.annotations.decision == "decline"
    assert "收益真有你说的那么高吗" in reasons and "管理费" not in reasons


def test_known_terms_are_not_asked_about(rich: Scenario) -> None:
    persona = rich.persona.model_copy(update={"known_terms": ["净值型", "定投"]})
    engine = engine_at(rich.model_copy(update={"persona": persona}))
    reply = engine.respond(said("greet", jargon=("净值", "定投")), "research")
    assert reply.annotations.jargon == [] and "是什么" not in reply.text
    other = engine.respond(said("greet", jargon=("净值", "管理费")), "research")
    assert other.annotations.jargon == ["管理费"] and "“管理费”是什么？" in other.text


# ── decision ──────────────────────────────────────────────────────────
def play_careful(engine: ClientEngine) -> None:
    warm_up(engine)
    engine.respond(said("ask_assets"), "research")
    engine.respond(said("ask_experience"), "research")
    engine.enter_step("present")
    engine.respond(said("introduce_product", products=("wealth",)), "present")
    engine.respond(said("handle_misunderstanding"), "present")
    engine.respond(said("disclose_risk", "disclose_fees"), "present")
    engine.enter_step("close")
    engine.respond(said("handle_doubt"), "close")
    engine.respond(said("handle_price"), "close")


def test_careful_close_accepts(rich: Scenario) -> None:
    engine = engine_at(rich)
    play_careful(engine)
    reply = engine.respond(said("ask_for_commitment"), "close")
    assert reply.annotations.decision == "accept"
    assert reply.text == "好，那就买这个理财。"
    assert engine.decide().decision == "bought"
    again = engine.respond(said("ask_for_commitment"), "close")
    assert again.text in texts(SITUATION_LINES["zh"]["already_bought"])


def test_decline_says_why(rich: Scenario) -> None:
    engine = engine_at(rich, "close")
    reply = engine.respond(said("ask_for_commitment", products=("wealth",)), "close")
    reasons = " ".join(reply.annotations.reasons)
    assert "信任度" in reasons and "闲置资金" in reasons and "顾虑没有解决" in reasons
    # the client names what is missing (the facts not asked about), not a vague mistrust
    assert "我还是再考虑考虑吧。闲置资金这些情况都还没问过我" in reply.text


def test_asking_for_another_suitable_product_is_declined(rich: Scenario) -> None:
    engine = engine_at(rich)
    play_careful(engine)
    reply = engine.respond(said("ask_for_commitment", products=("deposit",)), "close")
    assert reply.annotations.decision == "decline"
    assert "稳健一年理财" in reply.annotations.reasons[0]


def test_end_decision_without_commitment_question(rich: Scenario) -> None:
    engine = engine_at(rich)
    play_careful(engine)
    outcome = engine.decide()
    assert outcome.decision == "declined"  # ask_for_commitment is required
    assert any("促成交易" in r or "ask_for_commitment" in r for r in outcome.reasons)
    assert engine.final_words.startswith("我还是再考虑考虑吧。")


def lenient(rich: Scenario, **rule: object) -> Scenario:
    """The rich scenario with the decision rule changed (no required intents by default)."""
    decision = rich.persona.decision.model_copy(update={"required_intents": [], **rule})
    persona = rich.persona.model_copy(update={"decision": decision})
    return rich.model_copy(update={"persona": persona})


def play_without_disclosure(engine: ClientEngine) -> None:
    warm_up(engine)
    engine.respond(said("ask_assets"), "research")
    engine.respond(said("ask_experience"), "research")
    engine.enter_step("present")
    engine.respond(said("handle_misunderstanding"), "present")
    engine.enter_step("close")
    engine.respond(said("handle_doubt"), "close")
    engine.respond(said("handle_price"), "close")


def test_end_without_disclosure_declines_without_a_violation(rich: Scenario) -> None:
    engine = engine_at(lenient(rich))
    play_without_disclosure(engine)
    outcome = engine.decide()
    assert engine.final_violations == [] and engine.state.violations == []
    assert outcome.decision == "declined"
    assert outcome.reasons == ["还没有讲清楚“稳健一年理财”的风险和费用"]
    assert engine.final_words == "我还是再考虑考虑吧。风险和费用都没讲清楚，我不敢买。"


def test_end_sale_without_disclosure_is_the_violation(rich: Scenario) -> None:
    engine = engine_at(lenient(rich, no_violations=False))
    play_without_disclosure(engine)
    outcome = engine.decide()
    assert outcome.decision == "bought"
    assert [(v.id, v.product) for v in engine.final_violations] == [
        ("missing_disclosure", "wealth")
    ]


def test_close_before_disclosure_asks_for_it_then_buys(rich: Scenario) -> None:
    engine = engine_at(rich)
    play_without_disclosure(engine)
    first = engine.respond(said("ask_for_commitment"), "close")
    notes = first.annotations
    assert notes.decision is None and notes.violations == []
    assert notes.reasons == ["客户要求先讲清楚“稳健一年理财”的风险和费用，暂不决定"]
    assert "有什么风险、会不会亏本，还有要收哪些费用" in first.text
    again = engine.respond(said("ask_for_commitment"), "close")  # ignoring the request
    assert again.annotations.trust_delta == TRUST["disclosure_ignored"]
    engine.respond(said("disclose_risk"), "close")
    fees_only = engine.respond(said("ask_for_commitment"), "close")
    assert "要收哪些费用" in fees_only.text and "风险" not in fees_only.text
    engine.respond(said("disclose_fees"), "close")
    bought = engine.respond(said("ask_for_commitment"), "close")
    assert bought.annotations.decision == "accept" and engine.state.violations == []


def test_a_promise_in_the_line_earns_no_risk_disclosure(rich: Scenario) -> None:
    engine = engine_at(rich)
    promise = said("disclose_risk", "promise_guaranteed_return", products=("wealth",))
    engine.respond(promise, "research")
    assert engine.state.disclosed_risk == set()
    engine.respond(said("disclose_risk", products=("wealth",)), "research")
    assert engine.state.disclosed_risk == {"wealth"}


def product_of(rich: Scenario, kind: str, guaranteed: bool) -> Product:
    return rich.products[1].model_copy(update={"kind": kind, "guaranteed": guaranteed})


@pytest.mark.parametrize(
    ("kind", "guaranteed", "needed"),
    [
        ("wealth", False, ("risk", "fees")),
        ("fund", False, ("risk", "fees")),
        ("bond", False, ("risk", "fees")),
        ("insurance", False, ("risk", "fees")),
        ("bond", True, ()),
        ("deposit", True, ()),
        ("deposit", False, ("risk", "fees")),
        ("loan", False, ("risk", "fees")),
        ("loan", True, ("risk", "fees")),
        ("credit_card", False, ("fees",)),
        ("settlement", False, ("fees",)),
        ("account", True, ("fees",)),
    ],
)
def test_disclosures_needed_depend_on_the_product_kind(
    rich: Scenario, kind: str, guaranteed: bool, needed: tuple[str, ...]
) -> None:
    roles = load_base_library().roles
    assert disclosures_needed(product_of(rich, kind, guaranteed), roles) == needed


def test_a_loan_client_asks_about_repayment_not_losses(rich: Scenario) -> None:
    loan = product_of(rich, "loan", False)
    engine = engine_at(rich.model_copy(update={"products": [rich.products[0], loan]}))
    play_without_disclosure(engine)
    engine.respond(said("disclose_fees"), "close")
    reply = engine.respond(said("ask_for_commitment"), "close")
    assert "万一到期还不上会怎么样" in reply.text and "亏本" not in reply.text
    assert reply.annotations.reasons == [
        "客户要求先讲清楚“稳健一年理财”的还款责任和逾期后果，暂不决定"
    ]


def test_a_card_needs_only_the_fees(rich: Scenario) -> None:
    card = product_of(rich, "credit_card", False)
    engine = engine_at(rich.model_copy(update={"products": [rich.products[0], card]}))
    play_without_disclosure(engine)
    engine.respond(said("disclose_fees"), "close")
    assert engine.respond(said("ask_for_commitment"), "close").annotations.decision == "accept"


def test_english_disclosure_request(rich: Scenario) -> None:
    english = rich.model_copy(update={"language": "en", "lines": ClientLines()})
    engine = engine_at(english)
    play_without_disclosure(engine)
    reply = engine.respond(said("ask_for_commitment"), "close")
    assert "what the risks are and whether I could lose money, and what fees I'd pay" in reply.text


# ── key points and variants ───────────────────────────────────────────
def test_key_points_met_by_intent_fact_and_objection(rich: Scenario) -> None:
    engine = engine_at(rich)
    assert engine.respond(said("explain_purpose"), "research").annotations.key_points == ["purpose"]
    assert engine.respond(said("ask_goal"), "research").annotations.key_points == ["money"]
    assert engine.open_key_points("research") == []
    engine.enter_step("present")
    assert engine.respond(said("handle_misunderstanding"), "present").annotations.key_points == [
        "clear"
    ]
    assert [k.id for k in engine.open_key_points("present")] == ["introduce"]


def test_red_line_intent_never_meets_a_key_point(rich: Scenario) -> None:
    engine = engine_at(rich)
    reply = engine.respond(said("pressure_tactics", "explain_purpose"), "research")
    assert reply.annotations.key_points == ["purpose"]  # purpose yes, pressure no
    assert [v.id for v in reply.annotations.violations] == ["pressure_tactics"]


def test_same_situation_never_repeats_back_to_back(rich: Scenario) -> None:
    engine = engine_at(rich)
    texts = [engine.respond(said("greet"), "research").text for _ in range(12)]
    assert all(a != b for a, b in zip(texts, texts[1:], strict=False))
    assert len(set(texts)) == 3


def test_seed_changes_the_choice_of_variants(rich: Scenario) -> None:
    def run(seed: int) -> list[str]:
        engine = engine_at(rich, seed=seed)
        return [engine.respond(said("greet"), "research").text for _ in range(6)]

    runs = {tuple(run(seed)) for seed in range(6)}
    assert len(runs) > 1
    assert run(3) == run(3)


@pytest.fixture(scope="module")
def scenario_minimal() -> Scenario:
    return load_scenario_file(DATA / "minimal.yaml").scenario


def test_english_reasons_and_details_are_english(rich: Scenario) -> None:
    english = rich.model_copy(update={"language": "en", "lines": ClientLines()})
    engine = engine_at(english)
    red = engine.respond(said("promise_guaranteed_return", products=("wealth",)), "research")
    assert red.annotations.violations[0].detail == "promise_guaranteed_return"
    engine.enter_step("close")
    reply = engine.respond(said("ask_for_commitment"), "close")
    reasons = reply.annotations.reasons
    assert reasons[0] == "trust 30 is below 60"
    assert reasons[-2] == "violation: promise_guaranteed_return"
    assert reasons[-1] == "the risks and fees of '稳健一年理财' not explained yet"
    assert "我还是再考虑考虑吧。 You haven't even asked me about 闲置资金" in reply.text


def test_generic_line_only_when_nothing_else_was_said(rich: Scenario) -> None:
    engine = engine_at(rich)
    reply = engine.respond(said("greet", "ask_contact_preference"), "research")
    assert reply.text in texts(rich.steps[0].responses["greet"])  # no built-in farewell tacked on
