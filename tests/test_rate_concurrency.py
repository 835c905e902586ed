"""Thirty students rate at once: 30 real ``finsim rate`` processes on one SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from test_class_support import register, write_roster, write_transcript

from finsim.classroom.classes import init_class, set_groups
from finsim.classroom.groups import members_from_assignment
from finsim.classroom.sessions import session_form
from finsim.store import open_store

RATERS = 30


def test_thirty_concurrent_rate_processes_all_save(tmp_path: Path) -> None:
    db = tmp_path / "class.db"
    roster = tmp_path / "roster.csv"
    ids = write_roster(roster, 40)
    store = open_store(db)
    info = init_class(store, "c", roster).info
    set_groups(
        store,
        info,
        members_from_assignment({f"G{k + 1}": ids[10 * k : 10 * k + 10] for k in range(4)}),
    )
    session = register(store, info.id, write_transcript(tmp_path / "g1.jsonl", "G1"), {})
    items = session_form(session, "peer").items
    store.close()
    raters = ids[10:]  # G2…G4: thirty students, none of them in G1
    env = {**os.environ, "FINSIM_LANG": "en", "FINSIM_DATA_DIR": str(tmp_path / "data")}
    processes = []
    for n, rater in enumerate(raters):
        mark = n % 5 + 5  # out of 10: a spread of marks, each rater's own
        scores = ",".join(f"{i.key}={i.max_points * mark / 10:g}" for i in items)
        argv = [
            sys.executable,
            "-m",
            "finsim",
            "rate",
            "--db",
            str(db),
            "--session",
            str(session.id),
            "--rater",
            rater,
            "--scores",
            scores,
            "--comment",
            f"点评 {rater}",
        ]
        processes.append(
            subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        )
    outputs = [(p.wait(timeout=120), *(s.decode() for s in p.communicate())) for p in processes]
    for code, out, err in outputs:
        assert code == 0, out + err
        assert "locked" not in (out + err).lower() and "traceback" not in err.lower()
    store = open_store(db)
    saved = {r.rater_id: r for r in store.list_ratings(info.id)}
    store.close()
    assert sorted(saved) == sorted(raters)  # none lost
    total = sum(i.max_points for i in items)
    for n, rater in enumerate(raters):
        assert abs(saved[rater].total - total * (n % 5 + 5) / 10) < 1e-6
        assert saved[rater].comment == f"点评 {rater}"
