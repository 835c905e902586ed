"""Starting a drill at the terminal: the choices, the session, the reader, the loop.

Kept apart from the option parsing (:mod:`finsim.cli.drill_cmds`) so that the
drill's heavy imports (the engine, the recogniser, prompt_toolkit) load only
when a drill really starts.
"""

from __future__ import annotations

import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path

from finsim.cli.context import AppContext
from finsim.cli.drill.countdown import Countdown
from finsim.cli.drill.loop import DrillLoop
from finsim.cli.drill.menus import DrillChoices, QuestionaryChooser, ask_choices
from finsim.cli.drill.readers import LineReader, PlainReader, ToolkitReader
from finsim.cli.drill.roles import Role, participants_for
from finsim.drill import DrillSession
from finsim.errors import UsageError
from finsim.i18n import tr
from finsim.transcript import read_transcript
from finsim.transcript.model import EndReason, Level, Mode


@dataclass(frozen=True)
class DrillOptions:
    """What ``finsim drill`` was asked for (``None``: not given)."""

    scenario: str | None = None
    mode: Mode | None = None
    minutes: float | None = None
    overtime: bool = False
    students: list[str] = field(default_factory=list)
    group: str | None = None
    roles: str | None = None
    seed: int | None = None
    out: Path | None = None
    menu: bool | None = None
    level: Level = "normal"


def start_drill(state: AppContext, options: DrillOptions) -> EndReason:
    """Ask for what is missing (menus, on a terminal), start a session and play it."""
    choices = DrillChoices(options.scenario, options.mode, list(options.students))
    if _wants_menu(options):
        choices = ask_choices(QuestionaryChooser(), state.catalog(), choices)
    loaded = state.catalog().resolve(choices.scenario)
    mode = choices.mode or "solo"
    if mode == "pair" and options.level != "normal":
        raise UsageError(
            tr(
                "--level 只用于单人演练：双人演练里客户由学生扮演",
                "--level is for solo drills: in a pair drill a student plays the client",
            )
        )
    session = DrillSession(
        loaded.scenario,
        seed=options.seed if options.seed is not None else secrets.randbelow(1_000_000),
        mode=mode,
        participants=participants_for(choices.students, options.roles, mode, loaded.scenario),
        group=options.group,
        time_limit_s=options.minutes * 60 if options.minutes is not None else None,
        transcript_path=options.out,
        level=options.level,
    )
    return play(state, session, options.overtime, resumed=False)


def resume_drill(state: AppContext, path: Path, overtime: bool) -> EndReason:
    """Continue an interrupted drill from its transcript (in pair mode, with whoever is due)."""
    session = DrillSession.resume(path)
    turns = read_transcript(path).turns()
    waiting = session.mode == "pair" and bool(turns) and turns[-1].speaker == "manager"
    return play(
        state, session, overtime, resumed=True, first_role="client" if waiting else "manager"
    )


def play(
    state: AppContext,
    session: DrillSession,
    overtime: bool,
    *,
    resumed: bool,
    first_role: Role = "manager",
) -> EndReason:
    """Run the loop on this terminal (or pipe) until the drill ends; return how it ended."""
    loop = DrillLoop(
        session=session,
        console=state.console,
        read=_reader(),
        countdown=Countdown(session.time_left, overtime=overtime),
        participants=session.header.participants,
        resumed=resumed,
        first_role=first_role,
    )
    return loop.run()


def _reader() -> LineReader:
    """Choose the reader: a prompt with a live clock on a terminal, plain lines otherwise."""
    return ToolkitReader() if _on_terminal() else PlainReader(echo=not sys.stdin.isatty())


def _on_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _wants_menu(options: DrillOptions) -> bool:
    if options.menu and not _on_terminal():
        raise UsageError(
            tr(
                "--menu 需要在终端里使用；请用选项给出场景和模式",
                "--menu needs a terminal; give the choices as options",
            )
        )
    if options.menu is not None:
        return options.menu
    return _on_terminal() and options.scenario is None and options.mode is None
