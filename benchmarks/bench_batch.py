"""Batch rescoring: throughput, peak memory, and the cost of rescoring against merely parsing.

Generates archives of N transcripts (default 1,000 and 10,000) by templating
six real drills (the careful and careless scripts of tests/scripts, three
seeds each) with a fresh header time and fresh seals signed by a benchmark
class key, and one corrupt file placed among them. Then, for each archive,
in a fresh process (so peak-memory figures do not mix):

* parse: ``read_transcript`` of every file, one process;
* rescore: ``run_batch`` over the archive with ``--jobs`` workers (default:
  one per core), the summary CSV written as in ``finsim batch rescore``: the
  transcripts were written under the installed judge, so the recorded readings
  are reused and only the rubric is applied again;
* replay: the same with ``--replay`` (every line read again, as when the judge
  differs), so the two show what reuse saves;
* peak RSS of the parent and of the largest worker (``getrusage``), and the
  parent's RSS sampled at 10 %, 50 % and 100 % of the rows (flat = streaming).

Usage::

    python benchmarks/bench_batch.py                  # 1,000 and 10,000
    python benchmarks/bench_batch.py --counts 200 --jobs 2
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "tests" / "scripts"
_CREATED = re.compile(rb'"created_at":"[^"]*"')


def rss_mb() -> float:
    """Current resident set size of this process (Linux /proc), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def sources(folder: Path) -> list[bytes]:
    from finsim.drill import run_script
    from finsim.scenario import ScenarioCatalog

    scenario = ScenarioCatalog([]).resolve("retired-teacher").scenario
    found = []
    for name in ("careful", "careless"):
        text = (SCRIPTS / f"retired-teacher-{name}.txt").read_text(encoding="utf-8")
        for seed in (1, 2, 3):
            out = folder / f"source-{name}-{seed}.jsonl"
            run_script(scenario, text, seed=seed, out_path=out)
            found.append(out.read_bytes())
    return found


def reseal(data: bytes, index: int, key: object) -> bytes:
    """The same drill with another header time, sealed afresh with ``key``."""
    from finsim.transcript.chain import GENESIS, seal_line, split_line

    previous = GENESIS
    lines = []
    for number, line in enumerate(data.splitlines()):
        sealed = split_line(line)
        assert sealed is not None
        event = sealed.event
        if number == 0:
            stamp = f'"created_at":"2026-09-{1 + index % 28:02d}T10:{index % 60:02d}:00+08:00"'
            event = _CREATED.sub(stamp.encode(), event, count=1)
        text, previous = seal_line(event.decode("utf-8"), previous, key, number == 0)  # type: ignore[arg-type]
        lines.append(text)
    return "".join(lines).encode("utf-8")


def generate(folder: Path, count: int, drills: list[bytes], key: object) -> Path:
    archive = folder / f"archive-{count}"
    corrupt = count // 2
    for i in range(count):
        path = archive / f"class{i % 20:02d}" / f"t{i:05d}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = reseal(drills[i % len(drills)], i, key)
        path.write_bytes(data[: len(data) // 3] + b"\x00garbage\n" if i == corrupt else data)
    return archive


def measure(archive: Path, jobs: int) -> dict[str, object]:
    """Run in a fresh process: parse every file, then rescore the archive."""
    from finsim.batch import run_batch
    from finsim.batch.run import BatchOptions, find_transcripts
    from finsim.errors import FinsimError
    from finsim.transcript import read_transcript

    paths = list(find_transcripts([archive]))
    start = time.perf_counter()
    for path in paths:
        try:
            read_transcript(path)
        except FinsimError:
            pass
    parse_s = time.perf_counter() - start
    samples: dict[str, float] = {}
    done = 0

    def on_row(_: object) -> None:
        nonlocal done
        done += 1
        for share in (0.1, 0.5, 1.0):
            if done == int(len(paths) * share):
                samples[f"{int(share * 100)}%"] = round(rss_mb(), 1)

    start = time.perf_counter()
    totals = run_batch(
        [archive], archive.parent / f"summary-{len(paths)}.csv", jobs=jobs, on_row=on_row
    )
    rescore_s = time.perf_counter() - start
    start = time.perf_counter()
    run_batch(
        [archive],
        archive.parent / f"summary-replay-{len(paths)}.csv",
        BatchOptions(replay=True),
        jobs=jobs,
    )
    replay_s = time.perf_counter() - start
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "files": len(paths),
        "rescored": totals.rescored,
        "skipped": totals.skipped,
        "parse_s": round(parse_s, 2),
        "rescore_s": round(rescore_s, 2),
        "rate": round(len(paths) / rescore_s, 1),
        "replay_s": round(replay_s, 2),
        "replay_rate": round(len(paths) / replay_s, 1),
        "parent_peak_mb": round(me, 1),
        "worker_peak_mb": round(children, 1),
        "parent_rss_mb": samples,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.jobs)))
        return
    with tempfile.TemporaryDirectory(prefix="finsim-bench-") as tmp:
        folder = Path(tmp)
        os.environ["FINSIM_DATA_DIR"] = str(folder / "data")
        from finsim.transcript.keys import create_key_pair, load_private_key

        pair = create_key_pair(folder / "keys")
        key = load_private_key(pair.private_path)
        start = time.perf_counter()
        drills = sources(folder)
        archives = [generate(folder, n, drills, key) for n in args.counts]
        took = time.perf_counter() - start
        print(f"generated {sum(args.counts)} sealed transcripts in {took:.1f} s")
        print(f"workers: {args.jobs} (cores: {os.cpu_count()})")
        header = (
            f"{'files':>7} {'skipped':>7} {'parse s':>8} {'rescore s':>9} {'files/s':>8} "
            f"{'rescore/parse':>13} {'×jobs':>6} {'replay s':>8} {'replay/s':>8} "
            f"{'parent MB':>9} {'worker MB':>9}  parent RSS 10/50/100%"
        )
        print(header)
        for archive in archives:
            out = subprocess.run(
                [sys.executable, __file__, "--measure", str(archive), "--jobs", str(args.jobs)],
                check=True,
                capture_output=True,
                text=True,
                env=os.environ,
            )
            r = json.loads(out.stdout.strip().splitlines()[-1])
            ratio = r["rescore_s"] / r["parse_s"]
            rss = r["parent_rss_mb"]
            print(
                f"{r['files']:>7} {r['skipped']:>7} {r['parse_s']:>8} {r['rescore_s']:>9} "
                f"{r['rate']:>8} {ratio:>13.1f} {ratio * args.jobs:>6.1f} "
                f"{r['replay_s']:>8} {r['replay_rate']:>8} "
                f"{r['parent_peak_mb']:>9} {r['worker_peak_mb']:>9}  "
                f"{rss.get('10%')}/{rss.get('50%')}/{rss.get('100%')}"
            )
    print(
        "rescore/parse: wall time of the parallel rescoring over one-process parsing; "
        "×jobs: the same in CPU terms (rescoring work per file over parsing work per file)."
    )


if __name__ == "__main__":
    main()
