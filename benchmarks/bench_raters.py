"""Forty students rating at once: SQLite file against a PostgreSQL server.

For each back end, a class of 50 in five groups, G1's session open in the
lesson, then:

* one ``finsim rate`` process alone (the time a student waits when nobody else
  is saving), median of ``--repeat`` runs;
* ``--raters`` processes (default 40, every student outside G1) started at
  once, as a lab does at the end of a group's turn: the wall time until the
  last has saved, and how many ratings were stored.

Reported as ratios: all raters' wall time / one rater's time, per back end,
and PostgreSQL / SQLite. The PostgreSQL server is the throwaway cluster the
tests use (``tests/pg_cluster.py``: Debian's binaries, loopback port); without
the binaries only SQLite is measured.

Usage::

    python benchmarks/bench_raters.py                 # 40 raters, 3 repeats
    python benchmarks/bench_raters.py --raters 20 --repeat 1
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pg_cluster import bin_dir, start_cluster  # noqa: E402
from test_class_support import write_roster, write_transcript  # noqa: E402

from finsim.classroom.classes import init_class, set_groups  # noqa: E402
from finsim.classroom.groups import members_from_assignment  # noqa: E402
from finsim.classroom.lesson import open_rating, plan_lesson, save_lesson  # noqa: E402
from finsim.classroom.sessions import register_session, session_form  # noqa: E402
from finsim.scoring import load_rubric  # noqa: E402
from finsim.store import open_store  # noqa: E402


def prepare(target: str, folder: Path) -> tuple[list[str], str]:
    """A class of 50 in five groups with G1's rating open; return the raters and a score."""
    ids = write_roster(folder / "roster.csv", 50)
    store = open_store(target)
    info = init_class(store, "bench", folder / "roster.csv").info
    groups = {f"G{k + 1}": ids[10 * k : 10 * k + 10] for k in range(5)}
    set_groups(store, info, members_from_assignment(groups))
    path = write_transcript(folder / "g1.jsonl", "G1")
    session = register_session(store, info.id, path, load_rubric(), scorer=lambda t, r: None)
    lesson = plan_lesson(store, info)
    open_rating(lesson, session)
    save_lesson(store, lesson)
    store.close()
    scores = ",".join(f"{i.key}={i.max_points / 2:g}" for i in session_form(session, "peer").items)
    return ids[10:], scores


def rate(target: str, rater: str, scores: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start one student's ``finsim rate`` (no session id: the lesson's open group)."""
    argv = [sys.executable, "-m", "finsim", "rate", "--db", target, "--rater", rater]
    return subprocess.Popen(
        [*argv, "--scores", scores, "--yes"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def measure(target: str, raters: list[str], scores: str, repeat: int) -> dict[str, float]:
    """One rater alone (median), then all of them at once (median wall time), ratings stored."""
    env = {**os.environ, "FINSIM_LANG": "en"}
    alone, together = [], []
    stored = 0
    for _ in range(repeat):
        started = time.perf_counter()
        if rate(target, raters[0], scores, env).wait() != 0:
            raise SystemExit("a single finsim rate failed")
        alone.append(time.perf_counter() - started)
        _clear_ratings(target)  # a fresh start: no rating left from the last run
        started = time.perf_counter()
        processes = [rate(target, r, scores, env) for r in raters]
        failed = [p for p in processes if p.wait() != 0]
        together.append(time.perf_counter() - started)
        if failed:
            raise SystemExit(failed[0].communicate()[1].decode())
        store = open_store(target)
        stored = sum(1 for r in store.list_ratings("bench") if r.form == "peer")
        store.close()
    return {
        "alone": statistics.median(alone),
        "together": statistics.median(together),
        "stored": stored,
    }


def _clear_ratings(target: str) -> None:
    if target.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(target, autocommit=True) as conn:
            conn.execute("DELETE FROM ratings")
    else:
        import sqlite3

        with sqlite3.connect(target) as conn:
            conn.execute("DELETE FROM ratings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raters", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        raters, scores = prepare(str(folder / "class.db"), folder)
        raters = raters[: options.raters]
        results["sqlite"] = measure(str(folder / "class.db"), raters, scores, options.repeat)
        if bin_dir() is None:
            print("PostgreSQL is not installed: SQLite only")
        else:
            clusters = start_cluster()
            cluster = next(clusters)
            try:
                url = cluster.url(cluster.new_database())
                (folder / "pg").mkdir()
                prepare(url, folder / "pg")
                results["postgresql"] = measure(url, raters, scores, options.repeat)
            finally:
                clusters.close()
    load = os.getloadavg()[0]
    for backend, r in results.items():
        print(
            f"{backend}: one rater {r['alone']:.2f} s; {len(raters)} at once {r['together']:.2f} s"
            f" (×{r['together'] / r['alone']:.1f} one rater), {r['stored']:.0f}/{len(raters)}"
            " ratings stored"
        )
    if len(results) == 2:
        ratio = results["postgresql"]["together"] / results["sqlite"]["together"]
        print(f"PostgreSQL / SQLite, {len(raters)} at once: ×{ratio:.2f}")
    print(f"load average {load:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
