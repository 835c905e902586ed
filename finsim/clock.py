"""Wall-clock time stamps, written the same way in transcripts and in the class store."""

from __future__ import annotations

from datetime import datetime


def now_iso() -> str:
    """Return the current local time, ISO 8601 with its offset (second precision)."""
    return datetime.now().astimezone().isoformat(timespec="seconds")
