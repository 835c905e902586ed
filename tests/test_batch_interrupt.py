"""Ctrl-C during `finsim batch rescore`: one message, exit 130, no traceback, no summary."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from test_seal_support import SCRIPTS, script_scenario

from finsim.drill import run_script

CAREFUL = SCRIPTS / "retired-teacher-careful.txt"


def _wait_for_workers(pid: int, timeout: float = 60) -> None:
    """Return once ``pid`` has started a child process (its worker pool)."""
    deadline = time.monotonic() + timeout
    tasks = Path(f"/proc/{pid}/task")
    while time.monotonic() < deadline:
        try:
            children = "".join((task / "children").read_text() for task in tasks.iterdir())
        except OSError:  # a thread ended while it was read
            children = ""
        if children.strip():
            return
        time.sleep(0.05)
    raise AssertionError("batch rescore started no workers")


def test_ctrl_c_to_the_process_group_stops_cleanly(tmp_path: Path) -> None:
    first = tmp_path / "one.jsonl"
    text = CAREFUL.read_text(encoding="utf-8")
    run_script(script_scenario(CAREFUL), text, seed=1, out_path=first, source=CAREFUL.name)
    archive = tmp_path / "archive"
    archive.mkdir()
    for n in range(400):
        shutil.copy(first, archive / f"t{n:03}.jsonl")
    summary = tmp_path / "summary.csv"
    env = {**os.environ, "FINSIM_DATA_DIR": str(tmp_path / "data")}
    command = [sys.executable, "-m", "finsim", "batch", "rescore", str(archive)]
    process = subprocess.Popen(
        # --replay reads every line again: slow enough (seconds) to be interrupted mid-run
        [*command, "--replay", "--out", str(summary), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # its own process group, as a terminal would make it
    )
    _wait_for_workers(process.pid)
    time.sleep(1)  # rescoring under way
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=120)
    stderr = err.decode("utf-8", "replace")
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "已中断" in stderr
    assert not summary.exists()
