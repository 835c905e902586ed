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
from finsim.drill.session import MAX_LINE_CHARS, DrillSession
from finsim.errors import InputFileError, Location
from finsim.i18n import tr
from finsim.scenario.models import Scenario
from finsim.transcript.model import Level, Mode, Outcome, Participant
from finsim.yamlio import read_text_file

MAX_SCRIPT_BYTES = 1 << 20
"""A drill script is a few hundred lines; anything this large is the wrong file."""

_SPEAKERS: dict[str, ScriptKind] = {"m": "manager", "c": "client"}
_COMMANDS: dict[str, ScriptKind] = {"/next": "next", "/end": "end"}

ScriptKind = Literal["manager", "client", "next", "end"]
"""What a script line does."""


@dataclass(frozen=True)
class ScriptLine:
    """One meaningful line of a script, with its 1-based line number."""

    kind: ScriptKind
    text: str
    line: int


def read_script(path: Path) -> str:
    """Read a script file as UTF-8 (at most 1 MB); every failure is an InputFileError."""
    return read_text_file(path, MAX_SCRIPT_BYTES)


def parse_script(text: str, source: str = "<script>") -> list[ScriptLine]:
    """Parse a script; a bad line raises InputFileError ``source:line: what is wrong``."""
    result = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line and not line.startswith("#"):
            result.append(_parse_line(line, number, source))
    if not any(item.kind == "manager" for item in result):
        raise InputFileError(
            tr("脚本里没有一句客户经理的话", "the script has no line of the manager"),
            Location(source),
        )
    return result


def _parse_line(line: str, number: int, source: str) -> ScriptLine:
    if line.startswith("/"):
        command = line.split()[0].lower()
        if command not in _COMMANDS or line.lower() != command:
            raise InputFileError(
                tr(
                    f"不认识的命令 “{line}”；脚本里只能用 /next 和 /end",
                    f"unknown command '{line}'; a script may use /next and /end only",
                ),
                Location(source, number),
            )
        return ScriptLine(_COMMANDS[command], "", number)
    prefix, colon, rest = line[:2].lower(), line[1:2], line[2:].strip()
    if len(line) >= 2 and colon in (":", "：") and prefix[0] in _SPEAKERS:
        if not rest:
            raise InputFileError(
                tr(f"“{line[:2]}” 后面没有内容", f"nothing after '{line[:2]}'"),
                Location(source, number),
            )
        return _checked(ScriptLine(_SPEAKERS[prefix[0]], rest, number), source)
    if colon in (":", "：") and line[0].isascii() and line[0].isalpha():
        raise InputFileError(
            tr(
                f"不认识的说话人 “{line[:2]}”；请用 M:（客户经理）或 C:（客户），"
                "不加前缀的一行算客户经理说的",
                f"unknown speaker '{line[:2]}'; use M: (manager) or C: (client); a line"
                " without one is the manager's",
            ),
            Location(source, number),
        )
    return _checked(ScriptLine("manager", line, number), source)


def _checked(item: ScriptLine, source: str) -> ScriptLine:
    """Refuse an utterance the session would refuse, before anything is written."""
    if len(item.text) > MAX_LINE_CHARS:
        raise InputFileError(
            tr(
                f"一句话最多 {MAX_LINE_CHARS} 个字符（这句有 {len(item.text)} 个）；请把它分成几行",
                f"an utterance is at most {MAX_LINE_CHARS} characters (this has"
                f" {len(item.text)}); split it over several lines",
            ),
            Location(source, item.line),
        )
    return item


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
    on_end: Callable[[DrillSession], None] | None = None,
    level: Level = "normal",
) -> Outcome:
    """Play a script through a :class:`DrillSession` and return the client's decision.

    The whole script is parsed and checked first (a bad line, or a ``/next``
    past the last step, fails before anything is written). A script with
    client lines is played in pair mode, otherwise in ``script`` mode (the
    engine answers). ``out_path`` ``None`` writes to the data directory.
    ``delay_s`` waits before each line (reading pace for a demo, or a slow run
    in tests); ``on_reply(line_text, reply)`` is called after each line
    (``reply`` is ``None`` for client lines and commands). The drill ends as
    ``finished`` at ``/end`` or the end of the script, or as ``walked_out``
    when the virtual client leaves (the rest of the script is not played);
    lines after ``/end`` are an error. ``level`` is the drill's difficulty.
    ``on_end(session)`` is called once the drill has ended (for a
    summary card: ``session.summary()``, ``session.path``).
    """
    lines = parse_script(script_text, source)
    _check_steps(lines, len(scenario.steps), source)
    mode: Mode = "pair" if any(item.kind == "client" for item in lines) else "script"
    session = DrillSession(
        scenario,
        seed=seed,
        mode=mode,
        participants=participants,
        group=group,
        transcript_path=out_path,
        script_name=Path(source).name,
        clock=clock,
        level=level,
    )
    with session:
        opening = session.opening()
        if on_reply:
            on_reply("", opening)
        for item in lines:
            if delay_s:
                time.sleep(delay_s)
            reply = _play(session, item)
            if on_reply:
                on_reply(item.text, reply)
            if session.client_left:
                break
        outcome = session.end("walked_out" if session.client_left else "finished")
        if on_end:
            on_end(session)
        return outcome


def _play(session: DrillSession, item: ScriptLine) -> ClientReply | None:
    if item.kind == "manager":
        return session.manager_says(item.text)
    if item.kind == "client":
        session.client_says(item.text)
    elif item.kind == "next":
        return session.next_step()
    return None


def _check_steps(lines: list[ScriptLine], steps: int, source: str) -> None:
    """Reject a ``/next`` past the last step and anything after ``/end``."""
    index = 0
    ended = False
    for item in lines:
        if ended:
            raise InputFileError(
                tr("/end 之后不能再有内容", "nothing may follow /end"), Location(source, item.line)
            )
        if item.kind == "next":
            index += 1
            if index >= steps:
                raise InputFileError(
                    tr(
                        f"/next 超出了场景的步骤数（共 {steps} 步）",
                        f"/next goes past the last step (the scenario has {steps})",
                    ),
                    Location(source, item.line),
                )
        ended = item.kind == "end"
