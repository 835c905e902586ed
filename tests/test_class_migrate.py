"""``finsim class migrate --to URL``: a SQLite class copied to PostgreSQL, counts verified."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from finsim.cli.app import app
from finsim.store import open_store


def invoke(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--lang", "en", *args])
    return result.exit_code, result.stdout + result.stderr


def test_a_sqlite_class_moves_to_postgresql_whole(
    tmp_path: Path, runner: CliRunner, pg_url: str
) -> None:
    from test_class_support import two_group_class, write_transcript

    c = two_group_class(tmp_path)
    db = c["db"]
    second = write_transcript(tmp_path / "g2.jsonl", "G2", created_at="2026-11-29T11:00:00+08:00")
    steps = [
        ("class", "add-session", str(second)),
        ("rate", "--session", c["session"], "--rater", c["ids"][10], "--scores", c["good"]),
        ("class", "settings", "--weights", "10,40,50"),
        ("grade", "--group", "G1", "--override", "77", "--reason", "补演"),
    ]
    for args in steps:
        code, out = invoke(runner, *args, "--db", db)
        assert code == 0, out
    store = open_store(db)
    store.save_lesson("c1", {"current": 1})
    store.close()
    code, before = invoke(runner, "report", "--format", "json", "--db", db)
    code, out = invoke(runner, "class", "migrate", "--to", pg_url, "--db", db)
    assert code == 0 and "counts verified" in out, out
    counts = dict(re.findall(r"(\w+)\s*│\s*(\d+)", out))
    assert counts == {
        "classes": "1",
        "students": "20",
        "members": "20",
        "sessions": "2",
        "ratings": "1",
        "overrides": "1",
        "lessons": "1",
    }, out
    code, after = invoke(runner, "report", "--format", "json", "--db", pg_url)
    assert code == 0, after
    old_book, new_book = json.loads(before), json.loads(after)
    old_book.pop("generated_at"), new_book.pop("generated_at")
    assert new_book == old_book  # the same grade book from the server
    moved = open_store(pg_url)
    assert moved.get_lesson("c1") == {"current": 1}
    assert moved.get_class("c1").settings["weights"] == {"auto": 10, "peer": 40, "teacher": 50}  # type: ignore[union-attr]
    third = write_transcript(tmp_path / "g3.jsonl", "G1", created_at="2026-11-29T12:00:00+08:00")
    moved.close()
    code, out = invoke(runner, "class", "add-session", str(third), "--db", pg_url)
    assert code == 0 and "session 3" in out, out  # ids go on after the copied ones
    code, out = invoke(runner, "class", "migrate", "--to", pg_url, "--db", db)
    assert code == 2 and "not empty" in out, out  # never into a database that holds a class
    code, out = invoke(runner, "class", "migrate", "--to", str(tmp_path / "new.db"), "--db", db)
    assert code == 2 and "not a PostgreSQL URL" in out, out  # the target is a server
    assert not (tmp_path / "new.db").exists()
