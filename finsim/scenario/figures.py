"""The figures a line quotes (amounts, rates, counts), read alike in digits and Chinese numerals.

The client may quote a figure only when the manager said it or a fact the
client told holds it: ``两千七百`` and ``2700``, ``一点七五`` and ``1.75``,
``三十万`` and ``30万`` are the same figure. Single numerals used as words
(一下, 三年期, 十几年) are not figures: a Chinese figure needs two characters
and a unit (十 百 千 万 亿) or a decimal point.
"""

from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
_ARABIC = re.compile(r"\d+(?:[,，]\d{3})*(?:\.\d+)?\s*[万亿]?")
_CHINESE = re.compile(r"[零〇一二两三四五六七八九十百千万亿点]+")


def figures(text: str) -> set[float]:
    """Return the figures in ``text`` as numbers."""
    found: set[float] = set()
    text = text.replace("百分之", " ")
    for match in _ARABIC.finditer(text):
        found.add(_arabic(match.group()))
    for match in _CHINESE.finditer(text):
        value = _chinese(match.group().rstrip("点"))
        if value is not None:
            found.add(value)
    return found


def ungrounded(line: str, heard: str) -> set[float]:
    """Return the figures of ``line`` that do not occur in ``heard``."""
    return figures(line) - figures(heard)


def _arabic(token: str) -> float:
    token = token.replace(",", "").replace("，", "").strip()
    scale = 1
    if token[-1] in _BIG:
        scale, token = _BIG[token[-1]], token[:-1].strip()
    return round(float(token) * scale, 6)


def _chinese(token: str) -> float | None:
    """Read a Chinese numeral (两千七百, 三万五, 一点七五); None when it is no figure."""
    if len(token) < 2 or not (set(token) & {*_UNITS, *_BIG, "点"}):
        return None
    whole, _, fraction = token.partition("点")
    value = _integer(whole)
    if value is None:
        return None
    if fraction:
        if not all(c in _DIGITS for c in fraction):
            return None
        value += float("0." + "".join(str(_DIGITS[c]) for c in fraction))
    return round(value, 6)


def _integer(token: str) -> float | None:
    """Read the whole part; ``三万五`` is 35000, ``两千七`` 2700 (the unit below is implied)."""
    if not token or (token[0] in _BIG) or (token[0] in _UNITS and token[0] != "十"):
        return None
    total, section, digit, last_unit = 0, 0, None, 0
    for char in token:
        if char in "零〇":
            digit, last_unit = None, 0  # 一百零五: the digit after 零 is units
        elif char in _DIGITS:
            if digit is not None:
                return None  # 一两, 三五: a range, not a figure
            digit = _DIGITS[char]
        elif char in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[char]
            digit, last_unit = None, _UNITS[char]
        else:
            section += digit or 0
            total += section * _BIG[char]
            section, digit, last_unit = 0, None, _BIG[char]
    if digit is not None:
        section += digit * (last_unit // 10 if last_unit >= 100 else 1)
    return float(total + section)
