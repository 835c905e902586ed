"""Start-up time: ``finsim --help`` and ``finsim drill --help`` against importing Typer.

Usage::

    python benchmarks/bench_startup.py [--runs 9]

Runs each whole process ``--runs`` times, interleaved (so that a busy moment of the
machine falls on all three alike), and prints each median in milliseconds and as a
ratio of ``python -c "import typer"``, the least any Typer program pays. Targets:
``finsim --help`` ≤ 1.6×, ``finsim drill --help`` ≤ 1.8×. Exits 1 when a target
is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGETS = {"finsim --help": 1.6, "finsim drill --help": 1.8}
# the installed console script, as users run it (else ``python -m finsim``)
_SCRIPT = Path(sys.executable).with_name("finsim")
FINSIM = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "finsim"]
COMMANDS = {
    "import typer": [sys.executable, "-c", "import typer"],
    "finsim --help": [*FINSIM, "--help"],
    "finsim drill --help": [*FINSIM, "drill", "--help"],
}


def run_once(argv: list[str]) -> float:
    """Seconds one whole process takes, from start to exit."""
    env = os.environ | {"COLUMNS": "100", "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    for argv in COMMANDS.values():  # warm the file cache and the bytecode
        run_once(argv)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(runs):
        for name, argv in COMMANDS.items():
            times[name].append(run_once(argv))
    base = statistics.median(times["import typer"])
    print(f"{'import typer':<22}{base * 1000:8.1f} ms   1.00×")
    missed = False
    for name, target in TARGETS.items():
        median = statistics.median(times[name])
        ratio = median / base
        missed |= ratio > target
        verdict = "ok" if ratio <= target else "MISSED"
        print(f"{name:<22}{median * 1000:8.1f} ms   {ratio:.2f}×  (target ≤ {target}×: {verdict})")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
