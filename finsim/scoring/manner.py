"""The manager's manner: words that talk down to the client or brush them off.

A rude line breaks no rule of the sales regulations, but trainers grade it as a lapse of
etiquette (言语失礼): "你懂什么", "问那么多干嘛", "爱买不买". Pressure to sign ("赶紧签")
is a red line of its own and is not counted here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from finsim.scoring.evidence import Turn

RUDE = re.compile(
    r"(你|您)懂什么|懂什么呀|说了(你|您)也不懂|跟(你|您)说了(你|您)?也不懂|爱买不买|买不买随(你|便)|不买拉倒|"
    r"(你|您)到底(买|办|签|要)不(买|办|签|要)|问(那么|这么)多干(嘛|什么)|哪(来|有)那么多(问题|事儿?)|烦不烦|"
    r"少废话|别废话|废话少说|别啰嗦|啰嗦什么|磨叽什么|墨迹什么|我很忙|我没空|没时间跟(你|您)|"
    r"这都不(知道|懂)|连这个都不(知道|懂)|有(什么|啥)好(担心|怕|犹豫|考虑)的|瞎操心|"
    r"听我的(就行|准没错|没错)|照我说的(做|办|签)|(你|您)别管那么多|别想那么多|想那么多干(嘛|什么)|"
    r"(算|问|想|看)(那么|这么)(细|多)干(嘛|什么)|这也怕那也怕|(你|您)运气不好|(你|您)这种(老板|人|客户)我见多了|"
    # a complaint brushed off or blamed on the client ("我管不了，您找大堂去")
    r"我(也)?管不了|(你|您)找(大堂|别人|他们|柜台)去|那是(大堂|柜台|他们|别人)的事|不归我管|(你|您)急也没用|"
    r"(没办法|没辙)[^。！？]{0,6}银行都这样|那是(你|您)(们)?(自己|财务)?(没|不)(准备|弄|搞|看|听)|下一位|"
    r"女人(想得多|就是|家懂)|老人家?(懂什么|不懂这些)"
)
"""Words that talk down to the client or wave their questions away."""


def rude_turns(manager: Sequence[Turn]) -> list[Turn]:
    """Return the manager's lines that talk down to the client or brush them off."""
    return [t for t in manager if RUDE.search(t.text)]
