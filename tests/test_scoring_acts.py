"""The scorer's own violations (finsim/scoring/acts.py): found in the words, not in denials.

Each rule is checked on lines written for this test (not the calibration scripts), and no
rule may fire on any line of the labelled corpora that is safe or carries no red line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_scoring_support import TranscriptBuilder

from finsim.scenario import ScenarioCatalog
from finsim.scenario.loader import load_base_library
from finsim.scoring import load_rubric
from finsim.scoring.acts import WORD_RULES, said
from finsim.scoring.auto import auto_score

ROOT = Path(__file__).resolve().parent.parent
CORPORA = [
    *sorted((ROOT / "corpus" / "train").glob("*.yaml")),
    *sorted((ROOT / "corpus" / "dev").glob("*.yaml")),
    ROOT / "tests" / "nlu_eval" / "zh.yaml",
]
RULES = {r.id: r for r in WORD_RULES}


def fires(rule_id: str, text: str) -> bool:
    """Whether a word rule finds its act in a line (its product conditions aside)."""
    return said(RULES[rule_id], text)


@pytest.mark.parametrize(
    ("rule_id", "text"),
    [
        ("discourage_family", "这事您自己做主就行，不用告诉您女儿。"),
        ("discourage_family", "没必要跟老伴商量，今天定了吧。"),
        ("discourage_family", "您自己做主就行，不用特意叫老伴和孩子过来，他们不懂这些。"),
        ("discourage_family", "孩子们不懂理财，他们来了反而添乱。"),
        ("selective_past_gain", "这只基金去年涨了三成多，放五年收益比定期高得多。"),
        ("selective_past_gain", "它投的一家茶饮连锁去年上市，股价翻了三倍多。"),
        ("selective_past_gain", "成立以来收益率已经达到45%，同类里名列前茅。"),
        ("proxy_signature", "您先生不用来，这份我替他代签一下。"),
        ("improper_lending", "款子到账以后您拿去炒股也行，没人管。"),
        ("improper_lending", "想让额度高一点，您最好先买一份我们的理财，审批好说话。"),
        ("improper_lending", "那笔对外担保，材料上先不写。"),
        ("misstate_fees", "这张卡任何费用都没有，放心办。"),
        ("misstate_fees", "分期手续费每月只要0.5%，很便宜。"),
        ("misstate_terms", "提前支取也照样按原来的利率给您算。"),
        ("deposit_insurance_limit", "您这八十万都在存款保险保障范围里。"),
        ("deposit_insurance_limit", "存款保险只赔二十万，所以得分开存。"),
        ("proxy_signature", "表格我替您签好了，您拿回去就行。"),
        ("proxy_signature", "确认书上那句话我帮您抄一遍，您签个名。"),
        ("improper_lending", "办下来以后拿卡取现，把那几笔网贷先还掉。"),
        ("improper_lending", "申请的时候年收入往高了报，写高一点额度才够。"),
        ("improper_lending", "想批得快，得另外交五千块的咨询费给中介公司。"),
        ("certain_floating_return", "这个挂钩汇率的产品，三个月2.8%稳拿。"),
        ("deposit_insurance_limit", "存款保险是按账户算的，开三个账户就保一百五十万。"),
        ("deposit_insurance_limit", "钱分成三张存单，每张都能赔五十万。"),
        # a claim corrected in one sentence does not hide the false one after it
        ("deposit_insurance_limit", "您说存款保险只赔五万，不对。它其实按存单计算，存多少都行。"),
        ("deposit_insurance_limit", "存款保险是每个账户五十万，您开两个户就是一百万。"),
        ("misstate_terms", "这个定期中途要用钱，取出来利息照算三年的。"),
        ("misstate_terms", "国债提前兑取一分钱损失都没有，随时拿。"),
        ("misstate_terms", "这份保险前几年退保也能全额退回来。"),
        ("improper_lending", "流水不够的话，我们可以帮您走几笔账把流水做上去。"),
        ("improper_lending", "办了卡以后拿去还别的贷款完全没问题。"),
        ("loan_fee", "放款前要先交两千块的服务费，这是规矩。"),
        ("proxy_signature", "风险确认书那段话我替您写上，您按个手印。"),
        ("misstate_loan_rate", "这笔经营贷利率就是3.2%，定死的，谁来都一样。"),
        ("promise_disbursement", "申请今天交，明天就能放款。"),
        ("improper_lending", "放款后钱怎么花我们不管，买房也行。"),
        ("improper_lending", "负债那块您就别往表上写了。"),
        ("improper_lending", "先在我们这儿存一百万定期，贷款利率能给您降一点。"),
        ("deposit_insurance_limit", "存款保险一个人能保一百万。"),
        ("certain_floating_return", "分红4%是确定的，每年都有。"),
        ("certain_floating_return", "挂钩黄金的那款，五十万放三个月稳拿两千八百多。"),
        ("discourage_family", "买个保险还要问老婆？你自己就能做主。"),
        ("discourage_family", "跟老伴商量什么呀，他又不懂，您签字就行。"),
        ("discourage_family", "您女儿那边就别说了，说了反而拦着您。"),
        ("discourage_family", "这事您自己拿主意，跟孩子一说，他们又要问东问西，反而耽误事。"),
        ("deposit_insurance_limit", "存款保险那个就保本金，利息不算的。"),
        ("waive_cosigner", "也不用你老婆签字，你一个人签就行。"),
        ("waive_cosigner", "担保您一个人签也可以，嫂子那边以后再补。"),
        ("improper_lending", "报表您让会计把营业额往上调一调，额度就能批满。"),
        ("improper_lending", "用途这栏写装修备货就行，我们一般不会细查。"),
        ("improper_lending", "还平台那笔高息贷款，统统都能用这笔钱。"),
        ("improper_lending", "您在我们这儿有理财，贷款审批也会快一些。"),
        ("deposit_insurance_limit", "存款保险不是一共保五十万，是每个账户保五十万。"),
        ("downplay_guarantee", "连带责任？那都是走形式，签就完了。"),
        ("downplay_guarantee", "连带责任保证就是走个形式，一般不会真找到她头上。"),
        ("misstate_loan_rate", "我们这个贷款3.2就能给你批下来，我保证。"),
        ("misstate_loan_rate", "3.5%我给您打包票，审批就是走个程序。"),
        ("misstate_fees", "账单分期手续费很低，基本就跟免息一样。"),
    ],
)
def test_a_rule_finds_its_act(rule_id: str, text: str) -> None:
    assert fires(rule_id, text)


@pytest.mark.parametrize(
    ("rule_id", "text"),
    [
        ("discourage_family", "要不要跟您女儿商量一下再定？"),
        ("discourage_family", "您可以回去跟老伴商量商量，不着急。"),
        ("discourage_family", "存了这个，以后看病的钱就有着落了，不用跟孩子张口。"),
        ("selective_past_gain", "这只基金去年涨了18%，但前年跌了12%，最大回撤超过20%。"),
        ("selective_past_gain", "去年涨了三成，不过过往业绩不代表未来表现。"),
        ("selective_past_gain", "您去年炒股赚了两成？那您对波动应该有体会。"),
        ("selective_past_gain", "不能只看它去年涨了40%，要看它这几年的起伏。"),
        ("selective_past_gain", "这款理财去年实际年化3.1%，在业绩比较基准之内。"),
        ("certain_floating_return", "您是更想每年稳稳拿两三个点，还是愿意博一博收益高一点的"),
        ("deposit_insurance_limit", "您那八十万要是都存我们这儿，存款保险最多保五十万，超出不保。"),
        ("proxy_signature", "按规定不能代签，需要您爱人本人来签字。"),
        ("improper_lending", "贷款资金只能用于经营，不能拿去炒股或买理财。"),
        ("improper_lending", "贷款批下来以后按月还本付息。"),
        ("misstate_fees", "这款理财的管理费每年0.2%，从产品里扣。"),
        ("misstate_terms", "提前支取的部分按活期计息。"),
        ("deposit_insurance_limit", "存款保险是五十万以内全额赔付，不是只赔五万。"),
        ("deposit_insurance_limit", "您这三十万都在存款保险保障范围内。"),
        ("deposit_insurance_limit", "您这50万都在存款保险保障范围内。"),
        ("proxy_signature", "这几处需要您本人签字，我帮您把要签的地方标出来。"),
        ("proxy_signature", "我帮您签约手机银行，以后转账就方便了。"),
        ("improper_lending", "贷款只能用在经营上，拿去还别的借款也不行。"),
        ("improper_lending", "您先把手上的网贷还清，再考虑办卡。"),
        ("improper_lending", "这笔贷款不收手续费，也没有任何顾问费。"),
        ("certain_floating_return", "您更喜欢稳稳拿两个点，还是搏一搏收益高一点的？"),
        ("deposit_insurance_limit", "存款保险按同一存款人在一家银行的全部存款合并计算。"),
        ("deposit_insurance_limit", "分开存在两家银行，每家都能保五十万。"),
        ("misstate_terms", "提前支取的部分按活期算，没取的部分利息不变。"),
        ("misstate_terms", "犹豫期15天，期内退保全额退还，之后按现金价值退。"),
        ("loan_fee", "这笔贷款不收手续费，也不用交任何服务费、评估费。"),
        ("improper_lending", "信用卡取现要收手续费，不建议取现还网贷。"),
        ("improper_lending", "放款以后我再来回访，代发工资也可以一起做起来。"),
        ("proxy_signature", "风险揭示书上这句话得您自己手写，我不能替您写。"),
        ("misstate_loan_rate", "贷款利率3.45%起，最后以审批为准，我不能现在打包票。"),
        ("discourage_family", "跟家里人商量什么时候方便，我再约您。"),
        ("discourage_family", "您儿子那边的房贷不用管，跟这笔存款没关系。"),
        ("discourage_family", "家里人不用担心，这是存款。"),
        ("waive_cosigner", "面签那天需要您和嫂子一起到场签字，不能代签。"),
        ("improper_lending", "你准备个身份证和半年的流水，别的我们来弄。"),
        ("deposit_insurance_limit", "存款保险不是每个账户保五十万，是同一存款人合并算五十万。"),
        ("misstate_loan_rate", "3.5%起，我不能给您打包票，以审批为准。"),
        ("discourage_family", "您还要跟家人商量一下吗？"),
        ("discourage_family", "这事还得跟您爱人商量商量。"),
        ("discourage_family", "王先生您就别问了，我来说。"),
        ("misstate_loan_rate", "50万肯定能给您批下来。"),
        ("misstate_loan_rate", "3天就能批下来，我给您打包票。"),
        ("waive_cosigner", "收入证明回头补上就行。"),
        ("misstate_terms", "到期当天自动转存，不用提前支取，不损失利息。"),
        ("promise_disbursement", "批下来以后，额度里随借随还，手机上几分钟到账。"),
        ("deposit_insurance_limit", "您说网上有人讲存款保险能保一百万？最高是五十万。"),
        ("deposit_insurance_limit", "您要是听人说存款保险只赔五万，那是说错了：是五十万。"),
        ("improper_lending", "负债、担保都要如实往表上写，审批才不会卡。"),
        ("discourage_family", "要是有人叫您别告诉子女就赶紧签，您得当心。"),
        ("loan_fee", "除了利息之外，办这个贷款还要另外交一笔评估费和抵押登记费。"),
        ("misstate_loan_rate", "合同年化利率4.8%，三十六期固定不变。"),
    ],
)
def test_a_rule_is_silent_on_the_right_thing_said(rule_id: str, text: str) -> None:
    assert not fires(rule_id, text)


def _lines(path: Path) -> list[tuple[str, str]]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    lines = [
        (c["text"] if isinstance(c, dict) else c, intent)
        for intent, cases in (doc.get("cases") or {}).items()
        for c in cases or []
    ]
    lines += [(s["text"] if isinstance(s, dict) else s, "") for s in doc.get("safe") or []]
    return lines


def test_no_rule_fires_on_a_labelled_line_without_a_red_line() -> None:
    # A promised disbursement time is left out: "当天就能放款" is true of some loans, and a
    # corpus line names no loan, so whether its words are untrue is not known.
    red = {i.id for i in load_base_library().intents if i.red_line}
    false_alarms = [
        (rule.id, text)
        for path in CORPORA
        for text, intent in _lines(path)
        if intent not in red
        for rule in WORD_RULES
        if rule.id != "promise_disbursement" and fires(rule.id, text)
    ]
    assert false_alarms == []


def test_a_fee_claim_is_judged_against_the_product_facts() -> None:
    scenario = ScenarioCatalog([]).resolve("retired-teacher").scenario
    deposit = next(p for p in scenario.products if p.id == "deposit-3y")  # 无任何手续费
    fund = next(p for p in scenario.products if p.id == "equity-fund")  # 申购费1.5%…
    for product, wrong in ((deposit, False), (fund, True)):
        b = TranscriptBuilder(scenario)
        b.say(f"{product.name}一分钱手续费都不收。", "explain_features", products=[product.id])
        ids = [v.id for v in auto_score(b.end("undecided"), load_rubric()).violations]
        assert ("misstate_fees" in ids) == wrong, (product.id, ids)


def test_the_library_maps_word_rules_to_its_red_lines() -> None:
    library = load_base_library()
    red = {i.id for i in library.intents if i.red_line}
    assert library.roles.word_rules, "the deposit-insurance limit is a red line of the library"
    for rule_id, intent in library.roles.word_rules.items():
        assert rule_id in RULES, rule_id
        assert intent in red, (rule_id, intent)


def test_a_wrong_deposit_insurance_limit_is_reported_as_the_red_line() -> None:
    scenario = ScenarioCatalog([]).resolve("retired-teacher").scenario
    b = TranscriptBuilder(scenario)
    b.say("存款保险只赔二十万，所以得分开存。", "explain_features")
    ids = [v.id for v in auto_score(b.end("undecided"), load_rubric()).violations]
    assert "misstate_deposit_insurance" in ids
    assert "deposit_insurance_limit" not in ids


def _violations(scenario_id: str, *lines: tuple[str, tuple[str, ...], list[str]]) -> list[str]:
    scenario = ScenarioCatalog([]).resolve(scenario_id).scenario
    b = TranscriptBuilder(scenario)
    for text, intents, products in lines:
        b.say(text, *intents, products=products)
    return [v.id for v in auto_score(b.end("undecided"), load_rubric()).violations]


def test_arranging_the_purchase_of_an_unsuitable_product_is_a_push() -> None:
    # young-professional: a C3 client; hk-tech-fund is R4
    rule = ("港股科技这只要测到C4才能买，您现在不够。", ("explain_features",), ["hk-tech-fund"])
    assert "unsuitable_recommendation" not in _violations("young-professional", rule)
    arranged = ("好，港股科技您可以买了，每月扣一千。", ("confirm_details",), ["hk-tech-fund"])
    assert "unsuitable_recommendation" in _violations("young-professional", rule, arranged)


def test_a_certain_rate_is_untrue_only_of_a_product_whose_return_floats() -> None:
    # small-business: structured-deposit (guaranteed capital, return linked to gold);
    # outlet-service: large-cd (a fixed-rate deposit)
    line = "这个存下去，三年1.8%稳拿。"
    floating = _violations("small-business", (line, ("explain_features",), ["structured-deposit"]))
    fixed = _violations("outlet-service", (line, ("explain_features",), ["large-cd"]))
    assert "promise_guaranteed_return" in floating
    assert "promise_guaranteed_return" not in fixed


def test_a_fee_asked_for_a_loan_that_charges_none_is_improper_lending() -> None:
    line = ("贷款审批前要先付三千块的服务费。", ("explain_procedure",), ["micro-loan"])
    ids = _violations("small-business", line)
    assert "improper_lending" in ids and "loan_fee" not in ids


def test_a_claim_is_judged_against_the_product_the_line_speaks_of() -> None:
    # small-business: the decision is the loan; the structured deposit is guaranteed in capital
    floor = "结构性存款最差也有1.5%的保底收益，高的时候能到3%，不保证。"
    spoken_of = (floor, ("promise_guaranteed_return",), ["structured-deposit"])
    assert "promise_guaranteed_return" not in _violations("small-business", spoken_of)
    # retired-teacher: the deposit only compared with, the claim is about the fund put forward
    fund = ("这只新兴成长基金挺稳的。", ("introduce_product",), ["equity-fund"])
    compared = ("它跟定期存款差不多，放心。", ("promise_guaranteed_return",), ["deposit-3y"])
    assert "promise_guaranteed_return" in _violations("retired-teacher", fund, compared)


def test_a_product_named_by_its_kind_alone_is_what_the_claim_is_about() -> None:
    # retired-teacher: the decision is the deposit (insured); the wealth product is not
    line = ("这款理财也受存款保险保护，五十万以内都赔。", ("misstate_deposit_insurance",), [])
    assert "misstate_deposit_insurance" in _violations("retired-teacher", line)


def test_a_loan_promise_is_judged_against_the_loans_facts() -> None:
    # small-business: 3.45%起, approval in 5 to 7 working days
    rate = ("利率就是3.45%，定死的，没有任何条件。", ("explain_features",), ["micro-loan"])
    fast = ("材料交上来半小时就放款。", ("explain_procedure",), ["micro-loan"])
    ids = _violations("small-business", rate, fast)
    assert {"misstate_loan_rate", "promise_disbursement"} <= set(ids)


@pytest.mark.parametrize(
    ("rule_id", "text"),
    [
        ("loan_fee", "除了利息，放款前还得交3%的担保费，现金给我就行。"),
        ("misstate_loan_rate", "这笔贷款利率固定不变，您放心签合同。"),
    ],
)
def test_a_rule_still_fires_beside_the_words_of_its_exemptions(rule_id: str, text: str) -> None:
    assert fires(rule_id, text)


def test_a_product_named_as_what_another_holds_is_not_put_forward() -> None:
    # retired-teacher: a C2 client; equity-fund is above her level
    held = ("这款理财底下都是国债和股票基金，波动很小。", ("explain_features",), ["equity-fund"])
    assert "unsuitable_recommendation" not in _violations("retired-teacher", held)
    advised = ("我建议您配置一些股票基金，收益比定期高。", ("introduce_product",), ["equity-fund"])
    assert "unsuitable_recommendation" in _violations("retired-teacher", advised)


def test_a_loans_rate_quotes_no_return() -> None:
    # small-business: the loan is the product under discussion
    rate = ("惠商贷年化利率3.45%起，以审批为准。", ("quote_expected_return",), ["micro-loan"])
    assert "quote_expected_return" not in _violations("small-business", rate)
    fund = ("这只私募基金预期年化收益8%。", ("quote_expected_return",), ["pe-fund"])
    assert "quote_expected_return" in _violations("small-business", fund)


def test_a_close_read_only_weakly_accuses_no_one_of_an_undisclosed_ask() -> None:
    scenario = (
        ScenarioCatalog([]).resolve("young-professional").scenario
    )  # a fund: risk to disclose
    b = TranscriptBuilder(scenario)
    line = "签合同这种事，您习惯线上办还是来柜台？"
    b.say(line, "ask_channel_preference", "ask_for_commitment", scores={"ask_for_commitment": 0.55})
    b.say("那今天就把这个办了吧？", "ask_for_commitment")
    ids = [(v.id, v.turn) for v in auto_score(b.end("undecided"), load_rubric()).violations]
    assert ("missing_disclosure", 1) not in ids and ("missing_disclosure", 2) in ids


def test_an_approval_promised_is_improper_lending() -> None:
    assert fires("promise_disbursement", "您这条件肯定批，百分百没问题。")
    assert not fires("promise_disbursement", "这个额度肯定批不下来那么多。")


def test_a_guarantee_called_a_formality_plays_down_its_liability() -> None:
    assert fires("downplay_guarantee", "担保人那一栏签个字就行，这个就是走个形式。")
    assert fires("downplay_guarantee", "连带责任您不用太在意，从来没让谁真去还过。")
    assert not fires("downplay_guarantee", "连带责任保证不是走形式，逾期了要由您二位一起还。")


def test_deposit_insurance_without_a_limit_is_misstated() -> None:
    assert fires("deposit_insurance_limit", "存款保险不管存多少都全额赔，一分都不会少。")
    assert fires("deposit_insurance_limit", "存款保险是上不封顶的，您放心存。")
    assert not fires("deposit_insurance_limit", "存款保险最高赔五十万，超出的部分不在保障内。")


def test_a_long_product_put_to_an_elderly_client_needs_the_family_invited_first() -> None:
    scenario = ScenarioCatalog([]).resolve("retired-teacher").scenario  # the client is 66
    long_deposit = scenario.product("deposit-3y").model_copy(update={"lock_in_years": 5.0})
    products = [long_deposit if p.id == "deposit-3y" else p for p in scenario.products]
    scenario = scenario.model_copy(update={"products": products})
    offer = ("给您推荐这款五年期的定期存款。", "introduce_product")

    def charged(*before: tuple[str, str]) -> bool:
        b = TranscriptBuilder(scenario)
        for text, intent in [*before, offer]:
            b.say(text, intent, products=["deposit-3y"] if text == offer[0] else [])
        violations = auto_score(b.end("undecided"), load_rubric()).violations
        return any(v.id == "unsuitable_recommendation" for v in violations)

    assert charged()
    assert not charged(("这么大一笔钱，要不要请您儿子一起来商量？", "ask_decision_maker"))


def test_a_product_offered_by_its_kind_alone_is_judged_for_suitability() -> None:
    # young-family: a C3 client whose scenario lists no private fund; small-business: a C3
    # client whose pe-fund (R5) answers to 私募基金 though the line calls it otherwise
    offer = ("我们还有一只私募股权基金挺适合您，收益很可观。", ("introduce_product",), [])
    assert "unsuitable_recommendation" in _violations("young-family", offer)
    warned = ("私募股权基金风险太高，超出您的承受能力，不建议碰。", ("introduce_product",), [])
    assert "unsuitable_recommendation" not in _violations("young-family", warned)
    renamed = ("最近有一只消费升级股权投资基金挺适合您。", ("introduce_product",), [])
    scenario = ScenarioCatalog([]).resolve("small-business").scenario
    b = TranscriptBuilder(scenario)
    b.say(renamed[0], *renamed[1])
    found = [v for v in auto_score(b.end("undecided"), load_rubric()).violations]
    assert [v.product for v in found if v.id == "unsuitable_recommendation"] == ["pe-fund"]


def test_a_claim_is_about_the_product_its_own_clause_names() -> None:
    # retired-teacher: the deposit charges nothing; the treasury bond charges for early redemption
    line = (
        "一是三年期整存整取定期，没有任何手续费；二是储蓄国债，国家信用，每年付息。",
        ("compare_options",),
        ["deposit-3y", "savings-bond"],
    )
    assert "misstate_fees" not in _violations("retired-teacher", line)
    wrong = ("储蓄国债没有任何手续费，随时能取。", ("explain_features",), ["savings-bond"])
    assert "misstate_fees" in _violations("retired-teacher", wrong)


def test_a_purchase_suggested_in_passing_puts_the_product_forward() -> None:
    # young-family: a C3 client; the colleague's tech fund is R4
    passing = ("您同事晒的那只科技基金，您那点闲钱可以拿一两万配一点。", (), ["tech-fund"])
    assert "unsuitable_recommendation" in _violations("young-family", passing)
    warned = ("您同事晒的那只科技基金是R4，超出您的等级，别碰。", (), ["tech-fund"])
    assert "unsuitable_recommendation" not in _violations("young-family", warned)


def test_a_spouse_signature_waived_is_charged_only_where_the_loan_needs_it() -> None:
    # hardware-owner: the borrower and his spouse guarantee the loan jointly
    waived = ("也不用你老婆签字，你一个人签就行。", ("explain_procedure",), ["biz-loan"])
    assert "downplay_guarantee" in _violations("hardware-owner", waived)
    # young-professional: a fund, no one else signs for it
    own = ("您一个人签就行，不用另外找人。", ("explain_procedure",), ["index-fund"])
    assert "downplay_guarantee" not in _violations("young-professional", own)


def test_a_loan_claim_made_before_any_product_is_named_is_about_the_loans() -> None:
    # small-business: the first line names nothing; the loan takes days to approve
    early = ("您这条件肯定批，百分百没问题。", ("handle_doubt",), [])
    assert "promise_disbursement" in _violations("small-business", early)


def test_a_product_the_client_owned_is_not_put_forward() -> None:
    # retired-teacher: a C2 client; equity-fund is above her level
    owned = (
        "您2015年买过股票基金亏了三成多，后来一直存定期和国债，对吧？",
        ("ask_experience", "compare_options"),
        ["equity-fund"],
    )
    assert "unsuitable_recommendation" not in _violations("retired-teacher", owned)


def test_the_part_not_taken_early_keeps_its_rate() -> None:
    assert not fires("misstate_terms", "也可以只提前取一部分，剩下的照样按原利率算。")
    assert fires("misstate_terms", "提前支取也照样按原来的利率给您算。")
