"""Reading the students' lines: a prompt_toolkit prompt with a live clock, or plain lines.

The drill loop asks a :data:`LineReader` for each line. The terminal reader
shows a status bar redrawn every second (step, time left), prints the
one-minute warning above the prompt while the student types, and ends the
prompt when time is up (:class:`TimeUp` carries what was typed). The plain
reader serves pipes and tests: it has no live clock, the loop checks the time
between lines.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from finsim.cli.drill.countdown import Countdown
from finsim.cli.drill.signals import TerminalClosed

if TYPE_CHECKING:
    from prompt_toolkit.formatted_text import AnyFormattedText


class TimeUp(Exception):  # noqa: N818 - an event, not an error
    """The time allowed ran out while a line was being typed."""

    def __init__(self, partial: str = "") -> None:
        super().__init__(partial)
        self.partial = partial


@dataclass(frozen=True)
class PromptRequest:
    """One line to read."""

    label: str
    """What the prompt shows before the cursor, e.g. ``客户经理 › ``."""
    clock: Callable[[], list[tuple[str, str]]] | None = None
    """Shown before the label (time left) as (style, text) fragments, redrawn every second."""
    status: Callable[[], list[tuple[str, str]]] | None = None
    """The status bar as (style, text) fragments, re-evaluated at each redraw."""
    countdown: Countdown | None = None
    """The drill clock: ends the prompt at time up unless overtime is allowed."""
    announce: Callable[[], None] | None = None
    """Prints due notices (one-minute warning, overtime) above the prompt."""


_SIGHUP = getattr(signal, "SIGHUP", None)

LineReader = Callable[[PromptRequest], str]
"""Reads one line; raises EOFError (Ctrl-D), KeyboardInterrupt (Ctrl-C) or :class:`TimeUp`."""


class PlainReader:
    """Reads lines from a text stream (a pipe, a test's input), after writing the label."""

    def __init__(
        self, stream: TextIO | None = None, out: TextIO | None = None, *, echo: bool = False
    ) -> None:
        self._stream = stream
        self._out = out
        self._echo = echo

    def __call__(self, request: PromptRequest) -> str:
        """Read one line; time is checked before reading (there is no live clock)."""
        if request.countdown is not None and request.countdown.ends_drill():
            raise TimeUp("")
        out = self._out or sys.stdout
        out.write(_plain(request.clock) + request.label)
        out.flush()
        line = (self._stream or sys.stdin).readline()
        if not line:
            raise EOFError
        text = line.rstrip("\r\n")
        if self._echo:  # input from a pipe is not shown by a terminal: show it
            out.write(text + "\n")
        return text


class ToolkitReader:
    """A prompt_toolkit prompt with history, a live status bar and a timer."""

    REFRESH_S = 1.0

    def __init__(self) -> None:
        from prompt_toolkit import PromptSession

        self._session: PromptSession[str] = PromptSession()

    def __call__(self, request: PromptRequest) -> str:
        """Read one line; the status bar redraws every second while the student types."""
        from prompt_toolkit.formatted_text import FormattedText

        session = self._session

        def pre_run() -> None:
            app = session.app
            if _SIGHUP is not None:  # a closed terminal ends the prompt from inside its loop
                hangup = TerminalClosed()
                asyncio.get_running_loop().add_signal_handler(_SIGHUP, _end_prompt, app, hangup)
            if request.countdown is not None:
                app.create_background_task(_watch(app, request))

        def message() -> AnyFormattedText:
            return FormattedText([*(request.clock() if request.clock else []), ("", request.label)])

        def toolbar() -> AnyFormattedText:
            return FormattedText(request.status()) if request.status else None

        previous = signal.getsignal(_SIGHUP) if _SIGHUP is not None else None
        try:
            return session.prompt(
                message,
                bottom_toolbar=toolbar if request.status else None,
                refresh_interval=self.REFRESH_S if request.countdown is not None else 0,
                pre_run=pre_run,
            )
        finally:
            if _SIGHUP is not None:  # the closed event loop left SIGHUP at its default
                signal.signal(_SIGHUP, previous)


def _end_prompt(app: Any, exc: BaseException) -> None:
    """End a running prompt with ``exc`` (once: a later call does nothing)."""
    if app.is_running and not app.is_done:
        app.exit(exception=exc)


def _plain(fragments: Callable[[], list[tuple[str, str]]] | None) -> str:
    return "".join(text for _, text in fragments()) if fragments else ""


async def _watch(app: Any, request: PromptRequest) -> None:
    """Sleep until the next notice or the deadline; print notices; end the prompt at time up."""
    from prompt_toolkit.application import run_in_terminal

    countdown = request.countdown
    assert countdown is not None
    while True:
        if countdown.ends_drill():
            _end_prompt(app, TimeUp(app.current_buffer.text))
            return
        pending = (countdown.seconds_to_warning(), countdown.seconds_to_expiry())
        waits = [w for w in pending if w is not None]
        if not waits:
            return
        await asyncio.sleep(max(min(waits), 0.05))
        if request.announce is not None and not countdown.ends_drill():
            await run_in_terminal(request.announce)
