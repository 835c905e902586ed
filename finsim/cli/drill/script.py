"""``finsim drill --script``: a drill script played by the core, the dialogue printed as it goes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.rule import Rule

from finsim.cli.context import AppContext
from finsim.cli.drill import render
from finsim.cli.drill.names import Names
from finsim.cli.drill.roles import participants_for
from finsim.client import ClientReply
from finsim.drill import DrillSession, parse_script, run_script
from finsim.drill.script import read_script
from finsim.i18n import tr
from finsim.transcript.model import EndReason, Level, Mode
from finsim.vocabulary import role_name


def play_script(
    state: AppContext,
    scenario_ref: str | None,
    script_path: Path,
    seed: int,
    out: Path | None,
    students: Sequence[str],
    roles: str | None,
    group: str | None,
    *,
    level: Level = "normal",
) -> None:
    """Play ``script_path`` against the scenario; print the dialogue, then the summary card."""
    scenario = state.catalog().resolve(scenario_ref).scenario
    text = read_script(script_path)
    lines = parse_script(text, source=str(script_path))
    mode: Mode = "pair" if any(line.kind == "client" for line in lines) else "solo"
    participants = participants_for(students, roles, mode, scenario)
    names = Names(scenario)
    console = state.console

    step = -1

    def on_reply(line: str, reply: ClientReply | None) -> None:
        nonlocal step
        if not line:  # the opening of a step (or /end: no reply)
            if reply is not None:
                step += 1
                console.print(Rule(scenario.steps[step].name))
                _client(reply)
            return
        if reply is None:
            render.say(console, role_name("client"), line, render.CLIENT_STYLE)
            return
        render.say(console, role_name("manager"), line, render.MANAGER_STYLE)
        _client(reply)
        render.render_annotations(console, reply.annotations, names)

    def _client(reply: ClientReply) -> None:
        if mode == "pair":
            render.note(
                console, tr("参考答复：", "Suggested reply: ") + reply.text, "italic magenta"
            )
        else:
            render.say(console, role_name("client"), reply.text, render.CLIENT_STYLE)

    def on_end(session: DrillSession) -> None:
        reason: EndReason = "walked_out" if session.client_left else "finished"
        render.render_end_card(console, session.summary(), reason, session.path, names)

    run_script(
        scenario,
        text,
        seed,
        out,
        source=str(script_path),
        participants=participants,
        group=group,
        on_reply=on_reply,
        on_end=on_end,
        level=level,
    )
