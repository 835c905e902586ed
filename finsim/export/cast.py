r"""The asciicast v2 recording (录像) of a drill, for asciinema's player.

The file is UTF-8 JSON Lines: a header ``{"version": 2, "width", "height",
"timestamp", "title", "env"}``, then output events ``[time, "o", data]`` in
non-decreasing time order. ``data`` is what a terminal received: the drill's
rendering with its ANSI colours, with CRLF line ends (a terminal's output
translation turns ``\n`` into ``\r\n``; the player does no such thing).
Chinese text is written as is, not ``\u`` escaped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

CAST_VERSION = 2

_LONE_NEWLINE = re.compile(r"(?<!\r)\n")


@dataclass(frozen=True)
class Frame:
    """Terminal output at a time (seconds since the recording started)."""

    time: float
    data: str


def crlf(text: str) -> str:
    r"""Turn every newline not already preceded by ``\r`` into ``\r\n``."""
    return _LONE_NEWLINE.sub("\r\n", text)


def unix_time(iso: str) -> int | None:
    """Return the Unix time of an ISO 8601 timestamp (``None`` when it cannot be read)."""
    try:
        return int(datetime.fromisoformat(iso).timestamp())
    except ValueError:
        return None


def cast_text(
    frames: Iterable[Frame],
    *,
    width: int,
    height: int,
    title: str,
    timestamp: int | None = None,
) -> str:
    """Return the asciicast v2 file: the header line, then one line per non-empty frame."""
    header: dict[str, Any] = {"version": CAST_VERSION, "width": width, "height": height}
    if timestamp is not None:
        header["timestamp"] = timestamp
    header["title"] = title
    header["env"] = {"TERM": "xterm-256color", "SHELL": "/bin/sh"}
    lines = [_dumps(header)]
    last = 0.0
    for frame in frames:
        if not frame.data:
            continue
        last = max(last, round(frame.time, 6))
        lines.append(_dumps([last, "o", crlf(frame.data)]))
    return "\n".join(lines) + "\n"


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
