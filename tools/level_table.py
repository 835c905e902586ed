"""Play every drill script of tests/scripts at every level and print outcome and turns.

Usage: ``python tools/level_table.py [--seed N]``. One row per scenario, script
and level: the outcome (bought, declined, walked out), the manager turns
played, and the end reason. The scripts are the ones the engine was tuned on:
the table is a training figure, not a measure of unseen drills.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from finsim.drill import run_script
from finsim.scenario import ScenarioCatalog
from finsim.transcript import read_transcript

SCRIPTS = Path(__file__).resolve().parent.parent / "tests" / "scripts"
LEVELS = ("easy", "normal", "hard")


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    seed = parser.parse_args().seed
    catalog = ScenarioCatalog([])
    print("| scenario | script | level | outcome | manager turns | end |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for script in sorted(SCRIPTS.glob("*.txt")):
            scenario_id, _, kind = script.stem.rpartition("-")
            scenario = catalog.resolve(scenario_id).scenario
            for level in LEVELS:
                out = Path(tmp) / f"{script.stem}-{level}.jsonl"
                text = script.read_text(encoding="utf-8")
                run_script(scenario, text, seed=seed, out_path=out, source=script.name, level=level)
                transcript = read_transcript(out)
                end = transcript.end
                assert end is not None
                turns = max((e.turn for e in transcript.turns()), default=0)
                outcome = "walked out" if end.reason == "walked_out" else end.outcome.decision
                print(f"| {scenario_id} | {kind} | {level} | {outcome} | {turns} | {end.reason} |")


if __name__ == "__main__":
    main()
