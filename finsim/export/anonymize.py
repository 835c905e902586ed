"""Stable pseudonyms for students on a showcase page (成果展示).

Each student (by id) gets 学生A, 学生B, … in the order of a keyed hash
(HMAC-SHA256) of the id, so the same student has the same pseudonym in every
session of one page and the letters say nothing about the roster's order.
A page made with the same key gives the same pseudonyms; with a fresh random
key (the default) pages cannot be linked. Names and ids are also replaced
inside free text (dialogue, comments) when they are at least two characters
long (a one-character "name" would erase ordinary words).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable

from finsim.i18n import tr

MIN_SCRUB_CHARS = 2


def letters(index: int) -> str:
    """Return the spreadsheet-style letters of ``index``: 0 → A, 25 → Z, 26 → AA."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


class Pseudonyms:
    """Pseudonyms for a set of students: ``(id, name)`` pairs, keyed by ``key``."""

    def __init__(self, key: bytes, people: Iterable[tuple[str, str]]) -> None:
        self._by_id: dict[str, str] = {}
        names: dict[str, str] = {}
        for student_id, name in people:
            if student_id:
                names.setdefault(student_id, name)
        order = sorted(names, key=lambda i: hmac.new(key, i.encode(), hashlib.sha256).digest())
        for index, student_id in enumerate(order):
            self._by_id[student_id] = tr("学生", "Student ") + letters(index)
        self._real: dict[str, str] = {}
        for student_id, name in names.items():
            for word in (student_id, name):
                if word and word not in self._real:
                    self._real[word] = self._by_id[student_id]
        words = sorted((w for w in self._real if len(w) >= MIN_SCRUB_CHARS), key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, words))) if words else None

    def of(self, student_id: str, name: str = "") -> str:
        """Return the pseudonym of a student (by id, else by name; unknown → 学生?)."""
        found = self._by_id.get(student_id) or self._real.get(name)
        return found or tr("某同学", "a student")

    def scrub(self, text: str) -> str:
        """Replace every real name and id in ``text`` by its pseudonym."""
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self._real[m.group(0)], text)
