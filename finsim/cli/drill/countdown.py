"""The drill's clock as the terminal shows it: the one-minute warning, time up, overtime.

The session measures the time (:meth:`finsim.drill.DrillSession.time_left`,
resumed drills included); this module only decides when to warn and when to
stop. Tests pass a fake ``time_left``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

WARN_AT_S = 60.0
"""Seconds left when the student is warned once."""


@dataclass
class Countdown:
    """When to warn and when to stop, from a source of the seconds left."""

    time_left: Callable[[], float]
    """Seconds left of the time allowed (negative in overtime)."""
    overtime: bool = False
    """Go on after time is up (the transcript then records the overtime)."""
    warn_at_s: float = WARN_AT_S
    _warned: bool = field(default=False, init=False)
    _overtime_announced: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        # A drill that starts (or resumes) with a minute or less left is not warned again.
        self._warned = self.time_left() <= self.warn_at_s

    def remaining(self) -> float:
        """Return the seconds left (negative in overtime)."""
        return self.time_left()

    def expired(self) -> bool:
        """Tell whether the time allowed has run out."""
        return self.remaining() <= 0

    def ends_drill(self) -> bool:
        """Tell whether time is up and overtime is not allowed."""
        return self.expired() and not self.overtime

    def overtime_s(self) -> float:
        """Return the seconds played beyond the limit."""
        return max(0.0, -self.remaining())

    def take_warning(self) -> bool:
        """Tell, once only, that a minute or less is left (and time is not up yet)."""
        left = self.remaining()
        if self._warned or left > self.warn_at_s or left <= 0:
            return False
        self._warned = True
        return True

    def take_overtime_notice(self) -> bool:
        """Tell, once only, that overtime has begun (with ``overtime`` set)."""
        if self._overtime_announced or not (self.overtime and self.expired()):
            return False
        self._overtime_announced = True
        return True

    def seconds_to_warning(self) -> float | None:
        """Return the seconds until the warning is due; ``None`` if none is pending."""
        left = self.remaining()
        if self._warned or left <= 0:
            return None
        return max(0.0, left - self.warn_at_s)

    def seconds_to_expiry(self) -> float | None:
        """Return the seconds until time is up; ``None`` once it is."""
        left = self.remaining()
        return left if left > 0 else None


def format_clock(seconds: float) -> str:
    """Show seconds as ``m:ss``, rounded up (so 0:00 means really over)."""
    whole = int(-(-abs(seconds) // 1))
    return f"{'-' if seconds < 0 else ''}{whole // 60}:{whole % 60:02d}"
