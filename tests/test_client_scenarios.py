"""The shipped scenarios played through the recogniser and the engine: what each client knows."""

from __future__ import annotations

import pytest

from finsim.client import ClientEngine
from finsim.nlu import recogniser_for
from finsim.scenario.loader import ScenarioCatalog


def first_reply(scenario_id: str, line: str) -> tuple[list[str], str]:
    scenario = ScenarioCatalog().resolve(scenario_id).scenario
    engine = ClientEngine(scenario, seed=1)
    step = scenario.steps[0].id
    engine.enter_step(step)
    reply = engine.respond(recogniser_for(scenario).analyse(line), step)
    return reply.annotations.jargon, reply.text


@pytest.mark.parametrize(
    ("scenario_id", "line", "term"),
    [
        ("young-professional", "这只指数基金适合做定投", "定投"),
        ("small-business", "现在经营贷利率是在LPR基础上加点", "LPR"),
        ("outlet-service", "这笔钱您还是存整存整取吧", "整存整取"),
        ("young-family", "这只基金最近净值涨了一些", "净值"),
        ("retired-teacher", "国债提前兑取的话要扣一部分利息", "提前兑取"),
    ],
)
def test_a_client_is_not_asked_about_a_known_term(scenario_id: str, line: str, term: str) -> None:
    jargon, text = first_reply(scenario_id, line)
    assert term not in jargon and term not in text


@pytest.mark.parametrize(
    ("scenario_id", "line", "term"),
    [
        ("young-professional", "这只基金跟踪误差很小", "跟踪误差"),
        ("retired-teacher", "这只基金最近净值涨了一些", "净值"),
    ],
)
def test_a_client_still_asks_about_a_term_it_does_not_know(
    scenario_id: str, line: str, term: str
) -> None:
    jargon, text = first_reply(scenario_id, line)
    assert jargon == [term] and f"“{term}”" in text
