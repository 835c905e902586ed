"""The client stays in character: no line whose condition is false, on every shipped scenario.

Generated drills (any intents, products, figures and step changes, at any
level) are played against each shipped scenario; after each reply:

- a line that needs a purchase, a fact told, a concern raised, a product put
  forward or an intent heard is said only when that holds (these only grow, so
  the state after the turn decides), and a line that needs their absence only
  when it held before the turn; a step opening's conditions all hold (nothing
  moves trust while a step opens);
- every figure the client quotes was said by the manager or is in a fact it
  told, a concern it voiced or a product discussed (its own openings, facts,
  concerns and decision lines state its situation and are not quotes);
- a sensitive fact (asked for or carried along by a line) is told only with
  the trust it needs.
"""

from __future__ import annotations

import pytest
from analysis_support import Match, Said
from hypothesis import given, settings
from hypothesis import strategies as st

from finsim.client import ClientEngine
from finsim.client.conditions import holds, standing
from finsim.client.lines import INTENT_LINES, SITUATION_LINES
from finsim.client.state import ClientState
from finsim.client.temper import temper_for
from finsim.scenario import ScenarioCatalog
from finsim.scenario.figures import figures
from finsim.scenario.lines import LineModel
from finsim.scenario.loader import load_base_library
from finsim.scenario.models import Scenario

SHIPPED = {loaded.scenario.id: loaded.scenario for loaded in ScenarioCatalog([]).load_all()}
INTENT_IDS = [i.id for i in load_base_library().intents]
FIGURE_WORDS = ["2700", "两千七百", "1.75%", "三十万", "上门", "50万", "2.05%", "四十"]
"""Bits of manager text: figures and services some client lines quote."""


def conditioned_lines(scenario: Scenario) -> list[LineModel]:
    """Every reply and closing line of the scenario and the built-in ones (openings apart)."""
    lang = scenario.language
    lines: list[LineModel] = []
    for step in scenario.steps:
        for variants in step.responses.values():
            lines.extend(variants)
    for variants in scenario.responses.values():
        lines.extend(variants)
    for objection in scenario.persona.objections:
        lines.extend(objection.resolved_reply)
    lines.extend([*scenario.persona.decision.accept, *scenario.persona.decision.decline])
    for situation in type(scenario.lines).model_fields:
        lines.extend(getattr(scenario.lines, situation))
    for variants in [*SITUATION_LINES[lang].values(), *INTENT_LINES[lang].values()]:
        lines.extend(variants)
    return [line for line in lines if not line.when.is_empty() or line.tells]


def own_words(scenario: Scenario) -> list[str]:
    """What the client says of itself: facts, concerns, openings, decision lines."""
    persona = scenario.persona
    words = [f.text for f in persona.facts] + [o.text for o in persona.objections]
    words += [o.wrong_reply for o in persona.objections if o.wrong_reply]
    words += [line.text for step in scenario.steps for line in step.opening]
    words += [line.text for line in [*persona.decision.accept, *persona.decision.decline]]
    return sorted(words, key=len, reverse=True)


def check_growing(line: LineModel, after: ClientState) -> None:
    when = line.when
    assert set(when.told) <= set(after.revealed), line.text
    assert set(when.raised) <= set(after.raised), line.text
    assert set(when.resolved) <= set(after.resolved), line.text
    assert set(when.offered) <= set(after.put_forward), line.text
    assert set(when.heard) <= set(after.intents_seen), line.text
    if when.decision == ["bought"]:
        assert after.bought, line.text


def check_absent(line: LineModel, before: dict[str, set[str]], started: str) -> None:
    when = line.when
    assert not set(when.not_told) & before["revealed"], line.text
    assert not set(when.not_raised) & before["raised"], line.text
    assert not set(when.not_offered) & before["put_forward"], line.text
    assert not set(when.not_heard) & before["heard"], line.text
    if when.decision and "bought" not in when.decision:
        assert started != "bought", line.text


def snapshot(state: ClientState) -> dict[str, set[str]]:
    return {
        "revealed": set(state.revealed),
        "raised": set(state.raised),
        "put_forward": set(state.put_forward),
        "heard": set(state.intents_seen),
    }


def quoted_figures_are_grounded(scenario: Scenario, engine: ClientEngine, text: str) -> None:
    for words in own_words(scenario):
        text = text.replace(words, "")
    state = engine.state
    heard = "\n".join(
        [
            *state.heard,
            *(engine.fact(f).text for f in state.revealed),
            *(engine.objection(o).text for o in state.raised),
            *(scenario.product(p).name for p in state.discussed),
        ]
    )
    assert figures(text) <= figures(heard), (text, figures(text) - figures(heard))


def said_line(scenario: Scenario) -> st.SearchStrategy[Said]:
    intents = [*INTENT_IDS, *(i.id for i in scenario.intents)]
    return st.builds(
        Said,
        intents=st.lists(st.sampled_from(intents), max_size=3).map(
            lambda ids: tuple(Match(i) for i in ids)
        ),
        products=st.lists(st.sampled_from([p.id for p in scenario.products]), max_size=2).map(
            tuple
        ),
        jargon=st.just(()),
        is_question=st.booleans(),
        text=st.lists(st.sampled_from(FIGURE_WORDS), max_size=2).map("，".join),
    )


def drill(scenario: Scenario) -> st.SearchStrategy[list[tuple[bool, Said]]]:
    """A drill: manager lines, some of them preceded by moving to the next step."""
    return st.lists(st.tuples(st.booleans(), said_line(scenario)), max_size=30)


@pytest.mark.parametrize("scenario_id", sorted(SHIPPED))
def test_no_line_is_said_whose_condition_is_false(scenario_id: str) -> None:
    scenario = SHIPPED[scenario_id]
    conditioned = conditioned_lines(scenario)
    rapport = set(load_base_library().roles.rapport)

    @settings(max_examples=40, deadline=None)
    @given(
        seed=st.integers(0, 2**16),
        level=st.sampled_from(["easy", "normal", "hard"]),
        script=drill(scenario),
    )
    def run(seed: int, level: str, script: list[tuple[bool, Said]]) -> None:
        engine = ClientEngine(scenario, seed, level=level)  # type: ignore[arg-type]
        temper = temper_for(scenario.persona, level)  # type: ignore[arg-type]
        needed = scenario.persona.sensitive_trust + temper.sensitive_extra
        index = 0
        opening = engine.enter_step(scenario.steps[0].id)
        check_opening(scenario, engine, 0, opening.text)
        for next_step, line in script:
            if engine.state.left:
                break
            if next_step and index + 1 < len(scenario.steps):
                index += 1
                reply = engine.enter_step(scenario.steps[index].id)
                check_opening(scenario, engine, index, reply.text)
            before = snapshot(engine.state)
            started = standing(engine.state)
            trust_before = engine.state.trust
            reply = engine.respond(line, scenario.steps[index].id)
            for candidate in conditioned:
                if candidate.text.split("{")[0] and candidate.text.split("{")[0] in reply.text:
                    check_growing(candidate, engine.state)
                    check_absent(candidate, before, started)
            quoted_figures_are_grounded(scenario, engine, reply.text)
            gain = sum(round(5 * temper.gain) for m in line.intents if m.id in rapport)
            for fact_id in reply.annotations.revealed:
                if engine.fact(fact_id).sensitive:
                    assert trust_before + gain >= needed, (fact_id, trust_before)
        engine.decide()
        assert engine.final_words.strip() or engine.state.left

    run()


def check_opening(scenario: Scenario, engine: ClientEngine, index: int, text: str) -> None:
    """The opening said fits the state it was said in (no 办妥了 after a decline)."""
    openings = scenario.steps[index].opening
    said = [line for line in openings if line.text in text]
    heard = "\n".join(engine.state.heard).lower()
    for line in said:
        assert holds(line.when, engine.state, heard), (line.text, standing(engine.state))


def test_figures_read_digits_and_chinese_numerals_alike() -> None:
    assert figures("三十万存三年差两千七百块") == figures("30万存3年差2700块") - {3.0} | {
        300000.0,
        2700.0,
    }
    assert figures("百分之二点零五，你们才一点七五") == {2.05, 1.75}
    assert figures("三万五") == {35000.0} and figures("两千七") == {2700.0}
    assert figures("万一有急事，一点点，十几年，三五年，一两万") == set()


def test_a_figure_the_manager_never_said_is_not_quoted() -> None:
    scenario = SHIPPED["retired-teacher"]
    objection = next(o for o in scenario.persona.objections if o.id == "rate-compare")
    engine = ClientEngine(scenario, 3)
    engine.enter_step("closing")
    engine.state.raised.append("rate-compare")  # voiced
    empty = Said((Match("handle_price"),), (), (), False, "利率确实低一点，不过服务好。")
    reply = engine.respond(empty, "closing")
    assert not engine.may_say(objection.resolved_reply[0])
    assert "两千七百" not in reply.text and "上门" not in reply.text
    assert reply.annotations.resolved == ["rate-compare"]
    engine = ClientEngine(scenario, 3)
    engine.enter_step("closing")
    engine.state.raised.append("rate-compare")
    said = "三十万存三年只差两千七百块，一个月七十来块，我们还能上门服务。"
    engine.respond(Said((Match("handle_price"),), (), (), False, said), "closing")
    assert engine.may_say(objection.resolved_reply[0])  # now it may quote them


def test_after_a_decline_the_last_step_does_not_say_the_business_is_done() -> None:
    scenario = SHIPPED["retired-teacher"]
    engine = ClientEngine(scenario, 1)
    engine.enter_step("closing")
    close = Said((Match("ask_for_commitment"),), ("deposit-3y",), (), True, "")
    decline = engine.respond(close, "closing")
    assert decline.annotations.decision == "decline"
    opening = engine.enter_step("relationship").text
    assert "办妥" not in opening and "细心" not in opening


def test_the_end_always_has_a_parting_line() -> None:
    scenario = SHIPPED["young-professional"]
    engine = ClientEngine(scenario, 1)
    engine.enter_step(scenario.steps[0].id)
    engine.decide("time_up")
    assert engine.final_words.startswith(("哎呀，时间不早了", "不好意思，我得走了"))


def test_a_refused_close_names_what_is_missing_in_the_clients_words() -> None:
    scenario = SHIPPED["retired-teacher"]
    engine = ClientEngine(scenario, 1)
    engine.enter_step("closing")
    engine.state.trust = 100
    close = Said((Match("ask_for_commitment"),), ("deposit-3y",), (), True, "")
    reply = engine.respond(close, "closing")
    assert reply.annotations.decision == "decline"
    # not a vague "有些该讲的您还没讲清楚": the fees, the summary, the facts not asked about
    assert "要收哪些费用" in reply.text or "还没跟我对一对" in reply.text, reply.text
    assert "有些该讲的" not in reply.text


def test_a_hard_client_runs_out_of_patience_and_says_so() -> None:
    scenario = SHIPPED["hardware-owner"]  # hurried: less patience than the level gives
    engine = ClientEngine(scenario, 1, level="hard")
    engine.enter_step(scenario.steps[0].id)
    patience = engine.state.patience
    assert patience == temper_for(scenario.persona, "hard").patience < 4
    mumble = Said((), (), (), False, "嗯……那个……")
    replies = [engine.respond(mumble, scenario.steps[0].id) for _ in range(patience)]
    assert all(r.annotations.unrecognised for r in replies)
    assert "说重点" in replies[-2].text or "别绕圈子" in replies[-2].text  # one turn left
    assert engine.state.left == "patience"
    assert replies[-1].annotations.decision == "decline"
    assert "没有耐心" in replies[-1].annotations.reasons[0]
    engine.decide()
    assert engine.final_words == ""  # it said why as it left


def test_normal_and_easy_clients_never_walk_out() -> None:
    scenario = SHIPPED["hardware-owner"]
    for level in ("easy", "normal"):
        engine = ClientEngine(scenario, 1, level=level)  # type: ignore[arg-type]
        engine.enter_step(scenario.steps[0].id)
        red = Said((Match("pressure_tactics"),), (), (), False, "今天必须定！")
        for _ in range(12):
            engine.respond(red, scenario.steps[0].id)
        assert engine.state.left is None and engine.state.trust == 0
