"""Helpers shared by the class, rating and report tests (no tests of its own)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from finsim import __version__
from finsim.classroom.classes import init_class, set_groups
from finsim.classroom.groups import members_from_assignment
from finsim.classroom.sessions import AutoResult, register_session, session_form
from finsim.scenario import ScenarioCatalog
from finsim.scoring import Rubric, load_rubric
from finsim.store import ClassStore, Session, open_store
from finsim.transcript import (
    EndEvent,
    Header,
    Outcome,
    Participant,
    scenario_document,
    scenario_hash,
)
from finsim.transcript.model import StepEvent


def write_roster(path: Path, count: int, *, encoding: str = "utf-8-sig") -> list[str]:
    """Write a roster of ``count`` students (学号,姓名,邮箱); return the ids."""
    ids = [f"2024{i:03d}" for i in range(1, count + 1)]
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["学号", "姓名", "邮箱"])
        for n, student_id in enumerate(ids, start=1):
            writer.writerow([student_id, f"学生{n}", f"s{n}@example.edu.cn"])
    return ids


def write_transcript(
    path: Path,
    group: str | None,
    *,
    scenario_id: str = "retired-teacher",
    participants: list[Participant] | None = None,
    created_at: str = "2026-11-29T10:00:00+08:00",
) -> Path:
    """Write a small valid transcript (header, a step event, end) of a shipped scenario."""
    scenario = ScenarioCatalog([]).resolve(scenario_id).scenario
    header = Header(
        seq=0,
        program_version=__version__,
        created_at=created_at,
        scenario_id=scenario.id,
        scenario_hash=scenario_hash(scenario),
        scenario=scenario_document(scenario),
        seed=1,
        mode="pair",
        group=group,
        participants=participants or [],
    )
    events = [
        StepEvent(seq=1, t=0.0, step=scenario.steps[0].id, index=0),
        EndEvent(seq=2, t=300.0, reason="finished", outcome=Outcome(decision="bought")),
    ]
    lines = [header.model_dump_json(by_alias=True)] + [e.model_dump_json() for e in events]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def fixed_scorer(results: dict[str, AutoResult | None]):  # type: ignore[no-untyped-def]
    """A scorer giving each group's transcript a fixed auto score (keyed by header group)."""

    def score(transcript, rubric):  # type: ignore[no-untyped-def]
        return results.get(transcript.header.group or "")

    return score


def step_ids(scenario_id: str = "retired-teacher") -> list[str]:
    """The step ids of a shipped scenario."""
    return [s.id for s in ScenarioCatalog([]).resolve(scenario_id).scenario.steps]


def register(
    store: ClassStore,
    class_id: str,
    path: Path,
    auto: dict[str, AutoResult | None],
    rubric: Rubric | None = None,
) -> Session:
    """Register a transcript with a fixed auto score."""
    return register_session(
        store, class_id, path, rubric or load_rubric(), scorer=fixed_scorer(auto)
    )


def two_group_class(tmp_path: Path) -> dict[str, Any]:
    """A class of 20 in groups G1 and G2 with one registered session of G1.

    Returns the database path, the session id, the peer form's items, a valid
    ``--scores`` value (half marks) and the roster ids.
    """
    db = tmp_path / "c.db"
    ids = write_roster(tmp_path / "r.csv", 20)
    store = open_store(db)
    info = init_class(store, "c1", tmp_path / "r.csv").info
    set_groups(store, info, members_from_assignment({"G1": ids[:10], "G2": ids[10:]}))
    session = register(store, info.id, write_transcript(tmp_path / "g1.jsonl", "G1"), {})
    items = session_form(session, "peer").items
    store.close()
    good = ",".join(f"{i.key}={i.max_points / 2:g}" for i in items)
    return {"db": str(db), "session": str(session.id), "items": items, "good": good, "ids": ids}
