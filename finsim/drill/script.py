"""Drill scripts (DESIGN §5): scripted play of a whole drill without a terminal.

Format: UTF-8 text, one utterance a line. Blank lines and lines starting with
``#`` are skipped. A plain line or ``M: text`` is the manager's; ``C: text`` is
the client's (a script with client lines is played in pair mode: the engine
annotates the manager but the client's words are the script's). ``/next``
moves to the next step, ``/end`` ends the drill. ``M：``/``C：`` with a
full-width colon and lower-case ``m:``/``c:`` are accepted too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from finsim.client import ClientReply
from finsim.scenario.models import Scenario
from finsim.transcript.model import Outcome, Participant

ScriptKind = Literal["manager", "client", "next", "end"]


@dataclass(frozen=True)
class ScriptLine:
    """One meaningful line of a script, with its 1-based line number."""

    kind: ScriptKind
    text: str
    line: int


def read_script(path: Path) -> str:
    """Read a script file as UTF-8; unreadable or not UTF-8 → InputFileError."""
    raise NotImplementedError


def parse_script(text: str, source: str = "<script>") -> list[ScriptLine]:
    """Parse a script; a bad line raises InputFileError ``source:line: what is wrong``."""
    raise NotImplementedError


def run_script(
    scenario: Scenario,
    script_text: str,
    seed: int = 0,
    out_path: Path | None = None,
    *,
    source: str = "<script>",
    participants: Sequence[Participant] = (),
    group: str | None = None,
    delay_s: float = 0.0,
    on_reply: Callable[[str, ClientReply | None], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Outcome:
    """Play a script through a :class:`DrillSession` and return the client's decision.

    The whole script is parsed first (a bad line fails before anything is
    written). ``out_path`` ``None`` writes to the data directory. ``delay_s``
    waits between lines (reading pace for a demo, or a slow run in tests);
    ``on_reply(line_text, reply)`` is called after each line (``reply`` is
    ``None`` for client lines and commands). A ``/next`` past the last step
    raises InputFileError naming the line. The drill ends as ``finished``.
    """
    raise NotImplementedError
