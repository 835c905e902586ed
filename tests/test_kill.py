"""A drill killed with SIGKILL mid-way keeps every completed turn, reads back and resumes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from finsim.drill import DrillSession
from finsim.transcript import read_transcript

DATA = Path(__file__).parent / "data"

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from finsim.drill import run_script
    from finsim.scenario.loader import load_scenario_file

    scenario = load_scenario_file(Path(sys.argv[1])).scenario
    script = Path(sys.argv[2]).read_text(encoding="utf-8")

    def done(line, reply):
        if line and reply is not None:
            print("done", flush=True)

    run_script(scenario, script, seed=11, out_path=Path(sys.argv[3]), delay_s=0.05, on_reply=done)
    """
)

LINES = [
    "您好，我是测试银行的客户经理",
    "我们在做一个理财需求的小调查",
    "您手头可以用来投资的钱有多少",
    "家里孩子多大了",
    "您以前买过基金吗",
] * 8


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_keeps_completed_turns_and_resumes(tmp_path: Path) -> None:
    script = tmp_path / "slow.txt"
    script.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    out = tmp_path / "killed.jsonl"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(DATA / "drill-rich.yaml"), str(script), str(out)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert child.stdout is not None
    acknowledged = 0
    try:
        while acknowledged < 6:
            line = child.stdout.readline()
            assert line, "the child ended before it was killed"
            acknowledged += line.strip() == "done"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL

    transcript = read_transcript(out)  # never raises, even with a torn tail
    assert transcript.interrupted and transcript.end is None
    manager = [t.text for t in transcript.turns() if t.speaker == "manager"]
    assert len(manager) >= acknowledged, "every acknowledged turn is on disk"
    assert manager == LINES[: len(manager)]

    resumed = DrillSession.resume(out)
    assert resumed.manager_turns == len(manager)
    resumed.manager_says("那我们今天就帮您办理吧")
    resumed.end()
    final = read_transcript(out)
    assert final.warnings == [] and final.end is not None and final.end.reason == "finished"
    texts = [t.text for t in final.turns() if t.speaker == "manager"]
    assert texts == [*manager, "那我们今天就帮您办理吧"]
    client_answers = [t.turn for t in final.turns() if t.speaker == "client" and t.turn > 0]
    assert sorted(set(client_answers)) == list(range(1, len(texts) + 1)), "every line answered"
