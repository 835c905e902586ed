"""When a red-line phrase is *not* the act: negated, quoted, reported or warned against.

A red line is a charge against the student, so a hit on a red-line keyword or
pattern counts only if none of these holds for the matched span:

* it sits inside quotation marks (“稳赚不赔”这种话不能信);
* a negation stands right before it (不保本, 不是保证收益);
* earlier in the same clause the speaker denies, refuses or reports someone
  else's words (我可不敢说…, 没有哪款产品…, 有人跟您说…);
* right after it the speaker rejects what was said (…的说法是骗人的, …您要警惕).
"""

from __future__ import annotations

import re

from finsim.nlu.features import clause_spans

_QUOTES = (("“", "”"), ('"', '"'), ("‘", "’"), ("'", "'"), ("「", "」"), ("『", "』"), ("《", "》"))
_NEAR_NEGATION = re.compile(
    r"(?:不|没|没有|无|非|未|别|不会|不能|不是|不一定|未必|并不|并非|绝不|从不|决不|不可能|不敢|不等于|不代表|不意味着|"
    r"no|not|never|don't|doesn't|isn't|won't|can't|cannot|no one|nobody)\s*$|"
    # refusing to make or say it: "我们不做保本承诺", "我不会跟您承诺任何收益"
    r"(?:不|从不|绝不|决不)(?:做|作|给|提供|搞)(?:任何|那种|这种)?(?:保本|保底|收益|回报|保息)?"
    r"(?:的)?\s*$|"
    r"(?:不会|不能|不|从不|绝不|决不|不可能|没办法|没法|无法)(?:跟|和|对|给|向)(?:您|你|客户|大家|任何人)\s*$|"
    r"(?:不会|不能|从不|绝不|决不|不可能)(?:对|向|给)[^，。！？,!?]{0,6}(?:产品|客户|人)\s*$|"
    # the manager's own refusal to say it: "我们不说今天不买就没了这种话"
    r"(?:我|我们|咱们)(?:从来)?(?:不|从不|绝不|决不)(?:说|讲)\s*$"
)
_SOMEONE = r"(如果|万一|要是|假如|倘若|若是|若)(将来|以后|哪天|今后)?有人"
"""Someone else supposed: "如果将来有人…", "要是有人…"."""
_DENIAL_BEFORE = re.compile(
    r"不敢|不能|没法|无法|不可以|不好说|不会(说|保证|承诺|跟您说|告诉)|不(保证|承诺|打包票)|"
    r"没有(人|谁|哪|任何|一款|一个)|没人|谁(也|都)(不|没)|不存在|并不|并非|不是说|没说|不代表|不意味|"
    r"别(信|听|相信|上当)|不要(信|相信|听|上当)|(有|听|别)人.{0,4}(说|讲|承诺|宣传|告诉|吹)|"
    r"(网上|广告|外面|他们|那边|人家).{0,3}(说|讲|宣传|吹)|所谓|号称|打着|小心|警惕|谨防|当心|"
    r"严禁|禁止|不允许|不得|不准|不许|规定|违规|假如|" + _SOMEONE + "|"
    r"谁(要是|如果)?(跟|和|给|对)?(你|您)?(说|讲|承诺|保证)|"
    r"(那些|有些|有的)(人)?(说|讲|宣传|吹)|哪(有|里有|儿有|来的?)|"
    r"没有(什么|这种|那种|这样的)|(如果|要是|假如)[^，。！？]{0,8}(说|讲|承诺|保证|推荐)|(不管|无论|不论)(谁|别人|人家|他们|哪)|"
    r"说(啥|什么)|打破|破除|早就没有|早没了|不再有|以为|误以为|"
    r"no one can|nobody can|can't promise|cannot promise|can't guarantee|cannot guarantee|"
    r"don't promise|never promise|not allowed|beware|so-called|if anyone|someone tells"
)
_REPORTED_BEFORE = re.compile(
    # the manager's own saying refused ("我们从来不会跟客户说…")
    r"(从来不会?|从不|从没|从来没|绝不|决不|不会|不敢)((跟|和|对|给|向)[^，。！？]{0,4})?(说|讲|承诺|宣传|打包票)|"
    r"不(跟|和|对|给|向)[^，。！？]{0,4}(说|讲|承诺)|"
    # a claim the client, a relative or someone else made, asked back ("您孙子说这个基金保本？")
    r"(您|你)[^，。！？]{0,8}(听|看到|听到|看见)[^，。！？]{0,6}(说|讲)|"
    r"(?<![跟和对给向])(您|你)的?(朋友|亲戚|同事|家人|家里人|儿子|女儿|孩子|孙子|孙女|姐姐|哥哥|弟弟|妹妹|"
    r"老伴|爱人|表[姐哥弟妹]|邻居)?(刚才|之前|也)?((跟|和|对)(您|你|我))?"
    r"((听说|听人说|听到|看到)(?![了就])|(说|问)(?![的得了就]))|"
    r"有(人|同事|朋友|亲戚|客户|业务员|销售|理财经理|客户经理)[^，。！？]{0,4}(说|讲|催|让|叫|告诉)"
)
"""Earlier in the clause: the words are refused or relayed (only a matched span; see disclaims)."""
_SUPPOSED_SOMEONE = re.compile(
    _SOMEONE + r"|谁(要是|如果)?(催|叫|让|逼)(你|您)|"
    # a belief of others set up to be corrected ("有人觉得定投最后一定赚，这个我得澄清")
    r"(有人|有些人|很多人|不少人|有的人|有的客户|有客户)(会)?(觉得|认为|以为)|"
    r"(有的|有些)(销售|业务员|理财经理|客户经理|人)[^，。！？]{0,6}(说|讲)"
)
"""Earlier in the sentence: someone else supposed ("如果将来有人…让您转账保证高收益")."""
_TAKEN_UP = re.compile(r"——|—|其实|确实|没错|说实话|实际上|actually")
"""The manager answering a relayed claim in their own voice: what follows is theirs again."""
_WORDS_REJECTED = re.compile(
    r"^.{0,12}?(说法|的话|这种话|那种话|宣传|广告).{0,12}(不对|错|骗|不能信|不可信|违规|不靠谱|别信|是假|"
    r"不允许|不让|不许|别当真|不用当真|当不得真)|"
    r"^.{0,12}?(不能|不方便|不可以|没法|不会)(讲|说|透露|告诉|给您看)|^.{0,12}?保密|"
    r"^.{0,12}?(听听就好|听听就算了|不可信|不能信|信不得)|^.{0,12}?(澄清|纠正|更正)一下|"
    r"^.{0,8}?(我来|得|要)(澄清|纠正|更正)|"
    r"^.{0,8}?(已经|早就|早已)?(没有了|取消了|不存在了|打破了|被打破)|"
    # such a product said not to exist ("稳赚不赔的产品根本不存在", "零风险的投资是没有的")
    r"^.{0,10}?的(产品|投资|理财|东西|好事)(根本|压根|从来|其实)?(就)?(不存在|是没有的|是不存在的|没有的)|"
    r"^.{0,12}?(是|根本|压根|并)(不存在|没有这回事|没这回事)|"
    # the claim pinned on whoever made it ("跟您说稳赚的那位不是我们的员工")
    r"^.{0,3}?的(那位|那个人|那些人|那人)|"
    r"^.{0,20}?(is|are) (not true|a lie|false)"
)
"""Right after the words, the speaker rejects them as words: a claim, a rumour, a refusal."""
_WARNING_AFTER = re.compile(
    r"^.{0,10}?(是|都是|纯属|那是)(违规|骗人|骗局|忽悠|假的|不可能|瞎扯|胡说|乱说|扯|不对|错的)|"
    r"^.{0,12}?(您要|你要|要|得)?(警惕|小心|当心|别信|不要信|别上当|多(留)?个心眼|别听)|"
    r"^.{0,20}?(is|are) a scam|^.{0,20}?(beware|be careful)"
)
"""Right after the words, the speaker warns against them (…是骗人的, 您要警惕)."""


_INSTRUCTED = re.compile(r"(答|说|回答|回|选|勾|填|写|点|念|喊)(一声|一句|个)?\s*$")
"""Just before a quotation: the words the client is told to say or tick (您就答“清楚”)."""


def _quoted_words(text: str, left: int) -> bool:
    """Whether the quotation opening at ``left`` reports words rather than dictating them."""
    return not _INSTRUCTED.search(text, max(0, left - 4), left)


def _inside_quotes(text: str, start: int, end: int) -> bool:
    for opening, closing in _QUOTES:
        left = text.rfind(opening, 0, start)
        if left < 0 or not _quoted_words(text, left):
            continue
        if opening == closing and text.count(opening, 0, start) % 2 == 0:
            continue
        right = text.find(closing, end)
        if right >= 0 and text.find(closing, left + 1, start) < 0:
            return True
    return False


SENTENCE_MARKS = "。！？!?"
"""The marks that end a sentence."""


def sentence_start(text: str, position: int, marks: str = SENTENCE_MARKS) -> int:
    """Where the sentence holding ``text[position]`` begins (after the last of ``marks``)."""
    return max(text.rfind(mark, 0, position) for mark in marks) + 1


def cancelled(
    text: str, start: int, end: int, clause_start: int, *, warning_cancels: bool = True
) -> bool:
    """Whether the red-line match ``text[start:end]`` is quoted, negated, reported or rejected.

    ``clause_start`` is where the clause holding the match begins; without
    ``warning_cancels`` a warning after the match (…您可别信) leaves it standing.
    """
    if _inside_quotes(text, start, end):
        return True
    before = text[clause_start:start]
    sentence = _TAKEN_UP.split(text[sentence_start(text, start) : start])[-1]
    if _SUPPOSED_SOMEONE.search(sentence):  # unless the manager took the claim up since
        return True
    own = _TAKEN_UP.split(before)[-1]
    if _NEAR_NEGATION.search(before) or _DENIAL_BEFORE.search(before):
        return True
    if _REPORTED_BEFORE.search(own):
        return True
    after = text[end:]
    return bool(_WORDS_REJECTED.search(after) or (warning_cancels and _WARNING_AFTER.search(after)))


def disclaims(text: str, *, warning_cancels: bool = True) -> bool:
    """Whether the line denies, reports, quotes or warns against something anywhere in it.

    A red line proposed by the learned stage has no matched span to guard, so it
    is charged only on a line that holds none of these turns at all (a warning
    counts only with ``warning_cancels``).
    """
    for opening, _ in _QUOTES[:1] + _QUOTES[4:]:
        if any(_quoted_words(text, m.start()) for m in re.finditer(re.escape(opening), text)):
            return True
    if _DENIAL_BEFORE.search(text):
        return True
    return bool(_WORDS_REJECTED.search(text) or (warning_cancels and _WARNING_AFTER.search(text)))


def disclaimed_spans(text: str) -> list[tuple[int, int]]:
    """Return the stretches of ``text`` said under a denial, report or warning (to clause end).

    The learned stage reads n-grams inside these stretches as features of their
    own, so "有人说稳赚不赔" and "稳赚不赔" look different to it.
    """
    spans = []
    for start, end in clause_spans(text):
        clause = text[start:end]
        found = _DENIAL_BEFORE.search(clause) or _NEAR_NEGATION_ANY.search(clause)
        if found:
            spans.append((start + found.end(), end))
    return spans


_NEAR_NEGATION_ANY = re.compile(r"不|没|别|无|非|未|莫|勿|not|never|no")
