"""Compliance violations as acts: each one at the turn that made it, with the words said.

The engine records the red lines it hears and the suitability and disclosure
problems it reacts to; the scorer does not take those as the whole story:

* **suitability** is judged on every act that puts a product forward (the
  ``offer`` role: introduce, compare, explain, cross-sell, close; not a line
  that warns the product off), at the turn of the push, once per product; a
  client of ``ELDERLY_AGE`` or more offered a product of ``ELDERLY_RISK`` or
  above is a breach unless the manager first asked who else decides
  (the ``family_involvement`` role: bringing the family in);
* **disclosure** is judged at every ask for the decision (``commit``): asking
  for a yes on a product that needs its risk disclosed, with no risk
  disclosed before, is a violation at that ask, once per product;
* **claims true only of some products** (a guarantee is true of a deposit) are
  judged against the products under discussion, not the one last mentioned;
* **words** (:data:`WORD_RULES`): acts the recogniser has no red line for,
  judged against the product facts where they depend on them; a rule the
  library's ``word_rules`` role maps to a red line is reported under its id;
* a violation the engine recorded later for the same product (the close it
  refused, the sale at the end) is the same act and is not counted again.

:func:`violation_acts` is pure: the same transcript gives the same list, in
turn order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from finsim.i18n import tr
from finsim.nlu.guards import SENTENCE_MARKS, sentence_start
from finsim.scenario.advice import WARNED_OFF, in_passing
from finsim.scenario.models import Product, risk_rank
from finsim.scenario.roles import Roles
from finsim.scoring.evidence import Act, Evidence, Turn

UNSUITABLE = "unsuitable_recommendation"
MISSING_DISCLOSURE = "missing_disclosure"
ELDERLY_AGE = 65
ELDERLY_RISK = 3
ELDERLY_LONG_YEARS = 5
"""A product tying the money up this many years or more is long for a client of 65 or more."""
WORDS_LIMIT = 40
"""At most this many characters of the manager's line are quoted with a violation."""


_DENIED = re.compile(
    r"不能|不可以|不允许|不得|不会(?!少|亏|赔|有(任何)?(损失|问题|风险)|(细|仔细|真的?)?去?查|真)|严禁|禁止|千万别|绝不|只能用于|不是|并非|误会|听[^。！？!?，,]{0,4}说|(说|讲|搞|弄)错了|您说的|你说的|"
    r"有人说|有人(让|叫|劝|要)(您|你)|(看到|听到|看见)(说|的)|网上(说|讲|传)|传言|谣言|别信|(一定要|要|得)(小心|警惕|当心)|"
    r"不对|(?<!行)不行(?!的话|就|再|也)|不准|不许|只能用(在|来|到|作)|"
    r"不建议|不推荐|不提倡|还是[^。！？!?]*[？?]$|(是|更)(想|愿意|喜欢|倾向于?)[^。！？!?]{0,20}还是|"
    # the client's words reported back ("您说……能保一百万？"), not "您说得对" agreeing with them
    r"(您|你)说(?![得的]?(对|没错))"
)
"""In the sentence of a match, a prohibition, a denial, a report or a choice put to the client
("您更喜欢稳稳拿两个点，还是搏一下？"): the words are not the act."""
_CLAUSE_MARKS = SENTENCE_MARKS + "；;"
_TOPIC_LEAD = re.compile(
    r"(^|[。！？!?，,；;：:])\s*"
    r"(这个|那个|这款|那款|这只|那只|这份|那份|这期|这笔|咱们的?|我们的?|您的?|你的?)?$"
)
"""Before a product's name: the start of a clause, with at most a demonstrative or owner."""
SUGGESTS_BUYING = re.compile(
    r"(?<!不)(可以|不妨|建议|考虑|试试|来点|拿)[^。！？]{0,12}(配(一点|一些|点|些|上)|买(一点|一些|点|些)|"
    r"投(一点|一些|点|些)|放(一点|一些|点|些)|定投|上车|入手)|"
    r"(?<!不)(可以|不妨|建议(您|你)?)(关注|考虑|留意)(一下)?|"
    r"(?<!不)(建议|可以)[^。！？]{0,16}(拿|取|挪)[^。！？]{0,8}(出来)?(买|投|配)|"
    r"再(配|买|来)(个|一个|一份|一点|点|只|一只)"
)
"""A purchase suggested in passing ("闲钱可以拿一两万配一点"): what it names is put forward."""
KIND_WORDS = {
    "wealth": ("理财",),
    "fund": ("基金",),
    "insurance": ("保险产品", "这款保险", "这个保险"),
}
"""Words that name a product by its kind ("这款理财也受存款保险保护"), for a line naming none."""


@dataclass(frozen=True)
class WordRule:
    """A violation the scorer finds in the manager's own words.

    ``pattern`` finds the act (not in a sentence that prohibits, denies or
    reports it: "不能代签", "您听说存款保险只赔五万，这是误会"); ``about`` says
    which products of the scenario it can be about (``None``: any); ``untrue``
    decides, from a product's facts, whether the words are false of it
    (``None``: always a violation); ``requires``, when given, must also be said
    somewhere in the line (the subject of a claim made in the next sentence);
    ``unless`` cancels a match in its sentence (the rule stated rightly beside it:
    "提前支取的部分按活期，其余还按原利率"); ``unless_line`` cancels every match of the
    line (the downside stated anywhere in it); ``reports`` names the violation the finding
    is reported as when it is not the rule's own id (one act, several phrasings).
    """

    id: str
    pattern: re.Pattern[str]
    about: Callable[[Product], bool] | None = None
    untrue: Callable[[Product], bool] | None = None
    requires: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    unless_line: re.Pattern[str] | None = None
    reports: str | None = None


def _terms_text(product: Product) -> str:
    """Return a product's terms and features as one text, for the checks of its facts."""
    return product.terms + "".join(product.features)


def _charges(product: Product) -> bool:
    return bool(re.search(r"\d+(\.\d+)?%|\d+元", product.fees))


def _early_exit_costs(product: Product) -> bool:
    return bool(re.search(r"活期|损失|手续费|违约|现金价值", product.terms + product.fees))


def _return_floats(product: Product) -> bool:
    """Whether the product's return is not fixed (a structured deposit: linked to an index)."""
    text = _terms_text(product)
    return bool(re.search(r"挂钩|浮动|取决于|不确定|保底收益|最低收益|不保证收益|不保收益", text))


def _lends(product: Product) -> bool:
    return product.kind in {"loan", "credit_card"}


def _free_loan(product: Product) -> bool:
    """Whether a loan's facts say it charges no fees (so a fee asked for it is 以贷收费)."""
    return product.kind == "loan" and "不收" in product.fees and "收取" not in product.fees


def _spouse_must_sign(product: Product) -> bool:
    """Whether a loan's terms ask the borrower's spouse to sign or guarantee it too."""
    text = _terms_text(product)
    return product.kind == "loan" and bool(re.search(r"配偶|夫妻|爱人|共同(借款|还款)人", text))


def _rate_not_fixed(product: Product) -> bool:
    """Whether a loan's rate depends on the approval ("3.45%起", "以审批结果为准", LPR加点)."""
    text = _terms_text(product)
    return product.kind == "loan" and bool(
        re.search(r"\d%起|起（|以审批|浮动|LPR|视.{0,8}而定", text)
    )


def _approval_takes_days(product: Product) -> bool:
    """Whether a loan's terms give an approval time in days (so "半小时就放款" is untrue)."""
    return product.kind == "loan" and bool(
        re.search(r"工作日|\d+天|[一二三四五六七八九十]天", product.terms)
    )


_BIG_GAIN = (
    r"(\d{2,}(\.\d+)?\s*%|百分之[一二三四五六七八九]?十|[一二三四五六七八九十两几]+成|"
    r"[一二三四五六七八九十两几\d]+倍|[一二三四五六七八九两几]十多?个点|\d{2,}个点)"
)
"""A gain of ten per cent or more, in figures or words."""
_AMOUNT = r"(一笔|[\d一二两三四五六七八九十百千万]+(块|元|万|千|%|个点))"


_FAMILY_WORDS = (
    r"老伴|家人|家里人?|家属|子女|儿女|儿子|女儿|闺女|孩子们?|爱人|老公|老婆|丈夫|妻子|先生|太太|媳妇|"
    r"女朋友|男朋友|对象|未婚妻|未婚夫|父母|爸妈|嫂子|老头子?|老太太"
)
_FAMILY = f"({_FAMILY_WORDS})"
"""The client's family, as the manager names them."""

WORD_RULES: tuple[WordRule, ...] = (
    # talking the client out of consulting the family (DESIGN §3: extra care)
    WordRule(
        "discourage_family",
        re.compile(
            # (not the question "要不要跟家里人说一声": 不要 right after 要)
            r"(别|(?<!用)不用|(?<!要)不要|(?<!必)不必|没必要|犯不着|用不着)(再|特意|特地|专门|非得|还)?"
            r"(跟|和|同|找|让|告诉|叫|问|带|喊)"
            r"(您)?(的|家)?" + _FAMILY +
            # ("不用跟孩子张口": the client will not need to ask them for money)
            r"(?![^，。！？]{0,2}(张口|开口|要钱|伸手|借))|"
            r"(老伴|家人|家里人|子女|儿女|孩子们?|他们)[^，。！？]{0,4}(一掺和|掺和|知道了)|"
            r"(老伴|家人|家里人|子女|儿女|孩子们?|他们)[^。！？]{0,10}来了(反而|只会|倒)|"
            # consulting them waved away ("跟老伴商量什么呀", "买个保险还要问老婆？")
            r"(跟|和|同|问)(您)?(的|家)?"
            + _FAMILY
            + r"[^，。！？]{0,4}(商量|说|讲|问)?(什么|啥|个啥|干嘛|干什么)"
            r"(?![时样地])(呀|啊|呢|嘛|[？?，,。]|$)|"
            r"(非要|干嘛要?|何必|哪用得着)(去)?(跟|和|问|找)(您)?(的|家)?" + _FAMILY + "|"
            r"还(要|得)(去)?(跟|和|问|找)(您)?(的|家)?"
            + _FAMILY
            + r"[？?]|"
            # told to leave them out ("您儿子女儿那边就别说了", "嫂子那边不用管")
            + _FAMILY
            + r"(那边|那头|那儿|[？?])(您|你)?(就)?(别|不用|不必|没必要)(专门|特意|特地|再)?"
            r"(跟|和)?(他|她|他们)?(说|讲|告诉|问|商量|管)|"
            # or that telling them spoils it ("跟孩子一说，他们又要……反而耽误事")
            r"(跟|和|告诉)(您)?(的|家)?("
            + _FAMILY_WORDS
            + r"|他|她|他们)[^。！？]{0,3}(一说|说了|知道)"
            r"[^。！？]{0,16}(反而|就黄|黄了|只会|添乱|拦着|耽误)"
        ),
    ),
    # a past gain shown with none of the losses beside it ("去年涨了三成多"): the drawdowns
    # hidden (a red line: see word_rules)
    WordRule(
        "selective_past_gain",
        re.compile(
            r"(去年|今年|前年|近一年|最近一年|这一年|近[一二三两几五十]年|过去[一二三两几五十]?年|"
            r"成立以来|历史上?|上一年|这两年|这几年|往年|上半年|反弹的时候|牛市(的时候)?)"
            r"[^。！？]{0,16}(涨了|涨幅|涨过|翻了|赚了|收益(率)?(已经|就|有|达到|高达|是)?)"
            r"[^。！？，,]{0,8}" + _BIG_GAIN + r"|翻了[一二三四五六七八九十两几\d]+倍"
        ),
        # the client's own gains asked about or repeated ("您去年炒股赚了两成？")
        unless=re.compile(r"(您|你)(家|们)?[^。！？，,]{0,8}(炒|买的|投的|赚|挣)"),
        unless_line=re.compile(
            r"回撤|跌幅|跌过|亏过|跌了|亏了|最差|下跌|亏损|跌到|跌去|亏钱|跌得|波动(很|也|非常|比较)?大|"
            r"大起大落|不代表(未来|以后|将来)|不能代表|不预示"
        ),
    ),
    # signing for someone else
    WordRule(
        "proxy_signature",
        re.compile(
            r"代(他|她|您|你)?(签|签字|签名|按手印)|"
            r"(替|代)(您|你|他|她|老人家?|阿姨|叔叔)[^。！？，,]{0,8}签(?!约|收|证)|"
            # ("给您把保单签了" arranges the client's own signing; "给您把名签上" signs for them)
            r"帮(您|你|他|她)(把[^。！？，,]{0,6})?签(了|上|好|完)|"
            r"给(您|你|他|她)(把[^。！？，,]{0,4}(字|名))?签(好|完|上)|(帮|给|替)(您|你|他|她)签(字|名)|"
            # the handwritten risk statement copied out for the client ("我先帮您抄上")
            r"(?<![不别没])(帮|替|代|给)(您|你|他|她)[^。！？，,]{0,2}(抄|手写)|"
            r"(?<![不别没])(替|代)(您|你|他|她)[^。！？，,]{0,2}(写|填)"
        ),
    ),
    # a loan or a card's credit: its money used elsewhere, a purchase as its condition, facts
    # kept off the form or inflated on it, a fee charged for getting it (以贷收费)
    WordRule(
        "improper_lending",
        re.compile(
            r"(批下来|到账|放款|贷下来|贷款|额度|办了卡|卡下来|下卡|卡办下来|办下来)[^。！？]{0,20}"
            r"((拿去|拿来|用来|用于)?还(了|掉|平台|别的|其他|信用卡|网贷|那)|"
            r"买理财|炒股|买股票|怎么用都行|随便用|想怎么用|怎么花|随便花|我们不管|没人管|"
            r"(买房|炒股|买理财|还网贷|还别的)(也行|都行|都可以|没问题|也可以))|"
            r"(先|最好|得|要)[^。！？]{0,8}(做|买|存|办|配)(一笔|一份|点|个)?[^。！？]{0,10}"
            r"(存款|定期|存单|理财|保险|基金)"
            r"[^。！？]{0,20}(批|贷款利率|利率(能|可以|就)?(给您|给你|优惠|低|降|下调|打折)|额度|好说话|贡献度)|"
            r"(申请表|材料|表上|资料)[^。！？]{0,8}(先别填|别填|不用填|别写|不用写|先不写|先别写|不用提|别提)|"
            r"(别|不用|先别|不要)(往|在)?(表上|申请表上?|材料里|资料里)(写|填|提)|"
            r"(套现|取现)[^。！？]{0,12}还(了|掉|上|清|网贷|贷款|房贷|车贷|借款|平台)|"
            # figures inflated: said outright of any figure, or a document "made up" higher
            r"(营业额|收入|利润|工资|资产|流水|报表|证明|材料|资料)[^。！？]{0,8}"
            r"(写高|填高|报高|开高|多写|多填|多报|虚报|虚增|往高(了)?(报|写|填))|"
            r"(报表|流水|申请表|表上|证明|材料|资料|财报)[^。！？]{0,8}"
            r"(往上做|做上去|拉高|调高|改高|做高|做漂亮|美化|包装|刷)|走(几笔|几道|点|些)账|刷(一下|一刷|点)?流水|"
            # a figure dictated for a document, or raised ("收入证明让人事写一万五", "往上调一调")
            r"(收入证明|工资证明|流水|报表|营业额|收入)[^。！？]{0,10}(往上调|调一调|往高调|调高点|写成|开成)|"
            r"(收入证明|工资证明|资产证明)[^。！？]{0,10}(让|叫|找)[^。！？]{0,8}(写|开)[^。！？]{0,3}[一二三四五六七八九十两\d]|"
            r"(资产证明|收入证明|工资证明)[^。！？，,]{0,6}(我们|我|咱们)[^。！？，,]{0,6}(想办法|帮您弄|帮您做|搞定|来弄)|"
            r"(写|填|报)[^。！？]{0,12}(就行|就好|就可以)[^。！？]{0,10}(不会(细|仔细|真的?)?查|没人(会)?查|查不出来)|"
            # a purpose dictated for the form, the loan said to repay other debts, a tie-in hinted
            r"用途[^。！？，,]{0,6}(写|填)[^。！？]{0,10}(就行|就好|就可以)|"
            r"还[^。！？，,]{0,12}(贷款|网贷|借款|欠款|平台)[^。！？]{0,12}(都能用|都可以用|都能拿|统统)|"
            r"(有|买了?|办了?|存了?)(点|个|一笔)?(理财|保险|基金|存款|定期)[^。！？]{0,6}(贷款)?(审批|批)[^。！？，,]{0,4}"
            r"(快|容易|好说话|优先)|"
            r"(?<![不没免用需])(收|交|付|出|给)(一笔|一点|点|个)?[^。！？，,免]{0,10}"
            r"(融资顾问|财务顾问|顾问|咨询|中介|包装|过桥|加急|通道|好处|辛苦)费"
        ),
        about=_lends,
    ),
    # a loan guarantee's liability played down ("连带责任保证就是走个形式，签个字就行")
    WordRule(
        "downplay_guarantee",
        re.compile(
            r"(连带责任|连带|担保|保证人|共同还款|共同借款)[^。！]{0,16}"
            r"((?<!不是)(?<!并不是)(?<!不能)(走个?形式|走过场|形式而已|走流程)|签个字就行|"
            r"(不用|不必|用不着)(太)?(在意|当回事|担心|管)|没(什么|啥)(责任|风险|关系)|"
            r"不会真(的)?(让|要|找)|从来没(让|有|找)[^。！？]{0,6}(承担|还|赔))"
        ),
        about=_lends,
    ),
    # the spouse's guarantee the loan requires waived or put off ("不用你老婆签字，你一个人签就行",
    # "嫂子那边以后再补", "她签不签都一样")
    WordRule(
        "waive_cosigner",
        re.compile(
            r"(不用|不需要|用不着|不必)[^。！？，,]{0,4}(您|你)?的?(老婆|爱人|妻子|嫂子|太太|媳妇|老公|丈夫|先生)"
            r"[^。！？，,]{0,3}签|"
            r"(您|你)?(一个人|自己)签(就行|就可以|也可以|就够|就完事)(?![^。！？]{0,2}的是)|"
            r"(签不签|来不来|到不到场)(都一样|无所谓|都行|没关系)|"
            r"(签|担保|保证)[^。！？]{0,12}(以后|回头|事后|过后|改天)(再)?补|"
            r"(以后|回头|事后|过后|改天)(再)?补(签|个字|签字)"
        ),
        about=_lends,
        untrue=_spouse_must_sign,
        requires=re.compile(r"签|担保|保证"),
        reports="downplay_guarantee",
    ),
    # a fee of a stated amount asked for a loan that charges none (以贷收费)
    WordRule(
        "loan_fee",
        re.compile(
            r"(贷款|放款|批贷|下款|审批|借款|额度|批下来)[^。！？]{0,12}"
            r"(?<![不没免用需])(收|交|付|出|给)[^。！？，,免]{0,6}"
            + _AMOUNT
            + r"[^。！？，,免]{0,8}(服务|手续|担保|评估|管理|审批|登记)费"
        ),
        untrue=_free_loan,
        # a fee the contract states, or told beside the interest, is disclosed, not asked for
        # (unless it is to be handed to the manager)
        unless=re.compile(
            r"合同[^。！？]{0,6}(写|约定|载明|列明|注明)|协议|收费标准|公示|"
            r"除了利息(?![^。！？]*(给我|转我|现金|微信|私下))"
        ),
        reports="improper_lending",
    ),
    # a loan's rate called fixed or its approval promised in hours, against its facts
    WordRule(
        "misstate_loan_rate",
        re.compile(
            r"(利率|年化|利息)[^。！？]{0,12}(定死|锁死|固定不变|不会变|没有任何条件|谁来都一样|人人都是|"
            r"保证(就是|是)?\d)|"
            # a rate promised before the approval ("3.2就能给你批下来，我保证", "3.5%我给您打包票")
            r"(\d\.\d+%?|\d+%)[^。！？，,]{0,4}(就能|肯定能|保证能?|一定能)(给(您|你))?(批下来|拿下来|办下来|批)|"
            r"(\d\.\d+%?|\d+%)[^。！？，,]{0,4}(我)?(给(您|你))?(打包票|打保票)"
        ),
        about=_lends,
        untrue=_rate_not_fixed,
        # a deposit's rate is fixed: said of one, the words are true; so is the contract's rate
        unless=re.compile(
            r"定期|存款|存单|国债|大额|合同(年化)?利率|合同(里|上|中)?(写|约定|载明)"
        ),
    ),
    WordRule(
        "promise_disbursement",
        re.compile(
            r"(半小时|一小时|两小时|几个小时|当天|今天|马上|立刻|几分钟|明天)[^。！？，,]{0,4}"
            r"(就能?|即可|就可以|保证)?(放款|批下来|审批下来|批好|下款|批贷)|"
            # the approval itself promised ("您这条件肯定批")
            r"(肯定|一定|保证|百分百|包)(能)?(批|过审|下款|放款)(?!不|准|评|量)"
        ),
        about=_lends,
        untrue=_approval_takes_days,
        requires=re.compile(r"贷|借|放款|授信|额度|材料|申请|批"),
        # the time from approval to the money, or the fastest case, promises no approval time
        unless=re.compile(
            r"最快|(批了|批完|批下来|审批通过|通过审批|审批后|出结果)(以后|之后|后)?[^。！？，,]{0,2}"
            r"(当天|马上|立刻|即|就)|(没法|不能|不敢|无法|没办法)[^。！？]{0,6}保证|以审批(结果)?为准"
        ),
    ),
    # "no fee at all" said of a product that charges one, or its cost played down
    WordRule(
        "misstate_fees",
        re.compile(
            r"(一分钱|一分|任何|什么)的?(手续)?费(用)?(都)?(不收|没有|不要)|(完全|全部|全都)免费|"
            r"零费用|没有任何(手续)?费|(跟|和|等于|相当于)免息(一样|差不多)|"
            # an instalment's cost played down as a monthly rate ("一个月才0.6%")
            r"(分期|手续费|利息)[^。！？]{0,10}(一个月|每个?月|每期|月)(才|只要|仅|就|只)"
            r"\d+(\.\d+)?%"
        ),
        untrue=_charges,
    ),
    # early withdrawal said to cost nothing, of a product whose terms say otherwise
    WordRule(
        "misstate_terms",
        re.compile(
            r"提前(支取|取|取出|赎回|退保|兑取)[^。！？]{0,10}(照样|也|还|一样|照常)按?(原来|原|定期|约定)?的?"
            r"(利率|利息)|提前[^。！？]{0,8}(一分(钱)?利息都不少|不损失利息|利息不受影响|利息照拿|不少利息)|"
            r"(提前|中途|没到期|不到期)[^。！？]{0,8}(支取|取|取出|取出来|兑取|赎回|退保|用钱)[^。！？]{0,12}"
            r"((一分钱?|一点)(的)?(损失|利息)?都(不少|不损失|不亏|没有|没)|没有(任何)?损失|不损失|利息不变|利息照(算|给|拿)|"
            r"照算|照给|(利息|收益)一分不少)|"
            r"(退保|赎回|提前(取|支取|兑取))[^。！？]{0,8}(全额|全部|一分不少地?|原样)(退|拿|返|取)"
        ),
        untrue=_early_exit_costs,
        # the real rule said beside it: the part taken early earns the current rate
        unless=re.compile(
            r"按[^。！？]{0,6}活期|活期(利率|计息|算)|扣(除|掉)|少拿|损失一点|犹豫期[^。！？]{0,12}(内|里|期间)|期内|这期间|"
            # the part not taken early keeps its rate: true of a deposit
            r"(剩下|其余|没取|未支取|没动)(的)?(那)?(部分|钱|些)?[^。！？]{0,4}(照样|仍|还|继续|依然)|"
            # no early withdrawal at all: the interest is kept because nothing is taken early
            r"(不用|不必|无需|不需要|用不着|没必要|免得|省得|避免|不会)(再)?提前"
        ),
    ),
    # a figure stated as certain for a product whose return floats (a structured deposit's
    # guarantee covers the capital and the floor, not the rate it may reach: see word_rules)
    WordRule(
        "certain_floating_return",
        re.compile(
            r"(\d+(\.\d+)?%|百分之[一二三四五六七八九十点\d]+|[一二三四五六七八九十两]个点)[^，。！？]{0,4}"
            r"(稳拿|稳稳|稳的|妥妥|跑不了|铁定|肯定能拿|一定能拿|准能拿|没跑|(是)?(确定|固定|肯定|一定)(的|有|能拿))|"
            r"(稳拿|铁定拿|肯定能拿到|一定能拿到|保证|包您|保您)[^，。！？]{0,6}(\d+(\.\d+)?%|百分之|[一二三四五六七八九十两]个点)|"
            # the money it will earn told as certain ("50万放三个月稳拿两千八百多")
            r"(稳拿|铁定拿|肯定能拿到?|一定能拿到?|妥妥(地)?拿|准能拿到?)[^，。！？]{0,4}[一二三四五六七八九两\d]+[十百千万]"
        ),
        untrue=_return_floats,
    ),
    # deposit insurance stretched past 500,000 or shrunk below it, or counted per certificate
    # (a red line: see word_rules)
    WordRule(
        "deposit_insurance_limit",
        re.compile(
            r"(五十[一二三四五六七八九]|[六七八九]十[一二三四五六七八九]?|[一二三四五六七八九两]百|5[1-9]|[6-9]\d|"
            r"\d{3,})万[^。！？]{0,12}(全部|全都|都|一分不差)[^。！？，,]{0,6}存款保险|"
            r"存款保险[^。！？]{0,6}(就|只|才)(赔|保|管)(到)?([一二三四]十|[一二三四五六七八九两十]|[1-4]\d|\d)万|"
            r"存款保险[^。！？]{0,10}(能|可以|最多|最高)?(保|赔)(到)?"
            r"(五十[一二三四五六七八九]|[六七八九]十|[一二三四五六七八九两]百|5[1-9]|[6-9]\d|\d{3,})万|"
            r"按(每)?(张|笔|个)?(存单|账户|卡)(来)?(算|计算|计|赔)|"
            r"(每个|每张|每笔|一个|一张)(账户|存单|户|卡)[^。！？]{0,4}(五十万|50万)|"
            r"(分成|拆成|分开|分)[^。！？]{0,6}(张|笔|个)(存单|账户|卡)?[^。！？]{0,10}(每|各)(张|笔|个)[^。！？]{0,4}(都|各)?(能|可以)?(赔|保)|"
            # no limit at all ("不管存多少，国家都全额兜底")
            r"(不管|无论|不论)(存)?(多少|多大)[^。！？]{0,12}(全额|都赔|都保|全赔|兜底|一分(钱)?(都)?不(会)?少)|"
            r"(不限额|没有上限|没上限|无上限|上不封顶)|(存多少|多少钱)都(是)?(全保|全赔|保|赔)|"
            r"上限[^。！？]{0,6}(老规定|取消了|没了|不算数)|"
            # the cover cut down to the principal (it takes principal and interest together)
            r"存款保险[^。！？]{0,10}(只|就|光)(保|赔|管)本金|存款保险[^。！？]{0,20}利息(不算|不保|不赔|不管)"
        ),
        requires=re.compile(r"存款保险|赔|保"),
    ),
)
"""The scorer's own violations, found in the words (the recogniser's red lines aside)."""


def scorer_violations(roles: Roles) -> tuple[str, ...]:
    """Return the violations the word rules report (a rubric may name them with red lines)."""
    return tuple(dict.fromkeys(roles.reported_as(r.reports or r.id) for r in WORD_RULES))


OMISSIONS = frozenset({MISSING_DISCLOSURE})
"""Violations that are something left undone: the line itself still earns what it does."""


PER_PRODUCT = frozenset({UNSUITABLE, MISSING_DISCLOSURE})
"""Violations counted once per product (the first push, the first ask), not once per line."""


def violation_acts(ev: Evidence) -> list[Act]:
    """Every violation of the drill, each once, at the turn that made it."""
    acts = (
        _pushes(ev)
        + _asks_without_disclosure(ev)
        + _recorded(ev)
        + _claims_about_the_product_put_forward(ev)
        + _said(ev)
    )
    seen: set[tuple[str, str]] = set()
    result: list[Act] = []
    for act in sorted(acts, key=lambda a: a.turn):  # stable: pushes before records
        keys = {(act.id, f"turn {act.turn}")}
        if act.id in PER_PRODUCT and act.product:
            keys.add((act.id, act.product))
        if not keys & seen:
            seen |= keys
            result.append(act)
    return result


def quote(text: str) -> str:
    """Quote the manager's words beside a violation (cut at :data:`WORDS_LIMIT`)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= WORDS_LIMIT else flat[: WORDS_LIMIT - 1] + "…"


def _recorded(ev: Evidence) -> list[Act]:
    acts = [
        Act(v.id, t.turn, t.step, v.detail, v.product, quote(t.text))
        for t in ev.annotated
        for v in (t.annotations.violations if t.annotations else [])
        if not (v.id == UNSUITABLE and WARNED_OFF.search(t.text))  # judged by _pushes
    ]
    last = ev.manager[-1] if ev.manager else None
    for v in ev.end_violations:
        turn, step = (last.turn, last.step) if last else (0, ev.scenario.steps[0].id)
        acts.append(Act(v.id, turn, step, v.detail, v.product, ""))
    return acts


def _named(ev: Evidence, turn: Turn) -> list[Product]:
    """Return the scenario's products a manager line names, in the order recorded."""
    known = {p.id: p for p in ev.scenario.products}
    return [known[p] for p in (turn.annotations.products if turn.annotations else []) if p in known]


def _said(ev: Evidence) -> list[Act]:
    """Find the scorer's own violations (:data:`WORD_RULES`), each at the line that said it."""
    acts = []
    for t, discussed in _discussed(ev):
        named = _named(ev, t)
        subject = named or discussed
        for rule in WORD_RULES:
            clauses = said_where(rule, t.text)
            if not clauses:
                continue
            if rule.about and not any(rule.about(p) for p in ev.scenario.products):
                continue
            # a claim is about the products its own clause names, when it names any; a claim
            # only a loan can be about, said while no loan is under discussion, is about the loans
            in_clause = [p for p in named if any(f in c for c in clauses for f in p.forms if f)]
            about = [p for p in ev.scenario.products if rule.about and rule.about(p)]
            judged = in_clause or [p for p in subject if not rule.about or rule.about(p)] or about
            wrong = [p for p in judged if rule.untrue is None or rule.untrue(p)]
            if wrong:
                product = wrong[0].id if rule.untrue else None
                violation = ev.roles.reported_as(rule.reports or rule.id)
                acts.append(Act(violation, t.turn, t.step, "", product, quote(t.text)))
    return acts


def _discussed(ev: Evidence) -> Iterator[tuple[Turn, list[Product]]]:
    """Each manager turn with the products under discussion once it is said.

    The client's own product is under discussion from the start; a line that puts
    products forward (:func:`_put_forward`) moves the discussion on to them.
    """
    products = [ev.scenario.product(ev.scenario.persona.decision.product)]
    for t in ev.manager:
        products = _put_forward(ev, t) or products
        yield t, products


def said(rule: WordRule, text: str) -> bool:
    """Whether a line says the act of ``rule`` in a sentence that does not deny or report it.

    Every match counts: a claim corrected in one sentence ("您说只赔五万，不对") does not
    hide a false one in the next.
    """
    return bool(said_where(rule, text))


def said_where(rule: WordRule, text: str) -> list[str]:
    """Return the clauses (to a full stop or semicolon) where a line says the act of ``rule``."""
    if rule.requires and not rule.requires.search(text):
        return []
    if rule.unless_line and rule.unless_line.search(text):
        return []
    clauses = []
    for match in rule.pattern.finditer(text):
        sentence = _sentence(text, match.start(), match.end())
        unless = rule.unless and rule.unless.search(sentence)
        if not (_denied(sentence, text, match.start()) or unless):
            clauses.append(_clause(text, match.start(), match.end()))
    return clauses


_CORRECTED = re.compile(r"(不是|并非|并不是)[^，,。！？!?；;]*[，,]\s*(而|其实|实际上?)?是")
"""A correction: "不是A，是B" denies A and asserts B."""


def _denied(sentence: str, text: str, start: int) -> bool:
    """Whether the sentence denies what is said at ``text[start]`` (not the B of "不是A，是B")."""
    offset = start - sentence_start(text, start)
    before = [c.end() for c in _CORRECTED.finditer(sentence) if c.end() <= offset]
    return bool(_DENIED.search(sentence, before[-1] if before else 0))


def _clause(text: str, start: int, end: int) -> str:
    """Return the clause around ``text[start:end]``: semicolon or full stop to the next."""
    return _around(text, start, end, _CLAUSE_MARKS)


def _sentence(text: str, start: int, end: int) -> str:
    """Return the sentence around ``text[start:end]`` (full stop to full stop, its mark kept)."""
    return _around(text, start, end, SENTENCE_MARKS)


def _around(text: str, start: int, end: int, marks: str) -> str:
    """Return ``text[start:end]`` widened to the marks either side (the closing mark kept)."""
    begin = sentence_start(text, start, marks)
    close = min((i for i in (text.find(m, end) for m in marks) if i >= 0), default=len(text) - 1)
    return text[begin : close + 1]


def _claims_about_the_product_put_forward(ev: Evidence) -> list[Act]:
    """Judge a claim true only of some products against the products under discussion.

    A claim is about the products whose names open a clause of its line, else those it
    names other than in passing (what it puts forward, if it offers). A line that names
    products only in passing ("跟存款差不多，投的都是国债": compared with, held) or none
    is about everything under discussion, and a claim untrue of any of them is a
    violation. A line that puts a new product forward moves
    the discussion on to the products it names.
    """
    acts = []
    for t, under_discussion in _discussed(ev):
        named = _named(ev, t)
        topic = (
            [p for p in named if _is_topic(p, t.text)]
            or [p for p in named if not in_passing(p, t.text)]
            or ([] if named else _spoken_of_by_kind(ev, t.text))
        )
        recorded = {v.id for v in (t.annotations.violations if t.annotations else [])}
        for intent_id in sorted(t.intents - recorded):
            if not (ev.is_red_line(intent_id) and ev.roles.product_dependent(intent_id)):
                continue
            untrue = [
                p
                for p in topic or under_discussion
                if not ev.roles.violation_exempt(intent_id, p.guaranteed, p.kind)
            ]
            if untrue:
                detail = tr(f"说的是“{untrue[0].name}”", f"said of {untrue[0].name}")
                acts.append(Act(intent_id, t.turn, t.step, detail, untrue[0].id, quote(t.text)))
    return acts


def _spoken_of_by_kind(ev: Evidence, text: str) -> list[Product]:
    """Return the products a line speaks of by kind alone (its kind word opens a clause)."""
    return [
        p
        for p in ev.scenario.products
        if any(_opens_a_clause(word, text) for word in KIND_WORDS.get(p.kind, ()))
    ]


def _opens_a_clause(form: str, text: str) -> bool:
    start = text.find(form)
    while start >= 0:
        if _TOPIC_LEAD.search(text, 0, start):
            return True
        start = text.find(form, start + 1)
    return False


def _is_topic(product: Product, text: str) -> bool:
    """Whether a line speaks *of* the product: its name opens a clause ("结构性存款最差也有…")."""
    return any(_opens_a_clause(form, text) for form in product.forms)


def _put_forward(ev: Evidence, turn: Turn) -> list[Product]:
    """Return the products a line puts forward: those it names, not in passing, in an offer.

    A purchase suggested in passing (:data:`SUGGESTS_BUYING`: "闲钱可以拿一两万配一点")
    offers too.

    An offer does (introduce, compare, close…), and so does arranging the purchase of a
    product the line names (the ``after_yes`` role: "现在是积极型了，这只基金你可以买，
    每月一千"): the close made as if the yes had been given. A product the line only
    warns off or compares with is not put forward; another the same line offers is.
    """
    named = _named(ev, turn)
    if not (named and _offering(ev, turn)):
        return []
    return [p for p in named if not in_passing(p, turn.text)]


def _offering(ev: Evidence, turn: Turn) -> bool:
    """Whether a line offers: an offer act, a close as if agreed, a purchase suggested."""
    return (
        ev.roles.any_of("offer", turn.intents)
        or ev.roles.any_of("after_yes", turn.intents)
        or bool(SUGGESTS_BUYING.search(turn.text))
    )


def offers(ev: Evidence, turn: Turn) -> list[tuple[Offered, str]]:
    """Return what a line puts forward, each with its product id (or kind name).

    The products it names (:func:`_put_forward`) and, when it names none, what it offers
    by kind alone (:func:`_kinds_put_forward`).
    """
    named = [(Offered.of(p), p.id) for p in _put_forward(ev, turn)]
    return named + _kinds_put_forward(ev, turn)


def _pushes(ev: Evidence) -> list[Act]:
    """Products put forward above the client's level (or unsafe for an elderly client).

    A line that names no product of the scenario but offers one by its kind ("有一只私募
    股权基金挺适合您") is judged as :func:`_kinds_put_forward` says.
    """
    family_at = ev.first_with_intent(ev.roles.family_involvement, ev.manager)
    acts = []
    for t in ev.manager:
        for offered, product_id in offers(ev, t):
            why = _unsuitable(ev, offered, t, family_at)
            if why:
                acts.append(Act(UNSUITABLE, t.turn, t.step, why, product_id, quote(t.text)))
    return acts


def _kinds_put_forward(ev: Evidence, turn: Turn) -> list[tuple[Offered, str]]:
    """Return what a line offers by its kind alone, naming no product of the scenario.

    The scenario's product that answers to the kind is judged when there is one; else
    the lowest level of the kind.
    """
    if _named(ev, turn) or not _offering(ev, turn):
        return []
    return [
        (Offered.of(product), product.id)
        if product
        else (Offered(kind.name, kind.risk, None), kind.name)
        for kind, product in ev.unlisted_kinds
        if any(w in turn.text for w in kind.words) and not in_passing(kind, turn.text)
    ]


@dataclass(frozen=True)
class Offered:
    """What suitability looks at in a product put forward."""

    name: str
    risk: str
    lock_in_years: float | None

    @classmethod
    def of(cls, product: Product) -> Offered:
        """Take the product's name, risk level and lock-in."""
        return cls(product.name, product.risk, product.lock_in_years)


def _unsuitable(ev: Evidence, product: Offered, turn: Turn, family_at: Turn | None) -> str:
    persona = ev.scenario.persona
    level = persona.risk_level
    if risk_rank(product.risk) > risk_rank(level):
        return tr(
            f"向{level}客户推荐了{product.risk}的“{product.name}”",
            f"put {product.name} ({product.risk}) to a {level} client",
        )
    age = persona.profile.age
    risky = risk_rank(product.risk) >= ELDERLY_RISK
    years = product.lock_in_years or 0.0
    if age < ELDERLY_AGE or not (risky or years >= ELDERLY_LONG_YEARS):
        return ""
    if family_at is not None and family_at.turn <= turn.turn:
        return ""
    zh, en = (
        (product.risk, product.risk) if risky else (f"锁定{years:g}年", f"{years:g}-year lock-in")
    )
    return tr(
        f"向{age}岁客户推荐{zh}的“{product.name}”，没有先建议家人一起商量",
        f"put {product.name} ({en}) to a client of {age} without suggesting the family join",
    )


def _asks_without_disclosure(ev: Evidence) -> list[Act]:
    """Each ask for the decision on a product whose risk was not disclosed before it."""
    disclosed = False
    acts = []
    for t, discussed in _discussed(ev):
        named = _named(ev, t)
        disclosed = disclosed or ev.is_disclosure(t)
        if t.asks(ev.roles.commit):
            product = named[0] if named else discussed[0]
            needs = ev.roles.disclosures.needed(product.kind, product.guaranteed)
            if "risk" in needs and not disclosed:
                detail = tr(
                    f"请客户决定买“{product.name}”之前没有揭示风险",
                    f"asked for the decision on {product.name} before disclosing its risk",
                )
                acts.append(
                    Act(MISSING_DISCLOSURE, t.turn, t.step, detail, product.id, quote(t.text))
                )
    return acts
