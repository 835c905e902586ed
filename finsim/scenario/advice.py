"""A manager line that names a product only in passing: to warn the client off it, or to compare.

"同事晒的科技股票基金是R4，超出您的等级，不适合" names the fund without putting it
forward, and "波动比纯股票基金小" only compares with one: the client does not take
either as offered, and the scorer does not charge it as a recommendation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Protocol


class Named(Protocol):
    """Anything the manager names by a few forms: a scenario's product, or a kind of product."""

    @property
    def forms(self) -> tuple[str, ...]:
        """The words that name it."""
        ...


WARNED_OFF = re.compile(
    r"(不|没法|不能|不会|不该|不可以)(建议|推荐|适合|合适|卖给|推给|介绍给|给您(买|办|推荐|配))|"
    r"(别|不要|不用|不必)(买|碰|跟风|考虑|投|配)|不(想|愿意?|打算|敢)?(碰|沾)|"
    r"(超出|超过|高于|高过)(了)?(您|你)?的?.{0,6}(承受|风险等级|等级|测评)|"
    r"比(您|你).{0,10}(能)?承受的.{0,2}高|按规定.{0,8}(不能|不可以)|"
    # the product's entry condition stated ("要测到积极型才能买", "只适合C4以上")
    r"(要|得|须|需要|必须)[^。！？]{0,12}(才能|才可以|才可)(买|投|配|购买|办)|"
    r"只(适合|卖给|面向|针对)[^。！？]{0,8}(C[3-5]|c[3-5]|积极|激进|进取|成长)|"
    r"(not|never) (recommend|suitable|right for you|sell)|(above|beyond) your (risk|level)",
    re.IGNORECASE,
)
"""A line that warns the client off a product names it without putting it forward."""

_COMPARED = re.compile(
    r"(比|跟(?!您|你)|和(?!您|你)|像|同(?!您|你|事|学|行|业|意)|与(?!您|你))[^，。！？,!?]{0,3}$"
)
"""Just before a product's name: a comparison ("比存三年定期挣得多"), so it is not the subject."""
_HELD = re.compile(
    r"(投的|投向|投资于|主要投|底层(资产)?|底下|持仓)(都是|主要是|全是|是|都在|在)?\s*$"
)
"""Just before a product's name: what another product invests in ("投的都是国债")."""
_OWNED = re.compile(
    r"(您|你)(自己)?[^。！？，,同朋邻亲儿女爸妈老伴爱]{0,8}(买过|投过|炒过|持有|拿着|手上的|手里的|之前的|以前的|当年的?)的?\s*$"
    r"|(^|[，,。；;！？?]|您|你)((后来|以前|之前|过去|原来|这些年|平时)(一直|向来|都|也|就)?|一直|向来)(是)?(在)?(存|买|放|投)(的是|了|过|着)?\s*$"
)
"""Just before a product's name: the client's own, past or present ("您2015年买过股票基金",
"……后来一直存定期")."""
_SENTENCE_END = re.compile(r"[。；;！？!?]")


def _mentions(forms: Iterable[str], text: str) -> Iterator[re.Match[str]]:
    for form in forms:
        if form:
            yield from re.finditer(re.escape(form), text)


def warned_off(product: Named, text: str) -> bool:
    """Whether every mention of ``product`` sits in a warning.

    A mention is warned off when the rest of its sentence, from the name on, warns
    against it; a product also put forward elsewhere in the line is not warned off.
    A product the line names in other words than its forms is warned off when the line warns.
    """
    rests = [text[m.start() : _sentence_end(text, m.end())] for m in _mentions(product.forms, text)]
    if not rests:  # recognised under another wording: the whole line is its sentence
        return bool(WARNED_OFF.search(text))
    return all(WARNED_OFF.search(rest) for rest in rests)


def _sentence_end(text: str, position: int) -> int:
    found = _SENTENCE_END.search(text, position)
    return found.start() if found else len(text)


def only_compared(product: Named, text: str) -> bool:
    """Whether every mention of ``product`` is what something else is compared with."""
    return _every_mention_after(_COMPARED, product, text)


def _every_mention_after(lead: re.Pattern[str], product: Named, text: str, window: int = 8) -> bool:
    """Whether the product is named and ``lead`` ends just before every mention."""
    starts = [m.start() for m in _mentions(product.forms, text)]
    return bool(starts) and all(lead.search(text, max(0, i - window), i) for i in starts)


def only_held(product: Named, text: str) -> bool:
    """Whether every mention of ``product`` is what another product holds ("底下都是国债")."""
    return _every_mention_after(_HELD, product, text)


def only_owned(product: Named, text: str) -> bool:
    """Whether every mention of ``product`` is the client's own ("您以前买过的股票基金")."""
    return _every_mention_after(_OWNED, product, text, window=16)


def in_passing(product: Named, text: str) -> bool:
    """Whether a line names ``product`` only to warn off, to compare with, as holdings or owned."""
    return (
        warned_off(product, text)
        or only_compared(product, text)
        or only_held(product, text)
        or only_owned(product, text)
    )
