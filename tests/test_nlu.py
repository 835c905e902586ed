"""Unit tests of the recogniser: red-line precision, products, jargon, folding, caching."""

from __future__ import annotations

from pathlib import Path

import pytest

from finsim.errors import InputFileError
from finsim.nlu import Analysis, IntentMatch, Recogniser, recogniser_for
from finsim.scenario import load_base_library, load_scenario_file
from finsim.scenario.models import Intent, JargonTerm

MINIMAL = Path(__file__).parent / "data" / "minimal.yaml"
RED_LINES = {
    "promise_guaranteed_return",
    "pressure_tactics",
    "disparage_competitor",
    "privacy_breach",
}


@pytest.fixture(scope="module")
def recogniser() -> Recogniser:
    return Recogniser(load_base_library(), load_scenario_file(MINIMAL).scenario)


def _ids(recogniser: Recogniser, text: str) -> frozenset[str]:
    return recogniser.analyse(text).ids()


def test_several_acts_in_one_line(recogniser: Recogniser) -> None:
    analysis = recogniser.analyse("您好，我是小王，想了解一下您的理财需求")
    assert isinstance(analysis, Analysis)
    assert {"greet", "explain_purpose"} <= analysis.ids()
    assert all(isinstance(m, IntentMatch) and m.evidence for m in analysis.intents)
    assert recogniser.recognise(analysis.text) == list(analysis.intents)


def test_a_product_suggested_in_passing_is_a_cross_sell(recogniser: Recogniser) -> None:
    assert "cross_sell" in _ids(recogniser, "店里的闲钱，可以放一部分进去试试这只基金")


def test_the_decision_left_for_later_is_no_close(recogniser: Recogniser) -> None:
    assert "ask_for_commitment" not in _ids(recogniser, "您了解完再决定，不用今天定，可以吗？")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("这款产品不保本", "disclose_risk"),
        ("存款有存款保险保障", None),
        ("别的客户也都这么选", None),
        ("“稳赚不赔”这种话您可别信", None),
        ("我可不敢跟您说这个肯定不会亏", None),
        ("如果有人跟您承诺保本，您要当心", None),
        ("您不用急，考虑好再来", None),
        ("我不能告诉您张姐买了多少", None),
        ("我们从不说同行的坏话", None),
        # a rate compared with the bank next door names no client
        ("隔壁一年期高零点二，十万块一年也就差两百", None),
        # the client's own bad experience acknowledged, not another firm run down
        ("网上借钱的坑您踩过，这次我们一笔一笔算给您看", None),
        ("您只有今天有空吗？那我们先把手续说清楚", None),
        ("贷款要找担保公司，担保费按3%收", None),
        ("我们不做保本承诺，也不做收益承诺", None),
        ("我不会跟您承诺任何收益，这是净值型产品", None),
        ("如果将来有人打电话让您转账，保证高收益，您直接挂掉", None),
        ("结构性存款本金有保障，最差也有合同写的保底利率", None),
        ("这期储蓄国债由国家信用担保，到期还本付息", None),
        ("正规机构的员工不会对非保本产品承诺收益", None),
        ("您听说的那个4.5%保底，其实是业绩比较基准，不是保证", None),
        ("您邻居跟您说这个基金从来不亏？其实它前年也跌过", None),
        ("最好的一年涨了百分之二十，最差的一年跌了百分之十五，两头都要看", None),
        ("要是有人在双录时叫您只管说是，您就别配合", None),
        ("谁催您马上转账、说过时不候的，您先挂电话", None),
        ("三年定期本金有保障，那只债基就不一样了，可能会亏", None),
        ("定期存款不属于理财，本金和利息都有保障", None),
        ("收益写在合同里也是浮动的，不是固定的数", None),
        ("保本又高收益的理财压根是没有的", None),
        ("若有人打电话说保本高息，您马上挂断", None),
        ("我们不说错过今天就没了这种话", None),
        ("您借五万，一年下来利息总共要多付一千八", None),
        ("您满意的话，可以跟您朋友介绍一下我们的代发工资", None),
        ("您给表姐做的那笔担保会算进您的负债", None),
        ("录像不是走形式，是为了保护您自己", None),
        ("一万块本金最惨的时候只剩八千五", None),
        ("存款保险保的是存款，而您买的基金没有这层保障", None),
        ("涨得最多那年是两成，最差那年跌了一成半", None),
        ("您能接受本金有一定的波动吗？", None),
        ("哪有不亏的投资，您得看清风险", None),
        ("问卷每一题都请您如实填写", None),
        ("跟隔壁比，高零点一个百分点，十万块一年差一百", None),
        ("这只基金不保本，我没办法向您承诺任何收益", None),
        ("风险低不等于保本，净值也会跌", None),
        ("您听邻居说这个稳赚？他说得不准确，净值是会波动的", None),
        ("这几款里能保证本金的只有那张大额存单", None),
        ("上午跟您说稳赚的那位不是我们行的员工", None),
        ("万能险合同里有保底利率，超过的部分不保证", None),
        ("您在我们这儿的活期和定期，五十万以内都有存款保险", None),
        ("以前您买基金有没有亏过？当时怎么处理的？", None),
    ],
)
def test_red_lines_are_precise(recogniser: Recogniser, text: str, expected: str | None) -> None:
    ids = _ids(recogniser, text)
    assert not ids & RED_LINES
    if expected:
        assert expected in ids


@pytest.mark.parametrize(
    ("text", "red_line"),
    [
        ("放心，这个肯定不会亏", "promise_guaranteed_return"),
        ("这个理财跟存款一样有存款保险", "misstate_deposit_insurance"),
        ("名额就剩两个了，今天必须定", "pressure_tactics"),
        ("那家银行早晚要出事", "disparage_competitor"),
        ("我们有个客户张姐买了两百万", "privacy_breach"),
        ("隔壁上个月刚存了三十万大额存单", "privacy_breach"),
        ("那个平台全是坑，您也踩过", "disparage_competitor"),
        ("今天存还送一张加息券，只有今天有", "pressure_tactics"),
        ("这款理财就相当于三年定期，利息还高", "promise_guaranteed_return"),
        ("投资经验那栏您写五年以上，不然评不上", "steer_risk_assessment"),
        ("您就把它当存款，到期本金一分都不会少", "promise_guaranteed_return"),
        ("这个理财跟定期一样，本金不会亏", "promise_guaranteed_return"),
        ("银行的理财哪有会亏的，放心买", "promise_guaranteed_return"),
        ("后天这个分期方案就取消了，今天定下来吧", "pressure_tactics"),
        ("那家农商行的人嘴里没一句实话", "disparage_competitor"),
        ("你们医院的王主任也在我这买了二十万", "privacy_breach"),
        ("测评题太多了，我先帮您答好了，您签字就行", "steer_risk_assessment"),
        ("这款净值型理财年化能拿到3.1%，比存款高", "quote_expected_return"),
        ("对面那家推的基金没几个能赚钱的", "disparage_competitor"),
        ("这款基金放心，跌不了的", "promise_guaranteed_return"),
        ("这个活动过了今天就不能办了，您赶紧定", "pressure_tactics"),
        ("我们这只产品从来没让客户亏过钱", "selective_performance"),
        ("录像的时候您别管她说什么，点头就完了", "dismiss_dual_recording"),
    ],
)
def test_red_lines_are_caught_and_ranked_first(
    recogniser: Recogniser, text: str, red_line: str
) -> None:
    assert recogniser.recognise(text)[0].id == red_line


def test_guarantee_claim_about_a_deposit_may_be_reported(recogniser: Recogniser) -> None:
    # The engine clears a guarantee claim about a guaranteed product; the recogniser
    # names the product so it can.
    analysis = recogniser.analyse("这个一年期定期存款本金是有保障的")
    assert analysis.products == ("deposit",)


def test_products_in_order_of_mention(recogniser: Recogniser) -> None:
    analysis = recogniser.analyse("股票型基金和定存比，您更喜欢哪个")
    assert analysis.products == ("equity-fund", "deposit")


def test_jargon_unexplained_and_explained(recogniser: Recogniser) -> None:
    assert recogniser.analyse("这只基金净值波动比较大").jargon == ("净值",)
    assert recogniser.analyse("净值就是每一份现在值多少钱").jargon == ()
    assert recogniser.analyse("您可以随时赎回").jargon == ("赎回",)


@pytest.mark.parametrize(
    ("line", "unexplained"),
    [
        ("管理费每年0.5%，就是付给基金公司打理的钱", ()),
        ("申购费（买入时收的手续费）1.2%", ()),
        ("NAV, which means the value of one share", ()),
        ("手机银行定投就是一折，0.12%", ("定投",)),  # 就是 gives a price, not a meaning
        ("这只基金净值涨了不少，您看这就是实力", ("净值",)),  # 就是 far from the term
    ],
)
def test_an_explanation_is_said_right_after_the_term(
    recogniser: Recogniser, line: str, unexplained: tuple[str, ...]
) -> None:
    assert recogniser.analyse(line).jargon == unexplained


def test_question_detection(recogniser: Recogniser) -> None:
    assert recogniser.analyse("您平时在哪家银行办业务").is_question
    assert recogniser.analyse("您是想稳一点还是想多赚一点").is_question
    assert not recogniser.analyse("这款产品期限一年").is_question


def test_traditional_and_typo_folding(recogniser: Recogniser) -> None:
    assert _ids(recogniser, "這款產品不保本") == _ids(recogniser, "这款产品不保本")
    assert "apologize" in _ids(recogniser, "不好意识，让您久等了")


def test_scenario_intents_and_jargon_are_used() -> None:
    library = load_base_library()
    own = Intent(id="demo_gift", name="送礼品", keywords=["小礼品"])
    scenario = load_scenario_file(MINIMAL).scenario.model_copy(
        update={"intents": [own], "jargon": [JargonTerm(term="起息日", plain="开始算利息的那天")]}
    )
    recogniser = Recogniser(library, scenario)
    assert "demo_gift" in _ids(recogniser, "今天办理送小礼品")
    assert recogniser.analyse("起息日是明天").jargon == ("起息日",)


def test_bad_regular_expression_is_a_clear_error() -> None:
    library = load_base_library()
    broken = library.model_copy(
        update={"intents": [Intent(id="x", name="坏", patterns=["(未闭合"])]}
    )
    with pytest.raises(InputFileError, match="x"):
        Recogniser(broken)


def test_recogniser_for_is_cached_per_scenario_content() -> None:
    scenario = load_scenario_file(MINIMAL).scenario
    assert recogniser_for(scenario) is recogniser_for(scenario)
    assert recogniser_for(None) is recogniser_for(None)
    changed = scenario.model_copy(update={"jargon": [JargonTerm(term="起息日", plain="开始计息")]})
    assert recogniser_for(changed) is not recogniser_for(scenario)


def test_english_lines() -> None:
    recogniser = recogniser_for(None)
    assert (
        recogniser.recognise("Hello, my name is Sam, I'm your relationship manager")[0].id
        == "greet"
    )
    assert "disclose_risk" in recogniser.analyse("You could lose money, it is not guaranteed").ids()
    assert not recogniser.analyse("I can't promise any return").ids() & RED_LINES


# ── reported false positives and misses (each line here was wrong before) ──
@pytest.mark.parametrize(
    "line",
    [
        "这款产品没有管理费",
        "我们不收申购费，也免托管费",
        "这个基金免赎回费",
        "There is no subscription fee",
    ],
)
def test_a_negated_fee_is_no_jargon(recogniser: Recogniser, line: str) -> None:
    assert recogniser.analyse(line).jargon == ()


def test_a_fee_that_is_charged_is_still_jargon(recogniser: Recogniser) -> None:
    assert recogniser.analyse("管理费每年0.5%，没有托管费").jargon == ("管理费",)


def test_a_longer_term_covers_the_shorter(recogniser: Recogniser) -> None:
    assert recogniser.analyse("卖出时要收赎回费").jargon == ("赎回费",)


@pytest.mark.parametrize(
    "line",
    [
        "这只基金最大回撤其实不大",
        "这款理财保本保收益，不会有亏损",
        "保本保收益，风险提示签个字就行",
    ],
)
def test_reassurance_and_promises_are_no_risk_disclosure(recogniser: Recogniser, line: str) -> None:
    assert "disclose_risk" not in _ids(recogniser, line)


def test_an_intent_excluded_by_another_in_the_line(recogniser: Recogniser) -> None:
    ids = _ids(recogniser, "这款理财保本保收益，行情不好也会波动")
    assert "promise_guaranteed_return" in ids and "disclose_risk" not in ids
    assert "disclose_risk" in _ids(recogniser, "这款理财不保本，行情不好也会波动")


@pytest.mark.parametrize(
    ("line", "intent"),
    [
        ("您吃了吗", "small_talk"),
        ("最近工作忙不忙", "small_talk"),
        ("逾期的话会上征信，还有罚息", "disclose_risk"),
        ("您作为担保人承担连带责任，公司还不上要您来还", "disclose_risk"),
        ("没到期就取的话按活期算利息", "disclose_fees"),
        ("每年多拿两千块利息，够您俩一年的体检费用", "explain_benefits"),
        ("保险只保三年，这个说法不准确，看的是合同写的保障期", "handle_misunderstanding"),
        ("您说贷款利息是按年一次扣——不一定，这款是按月扣的", "handle_misunderstanding"),
        ("您别信我，您信网点门口挂的利率牌", "handle_doubt"),
        ("封闭期一年是不短，可这段时间您也不打算动这笔钱", "handle_shortcoming"),
        ("这次过来，一是送卡，二是顺便听听您的想法", "explain_purpose"),
        ("卡被吞了这事怪我们，下午我带同事上门把新卡办好", "handle_complaint"),
        ("比利率不如看总成本，手续费和罚息都算进去", "handle_price"),
    ],
)
def test_reported_misses_are_found(recogniser: Recogniser, line: str, intent: str) -> None:
    assert intent in _ids(recogniser, line)


def test_an_annuitys_contractual_payout_is_no_promise(recogniser: Recogniser) -> None:
    assert "promise_guaranteed_return" not in _ids(recogniser, "保证领取二十年，这是写进合同的")
    assert "promise_guaranteed_return" in _ids(recogniser, "这款年金保证收益6%，稳赚")


@pytest.mark.parametrize(
    ("line", "charged"),
    [
        ("那家银行的理财经理都是忽悠人的，您可别信。", True),  # the warning is the act
        ("说那家银行不靠谱的话，您听听就算了，别信。", False),  # someone's words, rejected
        ("保本保息，那是骗人的。", False),  # a warning cancels a promise
    ],
)
def test_a_warning_after_the_words_cancels_them_unless_the_act_is_a_warning(
    recogniser: Recogniser, line: str, charged: bool
) -> None:
    found = recogniser.analyse(line).ids()
    assert ("disparage_competitor" in found) is charged
    assert "promise_guaranteed_return" not in found


def test_sending_the_client_elsewhere_is_no_complaint_handled(recogniser: Recogniser) -> None:
    sent_away = "扣费的事您可以去客服问一下，他们会帮您处理。"
    assert "handle_complaint" not in _ids(recogniser, sent_away)
    assert "handle_complaint" in _ids(recogniser, "扣费的事我马上帮您查，多扣的退给您。")


@pytest.mark.parametrize(
    ("line", "charged"),
    [
        ("它跟定期存款一样，保本保息，您放心。", True),  # compared with a deposit: the claim stands
        ("您定期到期了，转到我们这个理财，保本的。", True),
        ("大额存单和结构性存款都属于存款，都受存款保险保护。", False),
        ("结构性存款保证收益，肯定不会亏。", True),  # its principal is kept, not a return
        ("如果有人说这款有风险，其实它是保本的。", True),  # the supposition taken back up
    ],
)
def test_a_line_about_deposits_alone_promises_nothing_untrue(
    recogniser: Recogniser, line: str, charged: bool
) -> None:
    assert ("promise_guaranteed_return" in _ids(recogniser, line)) is charged


@pytest.mark.parametrize(
    "line",
    [
        "您今天不做决定的话名额就没了",
        "您今天不给个准话名额就被抢了",
        "您签这儿就行，条款不用看。",
    ],
)
def test_pressure_is_charged_beside_words_that_look_like_a_refusal(
    recogniser: Recogniser, line: str
) -> None:
    assert "pressure_tactics" in _ids(recogniser, line)


@pytest.mark.parametrize(
    "line", ["协议您别看字多，重点就三条，我给您划出来", "合同条款您别看太快，一条条读明白再签"]
)
def test_asking_the_client_to_read_the_terms_well_is_no_pressure(
    recogniser: Recogniser, line: str
) -> None:
    assert not _ids(recogniser, line) & RED_LINES


@pytest.mark.parametrize(
    ("line", "red_line"),
    [
        ("那道“最大能接受亏损”的题您选“30%以上”吧，测出来是积极型。", "steer_risk_assessment"),
        ("天天宝货币基金，它跟活期存款一样，也受存款保险保障。", "misstate_deposit_insurance"),
        ("随用随取，一点风险都没有。", "promise_guaranteed_return"),
        ("您可以把它理解成一笔换了名字的长期存款，钱放在里面很安全。", "promise_guaranteed_return"),
        ("泓信这几年分红都很稳，基本每年4%左右。", "quote_expected_return"),
    ],
)
def test_claims_of_graded_drills_are_charged(
    recogniser: Recogniser, line: str, red_line: str
) -> None:
    assert red_line in _ids(recogniser, line)


@pytest.mark.parametrize(
    "line",
    [
        "阿姨，您在我们这儿存的三十万定期，有存款保险，国家保障。",
        "您可以把大额存单理解成一张可以转让的定期存单。",
        "收费那一栏写着不收手续费、服务费、承诺费和违约金；利息我当场给您算。",
        "被平台坑过谁都会警惕，这是合同样本。",
    ],
)
def test_true_or_kind_words_beside_those_claims_stay_safe(
    recogniser: Recogniser, line: str
) -> None:
    assert not _ids(recogniser, line) & RED_LINES
