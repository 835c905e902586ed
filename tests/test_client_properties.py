"""Property tests of the client engine: any sequence of analysed lines keeps the invariants."""

from __future__ import annotations

from pathlib import Path

from analysis_support import Match, Said
from hypothesis import given, settings
from hypothesis import strategies as st

from finsim.client import ClientEngine
from finsim.scenario.loader import load_base_library, load_scenario_file

DATA = Path(__file__).parent / "data"
SCENARIO = load_scenario_file(DATA / "drill-rich.yaml").scenario
INTENT_IDS = [i.id for i in load_base_library().intents]
STEP_IDS = [s.id for s in SCENARIO.steps]
PRODUCT_IDS = [p.id for p in SCENARIO.products]


said = st.builds(
    Said,
    intents=st.lists(st.sampled_from(INTENT_IDS), max_size=3).map(
        lambda ids: tuple(Match(i, 0.8) for i in ids)
    ),
    products=st.lists(st.sampled_from(PRODUCT_IDS), max_size=2).map(tuple),
    jargon=st.lists(st.sampled_from(["净值", "久期"]), max_size=1).map(tuple),
    is_question=st.booleans(),
)
turns = st.lists(st.tuples(st.sampled_from(STEP_IDS), said), max_size=25)


def play(seed: int, script: list[tuple[str, Said]]) -> tuple[list[str], ClientEngine]:
    engine = ClientEngine(SCENARIO, seed)
    texts = [engine.enter_step(STEP_IDS[0]).text]
    for step, line in script:
        texts.append(engine.respond(line, step).text)
    return texts, engine


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2**32), script=turns)
def test_invariants(seed: int, script: list[tuple[str, Said]]) -> None:
    engine = ClientEngine(SCENARIO, seed)
    engine.enter_step(STEP_IDS[0])
    seen_violations = 0
    for step, line in script:
        reply = engine.respond(line, step)
        state = engine.state
        assert reply.text.strip(), "the client is never silent"
        assert 0 <= state.trust <= 100
        assert reply.annotations.trust == state.trust
        assert len(state.revealed) == len(set(state.revealed)), "a fact is revealed once"
        assert set(reply.annotations.resolved) <= set(state.raised)
        assert len(state.resolved) == len(set(state.resolved))
        assert len(state.violations) >= seen_violations
        seen_violations = len(state.violations)
        for fact_id in reply.annotations.revealed:
            fact = engine.fact(fact_id)
            assert set(fact.revealed_by) & {m.id for m in line.intents}, "revealed only when asked"
            if fact.sensitive and _no_later_trust_loss(line):
                assert state.trust >= SCENARIO.persona.sensitive_trust, "told only with trust"
    outcome = engine.decide()
    assert outcome.decision in {"bought", "declined"}
    assert outcome.reasons


def _no_later_trust_loss(line: Said) -> bool:
    """No rule after the fact rule (jargon, suitability, objections) can move trust."""
    later = {"introduce_product", "compare_options", "ask_for_commitment"}
    ids = {m.id for m in line.intents}
    return not line.jargon and not ids & later and not any(i.startswith("handle_") for i in ids)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32), script=turns)
def test_deterministic_for_a_seed(seed: int, script: list[tuple[str, Said]]) -> None:
    first, a = play(seed, script)
    second, b = play(seed, script)
    assert first == second
    assert a.state == b.state
