"""Spotting bank jargon said without a plain explanation in the same line.

A term counts as explained when, after it, the speaker says what it means
(就是…, 也就是说…, 简单说…, a bracket, "which means…") or when most of the
plain meaning written in the library is said in the line anyway. A term is not
used at all where it is negated (没有管理费, 不收申购费, 免赎回费, no
subscription fee): saying a fee does not exist needs no explanation. Where a
longer term covers a shorter one (赎回费 over 赎回), only the longer one counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from finsim.nlu.normalize import fold
from finsim.scenario.models import JargonTerm

_EXPLAINED = re.compile(
    r"就是|也就是|意思是|意思就是|指的是|是指|简单(来|地|点)?(说|讲)|通俗(点|地|来)?(说|讲)|说白了|"
    r"换句话说|相当于|理解为|可以理解|打个比方|比如说|即|\(|"
    r"i\.e\.|which means|meaning|that is|in other words|in plain|simply put|basically"
)
_NEGATED = re.compile(
    r"(没有|没|无|不收|不收取|免收|免|免除|不用交?|不需要?交?|不产生|零|"
    r"(?<![a-z])(no|without|free of))\s*(任何)?\s*$"
)
_MIN_PLAIN_OVERLAP = 0.5
_LATIN = re.compile(r"^[a-z0-9 '\-]+$")


def _bigrams(text: str) -> set[str]:
    compact = re.sub(r"\W+", "", text)
    return {compact[i : i + 2] for i in range(len(compact) - 1)}


class JargonSpotter:
    """Finds the library's and a scenario's jargon terms in folded text."""

    def __init__(self, terms: Iterable[JargonTerm]) -> None:
        self._terms: list[tuple[str, list[re.Pattern[str]], set[str]]] = []
        seen: set[str] = set()
        for term in terms:
            if term.term in seen:
                continue
            seen.add(term.term)
            forms = sorted({fold(f) for f in (term.term, *term.aliases)}, key=len, reverse=True)
            regexes = [
                re.compile(
                    rf"(?<![a-z]){re.escape(f)}(?![a-z])" if _LATIN.match(f) else re.escape(f)
                )
                for f in forms
                if f
            ]
            self._terms.append((term.term, regexes, _bigrams(fold(term.plain))))

    def unexplained(self, folded: str) -> tuple[str, ...]:
        """Return the terms used in ``folded`` without a plain explanation, in order."""
        found: list[tuple[int, str]] = []
        line_bigrams = _bigrams(folded)
        taken = self._spans(folded)
        for term, _, plain in self._terms:
            first = min((start for start, _end, t in taken if t == term), default=-1)
            if first < 0:
                continue
            if _EXPLAINED.search(folded, first):
                continue
            if plain and len(plain & line_bigrams) / len(plain) >= _MIN_PLAIN_OVERLAP:
                continue
            found.append((first, term))
        return tuple(term for _, term in sorted(found))

    def _spans(self, folded: str) -> list[tuple[int, int, str]]:
        """Where each term is used: longest terms first, never inside another, never negated."""
        hits = [
            (m.start(), m.end(), term)
            for term, regexes, _ in self._terms
            for regex in regexes
            for m in regex.finditer(folded)
        ]
        hits.sort(key=lambda h: (h[0] - h[1], h[0]))
        taken: list[tuple[int, int, str]] = []
        for start, end, term in hits:
            if any(start < e and s < end for s, e, _ in taken):
                continue
            taken.append((start, end, term))
        return [h for h in taken if not _NEGATED.search(folded[max(0, h[0] - 8) : h[0]])]
