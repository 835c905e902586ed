"""Benchmark of the recogniser: time per utterance and the start-up cost it adds.

Run: python benchmarks/bench_nlu.py [--repeat N]

* per utterance: every line of tests/nlu_eval/*.yaml analysed ``--repeat`` times on the
  largest scenario under scenarios/ (falls back to tests/data/minimal.yaml); prints the
  median, p99 and max in milliseconds. Goal: p99 < 10 ms.
* start-up: wall time of ``finsim --help`` against a fresh process that imports the
  recogniser, builds it for the scenario and analyses one line (medians of 5 runs), and
  whether ``finsim --help`` loads the recogniser or OpenCC at all (it must not).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_P99_MS = 10.0


def largest_scenario() -> Path:
    files = sorted((ROOT / "scenarios").glob("*.yaml"), key=lambda p: p.stat().st_size)
    return files[-1] if files else ROOT / "tests" / "data" / "minimal.yaml"


def utterances() -> list[str]:
    from finsim.nlu.evaluate import load_eval_set

    lines: list[str] = []
    for path in sorted((ROOT / "tests" / "nlu_eval").glob("*.yaml")):
        evalset = load_eval_set(path)
        lines += [case.text for _, case in evalset.labelled()]
        lines += [line.text for line in evalset.safe]
    return lines


def per_utterance(
    scenario_path: Path, repeat: int, learned: bool = True
) -> tuple[list[list[float]], float]:
    from finsim.nlu import Recogniser
    from finsim.nlu.learned import shipped_model
    from finsim.scenario import load_base_library, load_scenario_file

    scenario = load_scenario_file(scenario_path).scenario
    started = time.perf_counter()
    model = shipped_model() if learned else None
    recogniser = Recogniser(load_base_library(), scenario, model)
    recogniser.analyse("预热")
    build_ms = (time.perf_counter() - started) * 1000
    lines = utterances()
    samples: list[list[float]] = [[] for _ in lines]
    for _ in range(repeat):
        for n, line in enumerate(lines):
            t0 = time.perf_counter_ns()
            recogniser.analyse(line)
            samples[n].append((time.perf_counter_ns() - t0) / 1e6)
    return samples, build_ms


def model_load_ms() -> float:
    """Time to read the shipped model files in a fresh process (median of 5)."""
    code = (
        "import time;from finsim.nlu.learned import read_model, MODEL_DIR;"
        "t=time.perf_counter();read_model(MODEL_DIR);print((time.perf_counter()-t)*1000)"
    )
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], check=True, capture_output=True, text=True
            ).stdout
        )
        for _ in range(5)
    ]
    return statistics.median(runs)


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def wall(command: list[str], runs: int = 5) -> float:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def startup(scenario_path: Path) -> None:
    python = sys.executable
    finsim = shutil.which("finsim")
    help_cmd = [finsim, "--help"] if finsim else [python, "-m", "finsim", "--help"]
    first = (
        "from pathlib import Path;"
        "from finsim.nlu import recogniser_for;"
        "from finsim.scenario import load_scenario_file;"
        f"s = load_scenario_file(Path({str(scenario_path)!r})).scenario;"
        "recogniser_for(s).analyse('您好，我是小王，想了解一下您的理财需求')"
    )
    bare = wall([python, "-c", "pass"])
    help_ms = wall(help_cmd)
    first_ms = wall([python, "-c", first])
    probe = subprocess.run(
        [
            python,
            "-c",
            "import sys, finsim.cli.app; print('opencc' in sys.modules"
            " or 'finsim.nlu.learned' in sys.modules)",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    nlu_import = wall([python, "-c", "import finsim.nlu"])
    print(f"python -c pass            : {bare:7.1f} ms")
    print(f"finsim --help             : {help_ms:7.1f} ms")
    print(
        f"import + build + 1st line : {first_ms:7.1f} ms"
        f"  (ratio to --help {first_ms / help_ms:.2f})"
    )
    print(f"python -c 'import finsim.nlu': {nlu_import:7.1f} ms")
    print(f"--help loads OpenCC or the learned model: {probe}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    scenario_path = largest_scenario()
    samples, build_ms = per_utterance(scenario_path, args.repeat)
    every = [t for line in samples for t in line]
    typical = [statistics.median(line) for line in samples]
    print(f"scenario                  : {scenario_path.relative_to(ROOT)}")
    print(f"load average (1 min)      : {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"utterances timed          : {len(samples)} lines x {args.repeat} = {len(every)}")
    print(f"recogniser build          : {build_ms:7.1f} ms (in process, once per scenario)")
    print(f"per utterance median      : {statistics.median(every):7.3f} ms")
    print(f"per utterance p99         : {p99(every):7.3f} ms  (goal < {GOAL_P99_MS} ms)")
    print(f"per utterance max         : {max(every):7.3f} ms")
    print(
        f"p99 of per-line medians   : {p99(typical):7.3f} ms"
        "  (the recogniser without machine noise)"
    )
    rules_only, _ = per_utterance(scenario_path, args.repeat, learned=False)
    rules_p99 = p99([t for line in rules_only for t in line])
    print(
        f"p99 without learned stage : {rules_p99:7.3f} ms"
        f"  (learned stage costs x{p99(every) / rules_p99:.2f})"
    )
    model_ms = model_load_ms()
    print(f"learned model read        : {model_ms:7.1f} ms (once per process, first line)")
    startup(scenario_path)
    return 0 if p99(every) < GOAL_P99_MS else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
