"""A running ``finsim`` on a pseudo-terminal, for the end-to-end tests."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pexpect


class Terminal:
    """A running ``finsim`` on a pseudo-terminal, with the data directory it writes to."""

    TIMEOUT = 20

    def __init__(self, data_dir: Path, *args: str) -> None:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("FINSIM_") and key not in {"COLUMNS", "LINES"}
        }
        env.update(
            PROMPT_TOOLKIT_NO_CPR="1",
            FINSIM_DATA_DIR=str(data_dir),
            TERM="xterm",
            COLUMNS="120",
            LINES="40",
            PYTHONUNBUFFERED="1",
        )
        self.data_dir = data_dir
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "finsim", *args],
            env=env,
            encoding="utf-8",
            timeout=self.TIMEOUT,
            dimensions=(40, 120),
        )

    def expect(self, text: str) -> None:
        """Wait for a literal text on the screen."""
        self.child.expect_exact(text)

    def say(self, line: str) -> None:
        """Type a line and press Enter."""
        self.child.send(line + "\r")

    def finish(self) -> int:
        """Wait for the program to exit; return its exit status."""
        self.child.expect(pexpect.EOF)
        self.child.close()
        status = self.child.exitstatus
        assert status is not None, f"killed by signal {self.child.signalstatus}"
        return status

    def transcripts(self) -> list[Path]:
        return sorted((self.data_dir / "transcripts").glob("*.jsonl"))

    def close_window(self) -> int:
        """Close the terminal under the program (the pty master); return its exit code."""
        os.close(self.child.child_fd)
        self.child.closed = True  # pexpect must not close the descriptor again
        deadline = time.monotonic() + self.TIMEOUT
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.child.pid, os.WNOHANG)
            if pid:  # reaped here: tell pexpect and its pty process
                self.child.terminated = self.child.ptyproc.terminated = True
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.05)
        raise AssertionError("finsim still runs after its terminal was closed")
