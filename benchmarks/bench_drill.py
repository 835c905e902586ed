"""Drill latency: per-turn engine time on the largest scenario, and time to the first prompt.

Usage::

    python benchmarks/bench_drill.py [--turns 2000] [--starts 5]

Prints, for the largest shipped scenario (by the size of its content):
- the engine alone (``ClientEngine.respond`` on an analysed line),
- a whole turn as the student waits for it (recognise + respond + two
  fsynced transcript lines, through ``DrillSession.manager_says``),
each as median and p99 in milliseconds; then the time from launching
``finsim drill`` until its first ``客户经理 ›`` prompt (pexpect on a pseudo-terminal),
and, for comparison, building a session and its opening line in-process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from finsim.client import ClientEngine
from finsim.drill import DrillSession, parse_script
from finsim.nlu import recogniser_for
from finsim.scenario.loader import ScenarioCatalog
from finsim.scenario.models import Scenario

ROOT = Path(__file__).resolve().parent.parent
CAREFUL = ROOT / "tests" / "scripts" / "retired-teacher-careful.txt"


def content_size(scenario: Scenario) -> int:
    """Count what the engine works through: facts, objections, key points, replies, products."""
    steps = scenario.steps
    replies = sum(len(v) for s in steps for v in s.responses.values())
    replies += sum(len(v) for v in scenario.responses.values())
    persona = scenario.persona
    return (
        len(persona.facts)
        + len(persona.objections)
        + sum(len(s.key_points) for s in steps)
        + replies
        + len(scenario.products)
        + len(scenario.intents)
    )


def largest_scenario() -> Scenario:
    loaded = ScenarioCatalog().load_all()
    return max((x.scenario for x in loaded), key=content_size)


def manager_lines(scenario: Scenario) -> list[str]:
    """Lines to play: the careful script when it fits, else every intent example."""
    if scenario.id == "retired-teacher":
        script = parse_script(CAREFUL.read_text(encoding="utf-8"))
        return [x.text for x in script if x.kind == "manager"]
    return [e for i in recogniser_for(scenario).intents for e in i.examples]


def ms_stats(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"median {statistics.median(ordered) * 1000:.3f} ms, p99 {p99 * 1000:.3f} ms"


def bench_engine(scenario: Scenario, lines: list[str], turns: int) -> list[float]:
    recogniser = recogniser_for(scenario)
    analyses = [recogniser.analyse(line) for line in lines]
    steps = [s.id for s in scenario.steps]
    samples: list[float] = []
    engine = ClientEngine(scenario, 1)
    for n in range(turns):
        if n % len(analyses) == 0:
            engine = ClientEngine(scenario, n)
        step = steps[min(len(steps) - 1, (n % len(analyses)) * len(steps) // len(analyses))]
        start = time.perf_counter()
        engine.respond(analyses[n % len(analyses)], step)
        samples.append(time.perf_counter() - start)
    return samples


def bench_recognise(scenario: Scenario, lines: list[str], turns: int) -> list[float]:
    recogniser = recogniser_for(scenario)
    samples: list[float] = []
    for n in range(turns):
        start = time.perf_counter()
        recogniser.analyse(lines[n % len(lines)])
        samples.append(time.perf_counter() - start)
    return samples


def bench_turns(scenario: Scenario, lines: list[str], turns: int, folder: Path) -> list[float]:
    samples: list[float] = []
    session = None
    for n in range(turns):
        if n % len(lines) == 0:
            if session:
                session.end()
            session = DrillSession(scenario, seed=n, transcript_path=folder / f"{n}.jsonl")
            session.opening()
        assert session is not None
        start = time.perf_counter()
        session.manager_says(lines[n % len(lines)])
        samples.append(time.perf_counter() - start)
    if session:
        session.end()
    return samples


def bench_first_prompt(scenario: Scenario, starts: int, folder: Path) -> list[float] | str:
    try:
        import pexpect
    except ImportError:
        return "pexpect not installed"
    finsim = shutil.which("finsim")
    if not finsim:
        return "no finsim command on PATH"
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "FINSIM_DATA_DIR": str(folder)}
    samples = []
    for n in range(starts):
        args = ["drill", scenario.id, "--mode", "solo", "--seed", "1"]
        args += ["--out", str(folder / f"p{n}.jsonl")]
        start = time.perf_counter()
        child = pexpect.spawn(finsim, args, env=env, encoding="utf-8", timeout=30)
        try:
            child.expect("客户经理 ›")
        except (pexpect.TIMEOUT, pexpect.EOF):
            return f"no prompt seen; output: {child.before!r}"[:300]
        samples.append(time.perf_counter() - start)
        child.sendcontrol("c")
        child.close(force=True)
    return samples


def bench_in_process(scenario: Scenario, starts: int, folder: Path) -> list[float]:
    samples = []
    for n in range(starts):
        start = time.perf_counter()
        session = DrillSession(scenario, seed=n, transcript_path=folder / f"i{n}.jsonl")
        session.opening()
        samples.append(time.perf_counter() - start)
        session.close()
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=2000)
    parser.add_argument("--starts", type=int, default=5)
    options = parser.parse_args()
    scenario = largest_scenario()
    lines = manager_lines(scenario)
    print(
        f"scenario: {scenario.id} (size {content_size(scenario)}: "
        f"{len(scenario.persona.facts)} facts, "
        f"{len(scenario.steps)} steps, {len(lines)} distinct lines); "
        f"python {sys.version.split()[0]}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(
            f"engine respond ({options.turns} turns): "
            f"{ms_stats(bench_engine(scenario, lines, options.turns))}"
        )
        print(
            f"recognise a line ({options.turns} lines): "
            f"{ms_stats(bench_recognise(scenario, lines, options.turns))}"
        )
        turns = max(50, options.turns // 10)
        print(
            f"whole turn, manager_says with fsync ({turns} turns): "
            f"{ms_stats(bench_turns(scenario, lines, turns, folder))}"
        )
        in_process = bench_in_process(scenario, options.starts, folder)
        print(f"session + opening in-process ({options.starts} runs): {ms_stats(in_process)}")
        prompt = bench_first_prompt(scenario, options.starts, folder)
        if isinstance(prompt, str):
            print(f"time to first prompt of `finsim drill`: not measured ({prompt})")
        else:
            print(
                f"time to first prompt of `finsim drill` ({options.starts} runs, pty): "
                f"median {statistics.median(prompt):.3f} s, max {max(prompt):.3f} s"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
