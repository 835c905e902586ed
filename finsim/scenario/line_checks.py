"""Checks of the client's lines: the ids their conditions name, and the states they cover.

Every step must have an opening for each state the client can be in when the
step begins: undecided, or (after the first step) having bought or declined,
in any mood. A line covers a state only when its conditions are on the
decision, the mood or the trust alone and hold for the whole mood band (an
opening states the client's own situation: its figures need not have been
heard); a state no opening covers gets a warning (the client would fall back
on a generic line).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Protocol

from finsim.scenario.lines import MOODS, LineModel, Mood, Standing, When
from finsim.scenario.models import Scenario
from finsim.vocabulary import MOODS as MOOD_WORDS
from finsim.vocabulary import STANDINGS
from finsim.yamlio import PathKey


class LineChecker(Protocol):
    """What the line checks need of the scenario checker."""

    scenario: Scenario

    @property
    def intent_ids(self) -> set[str]:
        """Ids of every intent the scenario may name."""
        ...

    def ref(
        self, key_path: PathKey, value: str, known: Collection[str], what: tuple[str, str]
    ) -> None:
        """Report a reference to an unknown id."""
        ...

    def refs(
        self,
        key_path: PathKey,
        values: Sequence[str],
        known: Collection[str],
        what: tuple[str, str],
    ) -> None:
        """Report each reference to an unknown id."""
        ...

    def warn(self, key_path: PathKey, zh: str, en: str) -> None:
        """Record a warning."""
        ...


_WHAT = {
    "objection": ("异议", "objection"),
    "product": ("产品", "product"),
    "fact": ("隐藏事实", "fact"),
    "intent": ("意图", "intent"),
}
_STATE_FIELDS = {"decision", "mood", "trust_min", "trust_max"}


def check_lines(c: LineChecker) -> None:
    """Check the references of every line's conditions and the openings' coverage."""
    known = {
        "objection": [o.id for o in c.scenario.persona.objections],
        "product": [p.id for p in c.scenario.products],
        "fact": [f.id for f in c.scenario.persona.facts],
        "intent": sorted(c.intent_ids),
    }
    for path, line in _every_line(c):
        for kind, ids in line.when.references().items():
            for value in ids:
                c.ref((*path, "when"), value, known[kind], _WHAT[kind])
        c.refs((*path, "tells"), line.tells, known["fact"], _WHAT["fact"])
    for n, step in enumerate(c.scenario.steps):
        missing = uncovered(step.opening, first=n == 0, trust=c.scenario.persona.starting_trust)
        if missing:
            names = "、".join(f"{STANDINGS[s][0]}且{MOOD_WORDS[m][0]}" for s, m in missing)
            english = ", ".join(f"{s}/{m}" for s, m in missing)
            c.warn(
                ("steps", n, "opening"),
                f"这个步骤的开场白没有适用于以下状态的一句：{names}（客户会改用通用的话）",
                f"no opening of this step fits these states: {english} (a generic line is used)",
            )


def uncovered(
    lines: Sequence[LineModel], *, first: bool, trust: int
) -> list[tuple[Standing, Mood]]:
    """Return the states (decision, mood) a step can begin in that no line surely fits."""
    standings: list[Standing] = ["open"] if first else ["open", "bought", "declined"]
    moods = [_mood(trust)] if first else [m for _, m in MOODS]
    return [(s, m) for s in standings for m in moods if not any(_covers(x, s, m) for x in lines)]


def _covers(line: LineModel, standing: Standing, mood: Mood) -> bool:
    when: When = line.when
    if line.tells:
        return False
    if any(
        getattr(when, f) not in (None, [])
        for f in type(when).model_fields
        if f not in _STATE_FIELDS
    ):
        return False
    low, high = _band(mood)
    return (
        (not when.decision or standing in when.decision)
        and (not when.mood or mood in when.mood)
        and (when.trust_min is None or when.trust_min <= low)
        and (when.trust_max is None or when.trust_max >= high)
    )


def _mood(trust: int) -> Mood:
    return next(name for floor, name in MOODS if trust >= floor)


def _band(mood: Mood) -> tuple[int, int]:
    floors = [floor for floor, _ in MOODS]
    index = [name for _, name in MOODS].index(mood)
    return floors[index], (100 if index == 0 else floors[index - 1] - 1)


def _every_line(c: LineChecker) -> Iterator[tuple[PathKey, LineModel]]:
    s = c.scenario
    for n, step in enumerate(s.steps):
        yield from _indexed(("steps", n, "opening"), step.opening)
        for intent, lines in step.responses.items():
            yield from _indexed(("steps", n, "responses", intent), lines)
    for intent, lines in s.responses.items():
        yield from _indexed(("responses", intent), lines)
    for n, objection in enumerate(s.persona.objections):
        yield from _indexed(
            ("persona", "objections", n, "resolved_reply"), objection.resolved_reply
        )
    yield from _indexed(("persona", "decision", "accept"), s.persona.decision.accept)
    yield from _indexed(("persona", "decision", "decline"), s.persona.decision.decline)
    for situation in type(s.lines).model_fields:
        yield from _indexed(("lines", situation), getattr(s.lines, situation))


def _indexed(path: PathKey, lines: Sequence[LineModel]) -> Iterator[tuple[PathKey, LineModel]]:
    for i, line in enumerate(lines):
        yield (*path, i), line
