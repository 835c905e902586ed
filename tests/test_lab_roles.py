"""``finsim class init-db`` on a real server: the teacher role owns, the lab role only adds.

A student's terminal with the lab URL can read the class and add sessions and
peer ratings; changing a grade, a setting or anyone's rating, grading and
regrouping are refused with one clear line (exit 4), and nothing changes.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pg_cluster import Cluster
from test_class_support import write_roster, write_transcript
from typer.testing import CliRunner

from finsim.classroom.lesson import open_rating, plan_lesson, save_lesson, skip_group
from finsim.classroom.sessions import session_form
from finsim.cli.app import app
from finsim.errors import StorageError
from finsim.i18n import set_language
from finsim.store import open_store

REFUSED = "refused this: this account (e.g. the lab's) may not change these records"


@pytest.fixture(autouse=True)
def english() -> None:
    """The store's own messages in English too, as the commands below speak (--lang en)."""
    set_language("en")


def invoke(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--lang", "en", *args])
    return result.exit_code, result.stdout + result.stderr


def rate_g1(rater: str, scores: str, db: str) -> tuple[str, ...]:
    return ("rate", "--group", "G1", "--rater", rater, "--scores", scores, "--db", db)


@pytest.fixture
def lab(pg_cluster: Cluster, tmp_path: Path, runner: CliRunner) -> dict[str, str]:
    name = f"lab_{pg_cluster.new_database()}"
    code, out = invoke(
        runner,
        "class",
        "init-db",
        pg_cluster.url(name),
        "--teacher-role",
        f"t_{name}"[:60],
        "--lab-role",
        f"l_{name}"[:60],
    )
    assert code == 0, out
    urls = dict(re.findall(r"(teacher|students' terminals)[^:]*: FINSIM_DB=(\S+)", out))
    teacher, student = urls["teacher"], urls["students' terminals"]
    ids = write_roster(tmp_path / "roster.csv", 20)
    for args in (
        ("class", "init", str(tmp_path / "roster.csv"), "--class", "c"),
        ("class", "groups", "--size", "10", "--method", "balanced"),
    ):
        code, out = invoke(runner, *args, "--db", teacher)
        assert code == 0, out
    return {"teacher": teacher, "lab": student, "tmp": str(tmp_path), "g2": ids[1]}


def test_init_db_makes_a_teacher_owner_and_a_lab_role(lab: dict[str, str]) -> None:
    assert lab["teacher"] != lab["lab"]
    store = open_store(lab["lab"])  # the lab opens the migrated database without migrating
    assert [c.id for c in store.list_classes()] == ["c"]
    roster = store.list_students("c")
    assert roster[0].name == "学生1" and {s.email for s in roster} == {""}  # names, no e-mail
    store.close()
    store = open_store(lab["teacher"])
    assert store.list_students("c")[0].email == "s1@example.edu.cn"
    store.close()


def test_the_lab_adds_sessions_and_peer_ratings_and_may_change_nothing(
    lab: dict[str, str], runner: CliRunner
) -> None:
    tmp = Path(lab["tmp"])
    teacher, student = lab["teacher"], lab["lab"]
    code, out = invoke(
        runner,
        "class",
        "add-session",
        str(write_transcript(tmp / "g1.jsonl", "G1")),
        "--db",
        student,
    )
    assert code == 0, out
    store = open_store(teacher)  # the teacher's lesson puts G1 on stage
    session = store.list_sessions("c")[0]
    members = store.list_members("c")
    info = store.get_class("c")
    assert info is not None
    lesson = plan_lesson(store, info)
    open_rating(lesson, session)
    save_lesson(store, lesson)
    store.close()
    store = open_store(student)
    with pytest.raises(StorageError, match="may not change"):
        skip_group(lesson)
        save_lesson(store, lesson)  # the lab cannot move the lesson on
    store.close()
    rater = next(m.student_id for m in members if m.group_id == "G2")
    peer = ",".join(f"{i.key}={i.max_points / 2:g}" for i in session_form(session, "peer").items)
    code, out = invoke(runner, "rate", "--rater", rater, "--scores", peer, "--db", student)
    assert code == 0 and "saved" in out and "group G1" in out, out  # found the open group
    g1 = next(m.student_id for m in members if m.group_id == "G1")
    code, out = invoke(runner, "rate", "--rater", g1, "--scores", peer, "--db", student)
    assert code == 2 and "your own (G1)" in out, out  # G1 is on stage: nothing to rate
    full = ",".join(f"{i.key}={i.max_points:g}" for i in session_form(session, "peer").items)
    # changing a saved rating (one's own or anyone's) is refused on the lab URL
    code, out = invoke(runner, *rate_g1(rater, full, student), "--yes")
    assert code == 4 and REFUSED in out and "Traceback" not in out, out
    teacher_form = session_form(session, "teacher").items
    grade = ",".join(f"{i.key}={i.max_points:g}" for i in teacher_form)
    forbidden = [
        ("grade", "--group", "G1", "--scores", grade),
        ("grade", "--group", "G1", "--override", "99", "--reason", "x"),
        ("class", "settings", "--weights", "0,0,100"),
        ("class", "groups", "--size", "5", "--yes"),
        ("class", "init", str(tmp / "roster.csv"), "--class", "other"),
    ]
    for args in forbidden:
        code, out = invoke(runner, *args, "--db", student)
        assert code == 4 and REFUSED in out, (args, out)
        assert len(out.strip().splitlines()[-1]) > 0 and "Traceback" not in out
    store = open_store(teacher)  # nothing changed
    ratings = store.list_ratings("c")
    assert [(r.rater_id, r.form, r.total) for r in ratings] == [
        (rater, "peer", sum(i.max_points for i in session_form(session, "peer").items) / 2)
    ]
    assert store.list_overrides("c") == []
    assert [c.id for c in store.list_classes()] == ["c"]
    assert store.list_members("c") == members
    store.close()
    # the teacher's URL may do all of it
    code, out = invoke(runner, "grade", "--group", "G1", "--scores", grade, "--db", teacher)
    assert code == 0, out
    code, out = invoke(runner, *rate_g1(rater, full, teacher), "--yes")
    assert code == 0 and "replaced" in out, out
    code, out = invoke(runner, "report", "--format", "json", "--db", student)
    assert code == 4 and "may not read" in out, out  # the grade book is the teacher's


def test_init_db_with_a_bad_admin_password_is_one_line(
    pg_cluster: Cluster, runner: CliRunner
) -> None:
    code, out = invoke(runner, "class", "init-db", pg_cluster.url("x", password="bad"))
    assert code == 4 and "wrong user name or password" in out and "bad@" not in out, out


def test_init_db_again_resets_the_passwords_and_keeps_the_class(
    lab: dict[str, str], pg_cluster: Cluster, runner: CliRunner
) -> None:
    old = urlsplit(lab["teacher"])
    database, teacher = old.path.lstrip("/"), old.username or ""
    lab_role = urlsplit(lab["lab"]).username or ""
    code, out = invoke(
        runner,
        "class",
        "init-db",
        pg_cluster.url(database),
        *("--teacher-role", teacher, "--lab-role", lab_role),
        *("--teacher-password", "new-teacher-pw", "--lab-password", "new-lab-pw"),
    )
    assert code == 0 and "new-lab-pw" in out, out
    with pytest.raises(StorageError, match="wrong user name or password"):
        open_store(lab["teacher"])
    store = open_store(lab["teacher"].replace(old.password or "", "new-teacher-pw"))
    assert [c.id for c in store.list_classes()] == ["c"]
    store.close()


def test_init_db_never_takes_over_a_database_with_other_tables(
    pg_cluster: Cluster, runner: CliRunner
) -> None:
    name = pg_cluster.new_database()
    pg_cluster.admin("CREATE TABLE payroll (id int)", database=name)
    code, out = invoke(runner, "class", "init-db", pg_cluster.url(name))
    assert code == 2 and "not finsim's (payroll)" in out, out
    import psycopg

    with psycopg.connect(pg_cluster.url(name)) as conn:  # nothing changed hands
        owner = conn.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'payroll'")
        assert owner.fetchone() == ("postgres",)
