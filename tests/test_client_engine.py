"""The virtual client engine, driven by hand-made analyses (no recogniser involved)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from finsim.client import ClientEngine
from finsim.client.engine import TRUST
from finsim.client.lines import SITUATION_LINES
from finsim.scenario.loader import load_scenario_file
from finsim.scenario.models import ClientLines, Scenario

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Match:
    id: str
    score: float = 0.9


@dataclass(frozen=True)
class Said:
    """A stand-in for ``finsim.nlu.Analysis``."""

    intents: tuple[Match, ...] = ()
    products: tuple[str, ...] = ()
    jargon: tuple[str, ...] = ()
    is_question: bool = False


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
    assert reply.text in SITUATION_LINES["zh"]["intrusive"]


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
    assert reply.text in SITUATION_LINES["zh"]["pressure"]
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


def test_commitment_without_disclosure_is_recorded(rich: Scenario) -> None:
    engine = engine_at(rich, "close")
    reply = engine.respond(said("ask_for_commitment", products=("wealth",)), "close")
    ids = [v.id for v in reply.annotations.violations]
    assert ids == ["missing_disclosure"]
    assert "风险" in reply.annotations.violations[0].detail
    assert reply.annotations.decision == "decline"


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
    assert reply.text in rich.lines.unrecognised


def test_builtin_lines_fill_what_the_scenario_lacks(rich: Scenario) -> None:
    engine = engine_at(rich)
    reply = engine.respond(said("pressure_tactics"), "research")
    assert rich.lines.pressure == [] and reply.text in SITUATION_LINES["zh"]["pressure"]


def test_english_scenario_uses_english_lines(rich: Scenario) -> None:
    english = rich.model_copy(update={"language": "en", "lines": ClientLines()})
    engine = engine_at(english)
    assert engine.respond(said(), "research").text in SITUATION_LINES["en"]["unrecognised"]
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
    reply = engine.respond(said("handle_price"), "close")
    assert reply.annotations.resolved == ["fee"]


def test_wrong_handling_without_wrong_reply_uses_builtin_line(rich: Scenario) -> None:
    engine = engine_at(rich, "close")
    reply = engine.respond(said("handle_complaint"), "close")
    assert reply.annotations.mishandled == ["doubt"]
    assert reply.text in SITUATION_LINES["zh"]["wrong_handling"]


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
    assert again.text in SITUATION_LINES["zh"]["already_bought"]


def test_decline_says_why(rich: Scenario) -> None:
    engine = engine_at(rich, "close")
    reply = engine.respond(said("ask_for_commitment", products=("wealth",)), "close")
    reasons = " ".join(reply.annotations.reasons)
    assert "信任度" in reasons and "闲置资金" in reasons and "顾虑没有解决" in reasons
    assert "我还是再考虑考虑吧。我对你们还不太放心。" in reply.text


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


def test_end_purchase_without_disclosure_is_a_violation(rich: Scenario) -> None:
    lenient = rich.model_copy(
        update={
            "persona": rich.persona.model_copy(
                update={
                    "decision": rich.persona.decision.model_copy(update={"required_intents": []})
                }
            )
        }
    )
    engine = engine_at(lenient)
    warm_up(engine)
    engine.respond(said("ask_assets"), "research")
    engine.respond(said("ask_experience"), "research")
    engine.enter_step("present")
    engine.respond(said("handle_misunderstanding"), "present")
    engine.enter_step("close")
    engine.respond(said("handle_doubt"), "close")
    engine.respond(said("handle_price"), "close")
    outcome = engine.decide()
    assert [v.id for v in engine.final_violations] == ["missing_disclosure"]
    assert outcome.decision == "declined"


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
    assert reasons[-1].startswith(
        "violation: promise_guaranteed_return; no disclosure of the risks"
    )
    assert "我还是再考虑考虑吧。 I don't quite trust you yet." in reply.text


def test_generic_line_only_when_nothing_else_was_said(rich: Scenario) -> None:
    engine = engine_at(rich)
    reply = engine.respond(said("greet", "ask_contact_preference"), "research")
    assert reply.text in rich.steps[0].responses["greet"]  # no built-in farewell tacked on
