"""Reassurance instead of an answer: the library's dismissals, with and without substance."""

from __future__ import annotations

import pytest

from finsim.client.dismissal import Dismissal
from finsim.errors import InputFileError
from finsim.scenario import load_base_library
from finsim.scenario.models import Dismissals


@pytest.fixture(scope="module")
def dismissal() -> Dismissal:
    return Dismissal(load_base_library().dismissals)


@pytest.mark.parametrize(
    "text",
    [
        "两万一年对您家不算多，而且是为了孩子，值得。",
        "您放心，我们是正规银行，受监管的，不会出事的。",
        "不过三年一晃就过去了，一般也用不上。",
        "我们3.45%起，算是很优惠的了。",
        "隔壁是高一点点，不过差得也不多。",
        "短信费的事我记下了，回头帮您反馈一下。",
        "兩萬一年不算多，值得。",
    ],
)
def test_reassurance_alone_waves_the_concern_away(dismissal: Dismissal, text: str) -> None:
    assert dismissal.waves_away(text)


@pytest.mark.parametrize(
    "text",
    [
        "一年两万，算下来一个月一千七，不算多。",
        "您担心隐藏收费，合同第五条写着不收手续费，不会坑您。",
        "三年是长了点，不过可以部分提前支取一次，一般也用不上全部。",
        "这款跟存款差不多稳吗？不是，它不保本。",
        "利率是年化3.45%起，以审批结果为准。",
    ],
)
def test_an_answer_with_substance_is_not_a_dismissal(dismissal: Dismissal, text: str) -> None:
    assert not dismissal.waves_away(text)


def test_a_bad_pattern_is_a_clear_input_error() -> None:
    with pytest.raises(InputFileError, match="dismissals"):
        Dismissal(Dismissals(patterns=["(不算多"]))
