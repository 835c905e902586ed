"""A whole class end to end: 30 students, 3 groups of 10, every non-member rates, teacher grades.

The auto scores are fixed (an injected scorer) so that every number can be
worked by hand; the ratings and grades go through the real ``finsim`` CLI.

Hand-worked numbers (all on 0–100; weights auto/peer/teacher = 20/30/50; β = 0.3):

* auto:    G1 70, G2 50, G3 90.
* peer:    G1 — 18 raters give 80, rater H (in G2) 100, flat rater F (in G3) 50:
           trimmed mean drops 100 and 50 → 80.  (Plain mean 78, median 80.)
           G2 — 19 raters give 60, F gives 50: trimmed → 60.
           G3 — 19 raters give 70, H gives 90: trimmed → 70.
* teacher: G1 85, G2 55, G3 75.
* group:   G1 0.2·70 + 0.3·80 + 0.5·85 = 80.5;  G2 10 + 18 + 27.5 = 55.5;
           G3 18 + 21 + 37.5 = 76.5.
* student: (1 − 0.3)·group + 0.3·S, S = auto % of the steps they managed.
           G1's manager of step 1 (9/12 = 75 %): 0.7·80.5 + 0.3·75 = 78.85;
           a client keeps the group score 80.5.
* flags:   F gives 50 to both groups it rates → flat. Leave-one-out distance:
           F: G1 |50 − (18·80 + 100)/19| = 31.05, G2 |50 − 60| = 10 → 20.53 > 20;
           H: G1 |100 − (18·80 + 50)/19| = 21.58, G3 |90 − 70| = 20 → 20.79 > 20;
           everyone else ≈ 0.53. So F is flat and an outlier, H an outlier.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_class_support import register, write_roster, write_transcript
from typer.testing import CliRunner

from finsim.classroom.classes import init_class, set_groups
from finsim.classroom.groups import members_from_assignment
from finsim.classroom.sessions import AutoResult, session_form
from finsim.cli.app import app
from finsim.store import open_store

GROUPS = {
    g: [f"2024{i:03d}" for i in range(start, start + 10)]
    for g, start in (("G1", 1), ("G2", 11), ("G3", 21))
}
FLAT = "2024021"  # F, in G3
HIGH = "2024011"  # H, in G2


def auto_result(total: float, step_points: list[tuple[float, float]]) -> AutoResult:
    steps = [
        {"id": sid, "points": p, "max": m}
        for sid, (p, m) in zip(
            ["research", "targeting", "entry", "closing", "relationship"], step_points, strict=True
        )
    ]
    return AutoResult(total=total, max=100.0, steps=steps, violations=[])


AUTO = {
    "G1": auto_result(70, [(9, 12), (6, 12), (16.5, 22), (8, 16), (5, 10)]),
    "G2": auto_result(50, [(6, 12), (6, 12), (11, 22), (8, 16), (5, 10)]),
    "G3": auto_result(90, [(12, 12), (12, 12), (22, 22), (16, 16), (10, 10)]),
}


def peer_mark(rater: str, group: str) -> float:
    if rater == FLAT:
        return 50
    if rater == HIGH:
        return {"G1": 100, "G3": 90}[group]
    return {"G1": 80, "G2": 60, "G3": 70}[group]


def scores_for(form_items: list[tuple[str, float]], percent: float) -> str:
    return ",".join(f"{key}={top * percent / 100:g}" for key, top in form_items)


@pytest.fixture
def classroom(tmp_path: Path, runner: CliRunner) -> dict[str, object]:
    db = tmp_path / "class.db"
    roster = tmp_path / "roster.csv"
    write_roster(roster, 30)
    store = open_store(db)
    info = init_class(store, "金融2401", roster, name="金融2401班").info
    set_groups(store, info, members_from_assignment(GROUPS))
    sessions = {
        g: register(store, info.id, write_transcript(tmp_path / f"{g}.jsonl", g), AUTO)
        for g in GROUPS
    }
    items = {
        g: [(i.key, i.max_points) for i in session_form(s, "peer").items]
        for g, s in sessions.items()
    }
    teacher_items = [(i.key, i.max_points) for i in session_form(sessions["G1"], "teacher").items]
    store.close()
    for group, session in sessions.items():
        for rater in (s for g, ids in GROUPS.items() if g != group for s in ids):
            mark = peer_mark(rater, group)
            result = runner.invoke(
                app,
                [
                    "rate",
                    "--db",
                    str(db),
                    "--session",
                    str(session.id),
                    "--rater",
                    rater,
                    "--scores",
                    scores_for(items[group], mark),
                    "--comment",
                    f"{rater} 给 {group} 的点评",
                ],
            )
            assert result.exit_code == 0, result.output + str(result.stderr)
    for group, teacher in (("G1", 85), ("G2", 55), ("G3", 75)):
        result = runner.invoke(
            app,
            [
                "grade",
                "--db",
                str(db),
                "--group",
                group,
                "--scores",
                scores_for(teacher_items, teacher),
                "--comment",
                "教师点评：流程完整",
            ],
        )
        assert result.exit_code == 0, result.output + str(result.stderr)
    return {"db": db, "sessions": sessions, "tmp": tmp_path}


def report_json(runner: CliRunner, db: Path, *extra: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, ["report", "--db", str(db), "--format", "json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_group_scores_match_the_hand_worked_numbers(runner: CliRunner, classroom: dict) -> None:  # type: ignore[type-arg]
    book = report_json(runner, classroom["db"])
    groups = {g["group_id"]: g for g in book["groups"]}
    expected = {"G1": (70, 80, 85, 80.5), "G2": (50, 60, 55, 55.5), "G3": (90, 70, 75, 76.5)}
    for group, (auto, peer, teacher, final) in expected.items():
        g = groups[group]
        assert (g["auto"], g["peer"], g["teacher"]) == pytest.approx((auto, peer, teacher))
        assert g["final"] == pytest.approx(final)
        assert g["peer_raters"] == 20 and g["teacher_raters"] == 1
        assert g["flags"] == []


def test_other_peer_aggregations(runner: CliRunner, classroom: dict) -> None:  # type: ignore[type-arg]
    mean = {
        g["group_id"]: g["peer"]
        for g in report_json(runner, classroom["db"], "--peer-agg", "mean")["groups"]
    }
    assert mean["G1"] == pytest.approx((18 * 80 + 100 + 50) / 20)  # 79.5
    assert mean["G2"] == pytest.approx((19 * 60 + 50) / 20)  # 59.5
    median = {
        g["group_id"]: g["peer"]
        for g in report_json(runner, classroom["db"], "--peer-agg", "median")["groups"]
    }
    assert median == pytest.approx({"G1": 80, "G2": 60, "G3": 70})


def test_student_grades_follow_group_and_managed_step(runner: CliRunner, classroom: dict) -> None:  # type: ignore[type-arg]
    students = {s["student_id"]: s for s in report_json(runner, classroom["db"])["students"]}
    # default roles: the 1st member of a group manages step 1, …, the 6th plays the client of step 1
    assert students["2024001"]["parts"] == "manager:1"
    assert students["2024001"]["steps_score"] == pytest.approx(75.0)
    assert students["2024001"]["final"] == pytest.approx(0.7 * 80.5 + 0.3 * 75)  # 78.85
    assert students["2024006"]["parts"] == "client:1"
    assert students["2024006"]["final"] == pytest.approx(80.5)
    assert students["2024013"]["final"] == pytest.approx(0.7 * 55.5 + 0.3 * 50)  # G2 step 3: 11/22
    assert students["2024025"]["final"] == pytest.approx(0.7 * 76.5 + 0.3 * 100)  # G3 step 5: 10/10
    assert all(s["rated"] == 2 and s["can_rate"] == 2 for s in students.values())


def test_rater_flags(runner: CliRunner, classroom: dict) -> None:  # type: ignore[type-arg]
    raters = {r["rater_id"]: r for r in report_json(runner, classroom["db"])["raters"]}
    assert raters[FLAT]["flags"] == ["flat", "outlier"]
    assert raters[FLAT]["distance"] == pytest.approx((abs(50 - 1540 / 19) + 10) / 2)
    assert raters[HIGH]["flags"] == ["outlier"]
    assert raters[HIGH]["distance"] == pytest.approx((abs(100 - 1490 / 19) + 20) / 2)
    assert {r for r, q in raters.items() if q["flags"]} == {FLAT, HIGH}
    assert len(raters) == 30


def test_weights_renormalise_when_a_part_is_missing(runner: CliRunner, classroom: dict) -> None:  # type: ignore[type-arg]
    # without a teacher part (weight 0), auto and peer are renormalised to 20/50 and 30/50
    book = report_json(runner, classroom["db"], "--weights", "20,30,0")
    g1 = next(g for g in book["groups"] if g["group_id"] == "G1")
    assert g1["final"] == pytest.approx(0.4 * 70 + 0.6 * 80)
    assert g1["weights"] == pytest.approx({"auto": 0.4, "peer": 0.6})


def test_override_replaces_the_final_score_and_is_recorded(
    runner: CliRunner, classroom: dict
) -> None:  # type: ignore[type-arg]
    result = runner.invoke(
        app,
        [
            "grade",
            "--db",
            str(classroom["db"]),
            "--group",
            "G2",
            "--override",
            "62",
            "--reason",
            "现场补充演示合规话术",
        ],
    )
    assert result.exit_code == 0, result.output
    g2 = next(g for g in report_json(runner, classroom["db"])["groups"] if g["group_id"] == "G2")
    assert g2["computed"] == pytest.approx(55.5) and g2["final"] == 62
    assert g2["override"]["reason"] == "现场补充演示合规话术" and "override" in g2["flags"]


def test_csv_and_xlsx_exports_read_back(runner: CliRunner, classroom: dict) -> None:  # type: ignore[type-arg]
    db, tmp = classroom["db"], classroom["tmp"]
    for fmt in ("csv", "xlsx"):
        result = runner.invoke(
            app, ["report", "--db", str(db), "--format", fmt, "--out", str(tmp / f"book.{fmt}")]
        )
        assert result.exit_code == 0, result.output
    with (tmp / "book.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {r["student_id"]: r for r in csv.DictReader(handle)}
    assert rows["2024001"]["name"] == "学生1"
    assert float(rows["2024001"]["final"]) == pytest.approx(78.85)
    assert float(rows["2024006"]["group_score"]) == pytest.approx(80.5)
    assert rows["2024021"]["flags"] == "flat,outlier"
    book = load_workbook(tmp / "book.xlsx", read_only=True)
    sheet = book["学生成绩"]
    table = list(sheet.iter_rows(values_only=True))
    header, body = table[0], {r[0]: r for r in table[1:]}
    assert header[0] == "学号" and header[10] == "最终成绩"
    assert body["2024001"][1] == "学生1" and body["2024001"][10] == pytest.approx(78.85)
    groups = {r[0]: r for r in list(book["小组成绩"].iter_rows(values_only=True))[1:]}
    assert groups["G3"][9] == pytest.approx(76.5)
    comments = list(book["点评"].iter_rows(values_only=True))
    assert ("G1", "teacher", "teacher", "教师点评：流程完整") in comments
    book.close()
