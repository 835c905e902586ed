"""Grade-book exports: Moodle and Canvas CSV layouts, JSON, HTML, atomic writes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from test_class_support import register, write_roster, write_transcript
from typer.testing import CliRunner

from finsim.classroom.classes import class_settings, init_class, set_groups
from finsim.classroom.export import render_csv, render_html, write_atomic
from finsim.classroom.gradebook import build_gradebook
from finsim.classroom.groups import members_from_assignment
from finsim.classroom.rating import save_rating
from finsim.classroom.sessions import AutoResult, session_form
from finsim.cli.app import app
from finsim.errors import StorageError
from finsim.store import open_store


@pytest.fixture
def book_db(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = tmp_path / "c.db"
    ids = write_roster(tmp_path / "r.csv", 4)
    store = open_store(db)
    info = init_class(store, "c", tmp_path / "r.csv", name="测试班").info
    set_groups(store, info, members_from_assignment({"G1": ids[:2], "G2": ids[2:]}))
    auto = {"G1": AutoResult(60, 100, [], []), "G2": None}
    s1 = register(store, "c", write_transcript(tmp_path / "a.jsonl", "G1"), auto)
    form = session_form(s1, "peer")
    save_rating(
        store, s1, ids[2], "peer", {i.key: i.max_points for i in form.items}, "<b>很好</b> & 专业"
    )
    yield db, store, info
    store.close()


def test_missing_parts_are_missing_not_zero(book_db) -> None:  # type: ignore[no-untyped-def]
    _, store, info = book_db
    book = build_gradebook(store, info, class_settings(info))
    g1, g2 = book.groups
    assert (g1.auto, g1.peer, g1.teacher) == (60, 100, None)
    assert g1.final == pytest.approx((20 * 60 + 30 * 100) / 50)  # renormalised over auto and peer
    assert g2.session_id is None and g2.final is None and g2.flags == ["no_session"]
    rows = list(csv.reader(io.StringIO(render_csv(book).decode("utf-8-sig"))))
    assert rows[3][10] == ""  # a G2 student's final: empty, not 0


def test_moodle_and_canvas_layouts(book_db) -> None:  # type: ignore[no-untyped-def]
    _, store, info = book_db
    book = build_gradebook(store, info, class_settings(info))
    moodle = list(csv.reader(io.StringIO(render_csv(book, "moodle").decode("utf-8"))))
    assert moodle[0] == [
        "ID number",
        "Email address",
        "Full name",
        "Group",
        "finsim final",
        "finsim group",
    ]
    assert moodle[1][:3] == ["2024001", "s1@example.edu.cn", "学生1"] and float(moodle[1][4]) == 84
    canvas = list(csv.reader(io.StringIO(render_csv(book, "canvas").decode("utf-8"))))
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "finsim"]
    assert canvas[1] == ["Points Possible", "", "", "", "", "100"]
    assert canvas[2][:3] == ["学生1", "", "2024001"]
    assert not render_csv(book, "moodle").startswith(b"\xef\xbb\xbf")
    assert render_csv(book).startswith(b"\xef\xbb\xbf")  # generic: a BOM so Excel reads UTF-8


def test_html_is_self_contained_and_escapes_comments(book_db) -> None:  # type: ignore[no-untyped-def]
    _, store, info = book_db
    page = render_html(build_gradebook(store, info, class_settings(info))).decode("utf-8")
    assert "&lt;b&gt;很好&lt;/b&gt; &amp; 专业" in page and "<b>很好</b>" not in page
    assert 'class="bar"' in page and "width:100.0%" in page
    assert "http://" not in page and "https://" not in page and "<script" not in page


def test_json_report_is_stamped(book_db, runner: CliRunner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, _, _ = book_db
    out = tmp_path / "book.json"
    result = runner.invoke(app, ["report", "--db", str(db), "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "finsim/gradebook@1" and data["program_version"]
    assert data["class_name"] == "测试班"


def test_report_cli_errors_and_table(book_db, runner: CliRunner) -> None:  # type: ignore[no-untyped-def]
    db, _, _ = book_db
    assert runner.invoke(app, ["report", "--db", str(db), "--format", "pdf"]).exit_code == 2
    assert runner.invoke(app, ["report", "--db", str(db), "--format", "xlsx"]).exit_code == 2
    assert runner.invoke(app, ["report", "--db", str(db), "--weights", "1,2"]).exit_code == 2
    shown = runner.invoke(app, ["report", "--db", str(db)])
    assert shown.exit_code == 0 and "G1" in shown.stdout and "无演练记录" in shown.stdout
    assert "█" in shown.stdout  # the per-criterion bars


def test_atomic_write_keeps_the_old_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "book.csv"
    target.write_text("old", encoding="utf-8")

    def broken(handle) -> None:  # type: ignore[no-untyped-def]
        handle.write(b"half")
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        write_atomic(target, broken)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["book.csv"]  # no temp file left
    with pytest.raises(StorageError):
        write_atomic(tmp_path / "book.csv" / "x.csv", lambda h: None)


def test_an_export_gets_ordinary_permissions(tmp_path: Path) -> None:
    import os

    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.csv", lambda h: None)
    finally:
        os.umask(umask)
    assert (tmp_path / "a.csv").stat().st_mode & 0o777 == 0o644
