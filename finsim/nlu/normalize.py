"""Text folding: one canonical form for what students type.

Traditional characters become simplified (OpenCC ``t2s``, loaded on first use),
full-width letters, digits and punctuation become half-width (NFKC), Latin
letters become lower case, and runs of white space collapse. Folding keeps
the length of most text but not all of it, so positions found in the folded
form are only used within the folded form.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterable

_lock = threading.Lock()
_converter: Callable[[str], str] | None = None

_SPACES = re.compile(r"\s+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad"))
# Simplified forms OpenCC leaves alone but students type both ways.
_VARIANTS = str.maketrans({"帐": "账", "妳": "你", "祢": "你"})


def _t2s() -> Callable[[str], str]:
    """Return the traditional→simplified converter, built on first use (about 15 ms)."""
    global _converter
    if _converter is None:
        with _lock:
            if _converter is None:
                import opencc  # heavy dictionary: imported only when text is first folded

                _converter = opencc.OpenCC("t2s").convert
    return _converter


def has_cjk(text: str) -> bool:
    """Whether ``text`` contains a CJK ideograph (and so may need traditional folding)."""
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def fold(text: str) -> str:
    """Return the canonical form of ``text`` used for every comparison."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    if has_cjk(text):
        text = _t2s()(text)
    text = text.translate(_VARIANTS).lower()
    return _SPACES.sub(" ", text).strip()


class SynonymFolder:
    """Replaces every variant of a synonym set by its canonical word (longest variant first)."""

    def __init__(self, groups: Iterable[tuple[str, Iterable[str]]]) -> None:
        table: dict[str, str] = {}
        for canonical, variants in groups:
            target = fold(canonical)
            for variant in variants:
                key = fold(variant)
                if key and key != target:
                    table.setdefault(key, target)
        self._table = table
        alternatives = sorted(table, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, alternatives))) if alternatives else None

    def __call__(self, folded: str) -> str:
        """Rewrite already folded text with canonical words."""
        if self._pattern is None:
            return folded
        return self._pattern.sub(lambda m: self._table[m.group(0)], folded)
