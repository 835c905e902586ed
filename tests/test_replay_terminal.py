"""``finsim replay`` on a real pseudo-terminal: space pauses and resumes, ``q`` stops."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from test_export_support import play

pexpect = pytest.importorskip("pexpect")

LINES = [f"第{n}句：陈老师您好，我想了解一下您的想法。" for n in range(1, 6)]


@pytest.fixture
def slow_drill(tmp_path: Path) -> Path:
    """Five manager lines, the clock advancing 0.2 s per read (about 0.6 s between lines)."""
    return play(tmp_path / "slow.jsonl", "\n".join(LINES) + "\n/end\n", step_s=0.2)


def _spawn(path: Path, tmp_path: Path) -> pexpect.spawn:
    env = dict(os.environ, FINSIM_DATA_DIR=str(tmp_path / "data"), COLUMNS="100", LINES="40")
    return pexpect.spawn(
        sys.executable,
        ["-m", "finsim", "replay", str(path)],
        env=env,
        encoding="utf-8",
        timeout=20,
        dimensions=(40, 100),
    )


def test_space_pauses_and_resumes_then_the_replay_finishes(
    slow_drill: Path, tmp_path: Path
) -> None:
    child = _spawn(slow_drill, tmp_path)
    child.expect("按空格暂停或继续")
    child.expect("第2句")
    child.send(" ")
    child.expect("已暂停")
    held = time.monotonic()
    with pytest.raises(pexpect.TIMEOUT):  # no line of dialogue is shown while paused
        child.expect(r"第\d句", timeout=1.5)
    child.send(" ")
    child.expect("继续播放")
    child.expect("第5句")
    child.expect("演练小结")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert time.monotonic() - held >= 1.5


def test_q_stops_the_replay(slow_drill: Path, tmp_path: Path) -> None:
    child = _spawn(slow_drill, tmp_path)
    child.expect("第1句")
    child.send("q")
    child.expect("回放已停止")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "第5句" not in (child.before or "")
