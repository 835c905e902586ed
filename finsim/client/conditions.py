"""Whether a line's conditions hold in the client's state (:class:`~finsim.scenario.lines.When`)."""

from __future__ import annotations

from finsim.client.state import ClientState
from finsim.scenario.lines import Standing, When


def standing(state: ClientState) -> Standing:
    """Where the client stands: walked out, bought, declined at a close, or still open."""
    if state.left:
        return "left"
    if state.bought:
        return "bought"
    return "declined" if state.decision == "decline" else "open"


def holds(when: When, state: ClientState, heard: str) -> bool:
    """Whether every condition of ``when`` holds; ``heard`` is all the manager has said."""
    return (
        (not when.decision or standing(state) in when.decision)
        and (when.trust_min is None or state.trust >= when.trust_min)
        and (when.trust_max is None or state.trust <= when.trust_max)
        and (not when.mood or state.mood in when.mood)
        and _all_in(when.raised, state.raised)
        and _none_in(when.not_raised, state.raised)
        and _all_in(when.resolved, state.resolved)
        and _all_in(when.offered, state.put_forward)
        and _none_in(when.not_offered, state.put_forward)
        and _all_in(when.told, state.revealed)
        and _none_in(when.not_told, state.revealed)
        and _all_in(when.heard, state.intents_seen)
        and _none_in(when.not_heard, state.intents_seen)
        and all(word.lower() in heard for word in when.said)
    )


def _all_in(wanted: list[str], have: list[str]) -> bool:
    return all(item in have for item in wanted)


def _none_in(unwanted: list[str], have: list[str]) -> bool:
    return not any(item in have for item in unwanted)
