"""Cutting folded text into clauses and comparable features.

Chinese has no spaces, and students misspell words, so Chinese is compared by
overlapping characters (uni-, bi- and trigrams): a one-character typo still
leaves most bigrams intact. English is compared by lightly stemmed words and
word pairs. Numbers all become ``0`` (五万 and 10万 mean the same act).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

CJK = "\u3400-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{CJK}]+|[a-z0-9]+(?:'[a-z]+)?")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_CLAUSE_BREAK = re.compile(  # a full stop inside a number ("4.5%") breaks nothing
    rf"(?:[,!?;:，。！？；：、…~～\n()（）\[\]【】]|(?<!\d)\.|\.(?!\d))+|(?<=[{CJK}])\s+(?=[{CJK}])"
)
_EN_STOP = frozenset(
    "a an the to of and or i you we it is are am be this that for in on with me my your our".split()
)
_QUESTION_WORDS_ZH = re.compile(
    r"吗|呢|多少|什么|哪|怎么|怎样|如何|几[个岁年月天号点]|多大|多久|多长|是否|有没有|能不能|"
    r"会不会|可不可以|要不要|是不是|愿不愿意|行不行|好不好|对不对|对吧|对吗|好吗|行吗|为啥|干啥|啥|"
    r"(是|要|想|选|用|喜欢|习惯).{0,12}还是"
)
_QUESTION_WORDS_EN = frozenset(
    "what how when where which who whom whose why do does did are is was were can could would "
    "will have has may shall should".split()
)


def clauses(folded: str) -> list[str]:
    """Split folded text into clauses, at punctuation and at spaces between Chinese words."""
    return [c.strip() for c in _CLAUSE_BREAK.split(folded) if c.strip()]


def clause_spans(folded: str) -> Iterator[tuple[int, int]]:
    """Start and end offsets of each clause of ``folded``."""
    start = 0
    for match in _CLAUSE_BREAK.finditer(folded):
        if match.start() > start:
            yield start, match.start()
        start = match.end()
    if start < len(folded):
        yield start, len(folded)


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def features(folded: str) -> set[str]:
    """Return the comparison features of folded (and synonym-folded) text."""
    text = _DIGITS.sub("0", folded)
    found: set[str] = set()
    words: list[str] = []
    for run in _RUNS.findall(text):
        if run[0] >= "\u3400":
            found.update(run)
            found.update(run[i : i + 2] for i in range(len(run) - 1))
            found.update(run[i : i + 3] for i in range(len(run) - 2))
            words.clear()
            continue
        word = _stem(run.replace("'", ""))
        if word in _EN_STOP:
            continue
        found.add("w:" + word)
        if words:
            found.add(f"w:{words[-1]}_{word}")
        words.append(word)
    return found


def is_question(folded: str) -> bool:
    """Whether the line asks something (a question mark, particle or question word)."""
    if "?" in folded:
        return True
    if _QUESTION_WORDS_ZH.search(folded):
        return True
    first = re.match(r"[a-z]+", folded)
    return bool(first and first.group(0) in _QUESTION_WORDS_EN)
