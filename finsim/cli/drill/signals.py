"""Signals during a drill: a closed terminal (SIGHUP) and Ctrl-C become exceptions in the loop.

A signal that arrives while the session is recording a turn is held back until
the turn is written (:meth:`SignalGuard.critical`), so an interruption never
tears a line of the transcript.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class TerminalClosed(Exception):  # noqa: N818 - an event, not an error
    """The terminal went away (SIGHUP)."""


class SignalGuard:
    """Turns SIGHUP into :class:`TerminalClosed` and SIGINT into KeyboardInterrupt, safely."""

    def __init__(self) -> None:
        self._depth = 0
        self._pending: BaseException | None = None

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        exc: BaseException = KeyboardInterrupt() if signum == signal.SIGINT else TerminalClosed()
        if self._depth:
            self._pending = self._pending or exc
            return
        raise exc

    @contextmanager
    def installed(self) -> Iterator[None]:
        """Install the handlers (main thread only; elsewhere this does nothing)."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        wanted = [s for s in (getattr(signal, "SIGHUP", None), signal.SIGINT) if s is not None]
        previous = {s: signal.signal(s, self._handle) for s in wanted}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    @contextmanager
    def critical(self) -> Iterator[None]:
        """Hold signals back while the body runs; raise the held one afterwards."""
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
        if not self._depth and self._pending is not None:
            exc, self._pending = self._pending, None
            raise exc

    @contextmanager
    def shielded(self) -> Iterator[None]:
        """Hold signals back and drop them (the drill is already ending)."""
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if not self._depth:
                self._pending = None
