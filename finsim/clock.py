"""Wall-clock time stamps, written the same way in transcripts and in the class store."""

from __future__ import annotations

from datetime import datetime


def now_iso() -> str:
    """Return the current local time, ISO 8601 with its offset (second precision)."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def shown_time(stamp: str) -> str:
    """Say an ISO 8601 stamp the way people read it (``2026-03-02 14:05``), in its own zone.

    A stamp that is not ISO 8601 is shown as it is.
    """
    try:
        return datetime.fromisoformat(stamp).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp
