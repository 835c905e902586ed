"""Products named only in passing, and red-line words relayed from someone else.

A product warned off ("超出您的等级，不适合") or only compared with ("波动比纯股票基金
小") is not put forward: neither the client nor the scorer takes it as offered. A claim
the client or a relative made, asked back, is not the manager's; the manager taking it
up in their own voice ("——其实就跟定期存款一样") is.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from finsim.nlu.recogniser import recogniser_for
from finsim.scenario import ScenarioCatalog
from finsim.scenario.advice import in_passing, only_compared, warned_off

FUND = ScenarioCatalog([]).resolve("young-family").scenario.product("tech-fund")
"""前沿科技股票型基金 (R4), also called 科技基金, 股票基金…"""


@pytest.mark.parametrize(
    "text",
    [
        "同事晒的科技基金是R4，超出您的等级，不适合。",
        "那只股票基金您就别跟风了。",
        "我归纳一下：这是养老钱，本金一分不能少；股票基金这些您不碰。",
        "可以考虑平衡基金定投；科技基金风险高过您的测评结果，我不建议。",
    ],
)
def test_a_product_warned_off_is_named_in_passing(text: str) -> None:
    assert warned_off(FUND, text)
    assert in_passing(FUND, text)


def test_a_comparison_names_a_product_in_passing() -> None:
    assert only_compared(FUND, "它的波动比纯股票基金小。")
    assert in_passing(FUND, "它的波动比纯股票基金小。")


@pytest.mark.parametrize(
    "text",
    [
        "您同事那个科技基金也可以顺便买点，涨得快。",
        "另外你同事推的股票基金也可以每月配个三五百。",
        "科技基金超出您的等级，不过股票基金您也可以少配一点。",
        "我给您推荐这只科技基金。",
    ],
)
def test_a_product_put_forward_is_not_in_passing(text: str) -> None:
    assert not in_passing(FUND, text)


@pytest.fixture(scope="module")
def red_lines() -> Callable[[str], set[str]]:
    """The red lines the shipped recogniser finds in a line."""
    recogniser = recogniser_for(None)
    red = {i.id for i in recogniser.intents if i.red_line}

    def found(text: str) -> set[str]:
        return {m.id for m in recogniser.recognise(text)} & red

    return found


@pytest.mark.parametrize(
    "text",
    [
        "您孙子说这个基金保本？不是的，基金都不保本。",
        "我们从来不会跟客户说理财保本保息，这款的净值是会波动的。",
        "有同事跟您说过今天必须定？那是他说得不对，您按自己的节奏来。",
        "您被网上平台坑过，担心隐藏收费很正常，这是我们的收费标准。",
        "别信那种说稳赚不赔的，投资哪有稳赚的。",
        "阿姨，谁要是跟您说哪个理财肯定不亏，您可得留个心眼。",
        "保本的只有存款和国债这类，理财基金都是不保本的。",
        "我们网点没有销售任务，您不用为了帮我买任何东西。",
        "我们行的任务就是帮您把钱管好。",
        "我们网点考核的是客户满意度，能帮您解决问题最重要。",
    ],
)
def test_a_relayed_or_refused_claim_is_no_red_line(
    red_lines: Callable[[str], set[str]], text: str
) -> None:
    assert red_lines(text) == set()


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("您说是不是跟存款一样——其实就跟定期存款一样，很安全。", "promise_guaranteed_return"),
        ("您就说能接受亏损，不然这个产品系统不让买。", "steer_risk_assessment"),
        ("底下买的都是国债和存单，这种东西怎么可能亏呢？", "promise_guaranteed_return"),
        # the manager's own quota as the reason to decide now
        ("我这个季度还差一点任务，您要是这周能递申请，也算帮我个大忙。", "pressure_tactics"),
        # words dictated in quotation marks are the manager's instruction, not a quotation
        ("双录只是走个形式，您对着镜头答“清楚”就行。", "dismiss_dual_recording"),
    ],
)
def test_a_claim_taken_up_or_instructed_stays_a_red_line(
    red_lines: Callable[[str], set[str]], text: str, intent: str
) -> None:
    assert intent in red_lines(text)
