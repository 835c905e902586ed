"""Helpers shared by the replay, export and showcase tests (no tests of its own)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from finsim.drill.script import run_script
from finsim.scenario import ScenarioCatalog
from finsim.scenario.models import Scenario
from finsim.transcript.model import Participant, TurnEvent
from finsim.transcript.reader import read_transcript

SCRIPTS = Path(__file__).parent / "scripts"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

HOSTILE_LINE = "您好<script>alert('x')</script>我是小王"
"""A manager line that would run as a script if the HTML did not escape it."""


class StepClock:
    """A fake monotonic clock that advances ``step`` seconds every time it is read."""

    def __init__(self, step: float) -> None:
        self.now = 0.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def scenario(scenario_id: str = "retired-teacher") -> Scenario:
    """A shipped scenario."""
    return ScenarioCatalog([]).resolve(scenario_id).scenario


def play(
    out: Path,
    script: str,
    *,
    scenario_id: str = "retired-teacher",
    participants: Sequence[Participant] = (),
    group: str | None = None,
    step_s: float = 2.5,
) -> Path:
    """Play a drill script (text) into ``out`` with a clock that ticks ``step_s`` a read."""
    run_script(
        scenario(scenario_id),
        script,
        seed=3,
        out_path=out,
        participants=participants,
        group=group,
        clock=StepClock(step_s),
    )
    return out


def play_careful(out: Path, **kwargs: object) -> Path:
    """The careful retired-teacher script (five steps, a purchase)."""
    text = (SCRIPTS / "retired-teacher-careful.txt").read_text(encoding="utf-8")
    return play(out, text, **kwargs)  # type: ignore[arg-type]


def turn_texts(path: Path) -> list[TurnEvent]:
    """Every utterance of a transcript, in order."""
    return read_transcript(path).turns()


def plain(text: str) -> str:
    """Remove ANSI colour codes."""
    return ANSI.sub("", text)


def in_order(output: str, parts: Sequence[str]) -> bool:
    """Whether every part occurs in ``output``, each after the previous one."""
    position = 0
    for part in parts:
        found = output.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True
