"""Property tests of the recogniser: total, deterministic, bounded, fold-invariant."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import opencc
from hypothesis import given, settings
from hypothesis import strategies as st

from finsim.nlu import Recogniser
from finsim.nlu.evaluate import load_eval_set
from finsim.scenario import load_base_library, load_scenario_file

EVAL = Path(__file__).parent / "nlu_eval" / "zh.yaml"
MINIMAL = Path(__file__).parent / "data" / "minimal.yaml"


@cache
def _recogniser() -> Recogniser:
    return Recogniser(load_base_library(), load_scenario_file(MINIMAL).scenario)


@cache
def _lines() -> list[str]:
    evalset = load_eval_set(EVAL)
    return [case.text for _, case in evalset.labelled()] + [line.text for line in evalset.safe]


_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=200)
_chinese = st.text(
    alphabet=st.sampled_from(
        '您好我是银行理财不保本亏会吗，。？！ 存款基金收益风险那家客户张姐买了万今天必须定"“”'
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(_text, _chinese))
def test_never_crashes_and_scores_are_sorted_in_range(text: str) -> None:
    analysis = _recogniser().analyse(text)
    scores = [m.score for m in analysis.intents]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert len({m.id for m in analysis.intents}) == len(analysis.intents)
    assert analysis.text == text


@settings(max_examples=100, deadline=None)
@given(st.one_of(_text, _chinese))
def test_deterministic(text: str) -> None:
    assert _recogniser().analyse(text) == _recogniser().analyse(text)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(range(10_000)))
def test_traditional_gives_the_same_result_as_simplified(index: int) -> None:
    lines = _lines()
    simplified = lines[index % len(lines)]
    traditional = opencc.OpenCC("s2t").convert(simplified)
    a, b = _recogniser().analyse(simplified), _recogniser().analyse(traditional)
    assert a.intents == b.intents
    assert (a.products, a.jargon, a.is_question) == (b.products, b.jargon, b.is_question)


def test_a_decimal_point_does_not_break_a_clause() -> None:
    from finsim.nlu.features import clauses

    assert clauses("年化4.5%保底,其实. 不是") == ["年化4.5%保底", "其实", "不是"]
