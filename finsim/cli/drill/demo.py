"""``finsim demo``: a bundled drill script played through the real drill loop at reading pace.

The script of a scenario lives beside the shipped scenarios as
``demo/<scenario-id>.txt`` (drill-script format). The demo's transcript is
temporary: a demo is something to watch, not a record of a student.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from rich.console import Console

from finsim.cli.context import AppContext
from finsim.cli.drill import render
from finsim.cli.drill.countdown import Countdown
from finsim.cli.drill.loop import DrillLoop
from finsim.cli.drill.readers import PromptRequest
from finsim.drill import DrillSession, ScriptLine, parse_script
from finsim.drill.script import read_script
from finsim.errors import NotFoundError
from finsim.i18n import tr
from finsim.resources import shipped_dir
from finsim.scenario import LoadedScenario
from finsim.transcript.model import EndReason

PAUSE_S = 1.5
"""Pause before each line at speed 1: time to read what came before."""
PER_CHAR_S = 0.12
"""Added per character of the line, as if it were being typed and read."""

_COMMANDS = {"next": "/next", "end": "/end"}


def demo_script_path(scenario_id: str) -> Path:
    """Return the path of a scenario's bundled demo script (it may not exist)."""
    return shipped_dir("scenarios") / "demo" / f"{scenario_id}.txt"


class DemoReader:
    """A line reader that 'types' the script's lines, pausing at reading pace."""

    def __init__(
        self,
        lines: list[ScriptLine],
        console: Console,
        speed: float,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._lines: Iterator[ScriptLine] = iter(lines)
        self._console = console
        self._speed = speed
        self._sleep = sleep

    def __call__(self, request: PromptRequest) -> str:
        """Type the next line of the script (``/end`` once it runs out)."""
        line = next(self._lines, None)
        text = "/end" if line is None else _COMMANDS.get(line.kind, line.text)
        self._sleep((PAUSE_S + PER_CHAR_S * len(text)) / self._speed)
        self._console.print(request.label + text, markup=False, highlight=False)
        return text


def play_demo(
    state: AppContext,
    loaded: LoadedScenario,
    speed: float,
    sleep: Callable[[float], None] = time.sleep,
) -> EndReason:
    """Play the scenario's demo script through the drill loop; return how it ended."""
    scenario = loaded.scenario
    path = demo_script_path(scenario.id)
    if not path.is_file():
        raise NotFoundError(
            tr(
                f"场景 “{scenario.id}” 没有自带示范演练（{path}）；"
                "试试 finsim demo retired-teacher",
                f"scenario '{scenario.id}' has no bundled demo ({path}); "
                "try finsim demo retired-teacher",
            )
        )
    lines = parse_script(read_script(path), source=str(path))
    render.note(
        state.console,
        tr(
            "示范演练：下面是一位客户经理走完整个流程的样子。"
            "灰色小字是系统对每句话的判读。按 Ctrl-C 随时退出。",
            "Demo: a client manager goes through the whole process. "
            "The grey notes are how finsim reads each line. Ctrl-C stops it.",
        ),
        "bold",
    )
    pair = any(line.kind == "client" for line in lines)
    with tempfile.TemporaryDirectory(prefix="finsim-demo-") as tmp:
        session = DrillSession(
            scenario,
            seed=0,
            mode="pair" if pair else "script",
            transcript_path=Path(tmp) / "demo.jsonl",
            script_name=path.name,
        )
        return DrillLoop(
            session=session,
            console=state.console,
            read=DemoReader(lines, state.console, speed, sleep),
            countdown=Countdown(lambda: float("inf"), overtime=True),
            confirm=False,
            show_path=False,
        ).run()
