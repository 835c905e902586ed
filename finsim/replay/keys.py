"""The terminal's keyboard as a :class:`~finsim.replay.player.KeySource` (POSIX terminals).

While active, the terminal is in cbreak mode: keys arrive one at a time
without Enter and are not echoed; Ctrl-C still interrupts. The previous mode
is restored on leaving, also after an exception.
"""

from __future__ import annotations

import os
import select
import sys
import time
from types import TracebackType
from typing import Any, TextIO


class TerminalKeys:
    """Reads single key presses from a terminal without blocking longer than asked."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stdin
        self._fd = self._stream.fileno()
        self._saved: list[Any] | None = None
        self._eof = False

    def __enter__(self) -> TerminalKeys:
        """Put the terminal in cbreak mode."""
        import termios
        import tty

        self._saved = termios.tcgetattr(self._fd)
        tty.setcbreak(self._fd)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Restore the terminal mode."""
        import termios

        if self._saved is not None:
            termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)
            self._saved = None

    def wait(self, timeout: float) -> str | None:
        """Wait up to ``timeout`` seconds for a key; return it (``None`` if none came)."""
        if self._eof:  # the terminal is gone: no more keys, only waiting
            time.sleep(max(0.0, timeout))
            return None
        ready, _, _ = select.select([self._fd], [], [], max(0.0, timeout))
        if not ready:
            return None
        data = os.read(self._fd, 1)
        self._eof = not data
        return data.decode("latin-1") if data else None


def keyboard_available(stream: TextIO | None = None) -> bool:
    """Whether key presses can be read: stdin is a terminal on a POSIX system."""
    stream = stream or sys.stdin
    try:
        import termios  # noqa: F401
    except ImportError:
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
