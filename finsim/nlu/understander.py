"""The one interface the drill and the scorer need from the understanding of a line.

A drill session receives an :class:`Understander` instead of building the
recogniser itself, so a test or another back end can pass its own: anything
with ``analyse`` (text → :class:`~finsim.nlu.recogniser.Analysis`) and a
``judge`` naming what produced the readings (recorded in the transcript).
"""

from __future__ import annotations

from typing import Protocol

from finsim.nlu.recogniser import Analysis, Judge


class Understander(Protocol):
    """Reads one line of the manager's speech."""

    @property
    def judge(self) -> Judge:
        """What produces the readings (version, library hash, model id)."""
        ...

    def analyse(self, text: str) -> Analysis:
        """Everything found in one line: acts best first, products, jargon, mood."""
        ...
