"""Spotting bank jargon said without a plain explanation in the same line.

A term counts as explained when, right after it, the speaker says what it means
(定投就是每个月…, 净值，也就是说…, 简单说…, a bracket, "which means…": the marker
within a few characters of the term, followed by an explanation of some length,
so that 定投就是一折 or 净值回撤了，这就是黄金坑 explain nothing) or when most of
the plain meaning written in the library is said in the line anyway. A term is not
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
_CLAUSE_END = re.compile(r"[,，。！？!?；;、]|$")
_MAX_GAP = 8
"""Characters allowed between a term and its explanation's marker (管理费每年0.5%，就是…)."""
_MIN_EXPLANATION = 4
"""Word characters an explanation says after its marker, up to the clause's end."""
_MIN_PLAIN_OVERLAP = 0.5
_LATIN = re.compile(r"^[a-z0-9 '\-]+$")


def _bigrams(text: str) -> set[str]:
    compact = re.sub(r"\W+", "", text)
    return {compact[i : i + 2] for i in range(len(compact) - 1)}


def _explained_after(folded: str, end: int) -> bool:
    """Whether a marker right after ``folded[:end]`` introduces an explanation of some length."""
    for marker in _EXPLAINED.finditer(folded, end, end + _MAX_GAP + 16):
        if marker.start() - end > _MAX_GAP:
            return False
        if marker.group(0) == "(":
            return True
        rest = folded[marker.end() :]
        clause_end = _CLAUSE_END.search(rest)
        said = rest[: clause_end.start() if clause_end else len(rest)]
        if len(re.sub(r"\W", "", said)) >= _MIN_EXPLANATION:
            return True
    return False


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
            uses = [(start, end) for start, end, t in taken if t == term]
            if not uses:
                continue
            first = uses[0][0]
            if any(_explained_after(folded, end) for _, end in uses):
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
