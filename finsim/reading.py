"""Reading a file's bytes without hanging on a named pipe that nobody writes into.

``open()`` on a FIFO blocks until a writer appears, so ``finsim verify fifo``
would wait for ever. :func:`read_bytes` opens without blocking; a FIFO then gets
:data:`PIPE_WAIT_SECONDS` for a writer to start (``mkfifo p; finsim score p &
producer > p``), after which it is read to its end like a file. A pipe nobody
writes into within that time is a :class:`TimeoutError` (an ``OSError``)
whose ``strerror`` says so and what to do.
"""

from __future__ import annotations

import errno
import os
import select
import stat
from pathlib import Path

from finsim.i18n import tr

PIPE_WAIT_SECONDS = 2.0
"""How long a named pipe may stay without a writer before reading it fails."""


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """Return the bytes of ``path`` (at most ``limit`` + 1 of them); failures are ``OSError``."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if stat.S_ISFIFO(os.fstat(fd).st_mode):
            _await_writer(fd)
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as stream:
            return stream.read() if limit is None else stream.read(limit + 1)
    finally:
        os.close(fd)


def _await_writer(fd: int) -> None:
    """Wait until a writer has sent bytes into the pipe or closed it, or fail after the bound.

    A pipe opened without blocking reads as empty while no writer is connected;
    ``poll`` waits for the first bytes (or for a writer that came and went).
    """
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    if not poller.poll(int(PIPE_WAIT_SECONDS * 1000)):
        raise TimeoutError(
            errno.ETIMEDOUT,
            tr(
                f"这是一个命名管道，等了 {PIPE_WAIT_SECONDS:g} 秒也没有程序向它写入；"
                "请先启动向它写入的程序，或改用普通文件",
                f"a named pipe that no program wrote into within {PIPE_WAIT_SECONDS:g} s; "
                "start the program that writes into it first, or use a regular file",
            ),
        )
