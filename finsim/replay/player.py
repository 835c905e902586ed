"""Playing a replay plan in time: waiting for each cue, pausing and stopping on keys.

The player keeps an absolute schedule (the time spent showing an event is not
added to the next wait) and stops the clock while paused. Keys come from a
:class:`KeySource`: the terminal's keyboard (space pauses and resumes, ``q``
stops) or :class:`NoKeys`, which only sleeps, when stdin is not a terminal.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal, Protocol

from finsim.replay.timeline import ReplayPlan
from finsim.transcript.reader import BodyEvent

PAUSE_POLL_S = 0.25
"""How often a paused player looks at the keyboard again."""

PAUSE_KEYS = frozenset({" "})
STOP_KEYS = frozenset({"q", "Q"})

PlayResult = Literal["finished", "stopped"]
"""``finished``: every cue shown; ``stopped``: the viewer pressed ``q``."""


class KeySource(Protocol):
    """Where key presses come from."""

    def wait(self, timeout: float) -> str | None:
        """Wait up to ``timeout`` seconds for a key; return it, or ``None`` when none came."""


class NoKeys:
    """No keyboard (stdin is a pipe or a file): waiting is sleeping."""

    def __init__(self, sleep: Callable[[float], None] = time.sleep) -> None:
        self._sleep = sleep

    def wait(self, timeout: float) -> str | None:
        """Sleep ``timeout`` seconds; no key ever comes."""
        if timeout > 0:
            self._sleep(timeout)
        return None


class Player:
    """Shows a plan's cues at their times through ``show``; ``on_pause(paused)`` on each toggle."""

    def __init__(
        self,
        plan: ReplayPlan,
        show: Callable[[BodyEvent], None],
        keys: KeySource,
        *,
        clock: Callable[[], float] = time.monotonic,
        on_pause: Callable[[bool], None] = lambda paused: None,
    ) -> None:
        self._plan = plan
        self._show = show
        self._keys = keys
        self._clock = clock
        self._on_pause = on_pause
        self._started = 0.0
        self._paused_total = 0.0
        self.paused = False

    def position(self) -> float:
        """Seconds of replay played so far (time spent paused excluded)."""
        return self._clock() - self._started - self._paused_total

    def run(self) -> PlayResult:
        """Play every cue in order; return early when the viewer stops it."""
        self._started = self._clock()
        for cue in self._plan.cues:
            if not self._wait_until(cue.at):
                return "stopped"
            self._show(cue.event)
        return "finished"

    def _wait_until(self, at: float) -> bool:
        """Wait until ``at`` on the replay clock; ``False`` when the viewer stopped."""
        while True:
            if self.paused:
                began = self._clock()
                key = self._keys.wait(PAUSE_POLL_S)
                self._paused_total += self._clock() - began
            else:
                remaining = at - self.position()
                key = self._keys.wait(max(0.0, remaining))
                if key is None and remaining <= 0:
                    return True
            if key in STOP_KEYS:
                return False
            if key in PAUSE_KEYS:
                self.paused = not self.paused
                self._on_pause(self.paused)
