"""A handling line that waves the client's concern away answers nothing.

"两万一年对您家不算多，值得" and "您放心，不会出事的" meet a price objection and a
doubt with reassurance, not with a reason: the course teaches to break a premium down,
show the contract, take an action. The words are the library's ``dismissals``.
"""

from __future__ import annotations

import re

from finsim.nlu.normalize import fold
from finsim.nlu.recogniser import compile_pattern
from finsim.scenario.models import Dismissals


class Dismissal:
    """Tells whether a line waves a concern away (without the substance that would answer it)."""

    def __init__(self, rules: Dismissals) -> None:
        self._patterns = [_compile(p) for p in rules.patterns]
        self._unless = [_compile(p) for p in rules.unless]

    def waves_away(self, text: str) -> bool:
        """Whether ``text`` says a dismissal and gives no substance."""
        folded = fold(text)
        if not any(p.search(folded) for p in self._patterns):
            return False
        return not any(p.search(folded) for p in self._unless)


def _compile(source: str) -> re.Pattern[str]:
    return compile_pattern(source, "意图库 dismissals ", "intent library, dismissals")
