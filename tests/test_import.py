"""``finsim import``: a hand-in is verified, archived and registered, or refused leaving nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_class_support import write_roster
from test_seal_support import lines_of, play
from typer.testing import CliRunner

from finsim.cli.app import app
from finsim.seal.hand_in import archive_dir
from finsim.store import open_store
from finsim.transcript.keys import SIGNING_KEY_ENV, create_key_pair


@pytest.fixture
def db(runner: CliRunner, tmp_path: Path) -> Path:
    """A class ``c1`` of 12 students in groups, and the class key."""
    roster = tmp_path / "roster.csv"
    write_roster(roster, 12)
    path = tmp_path / "class.db"
    for args in (
        ["class", "init", str(roster), "--class", "c1", "--db", str(path)],
        ["class", "groups", "--size", "10", "--seed", "1", "--db", str(path)],
        ["class", "key"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    return path


def sessions(db: Path) -> list[str]:
    store = open_store(db)
    try:
        return [s.transcript_path for s in store.list_sessions("c1")]
    finally:
        store.close()


def test_signed_hand_in_is_archived_and_registered(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    hand_in = play(tmp_path / "g1.jsonl", group="G1")
    result = runner.invoke(app, ["import", str(hand_in), "--db", str(db)])
    assert result.exit_code == 0, result.output
    stored = archive_dir("c1") / "g1.jsonl"
    assert stored.read_bytes() == hand_in.read_bytes()
    assert sessions(db) == [str(stored.resolve())]
    assert "完好" in result.stdout and "G1" in result.stdout
    # importing the same file again is harmless: same copy, same session
    again = runner.invoke(app, ["import", str(hand_in), "--db", str(db)])
    assert again.exit_code == 0 and sessions(db) == [str(stored.resolve())]


def test_tampered_hand_in_is_refused_and_leaves_nothing(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    good = play(tmp_path / "good.jsonl", group="G1")
    bad = play(tmp_path / "bad.jsonl", group="G2", seed=4)
    lines = lines_of(bad)
    at = next(i for i, line in enumerate(lines) if b'"speaker":"manager"' in line)
    lines[at] = lines[at].replace(b'"trust":', b'"trust":1', 1)  # a better mark for the turn
    bad.write_bytes(b"".join(lines))
    result = runner.invoke(app, ["import", str(bad), str(good), "--db", str(db)])
    assert result.exit_code == 1
    assert f"{bad}:{at + 1}: 拒绝导入（已被改动或损坏）" in result.stderr
    assert "Traceback" not in result.output
    assert not (archive_dir("c1") / "bad.jsonl").exists()
    assert sessions(db) == [str((archive_dir("c1") / "good.jsonl").resolve())]


def test_hand_in_signed_with_another_key_is_refused(
    runner: CliRunner, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    student = create_key_pair(tmp_path / "student")
    monkeypatch.setenv(SIGNING_KEY_ENV, str(student.private_path))
    forged = play(tmp_path / "forged.jsonl", group="G1")
    result = runner.invoke(app, ["import", str(forged), "--db", str(db)])
    assert result.exit_code == 1 and "另一把密钥" in result.stderr
    assert sessions(db) == []


def test_interrupted_hand_in_needs_allow_incomplete(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    full = play(tmp_path / "full.jsonl", group="G1")
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(b"".join(lines_of(full)[:-2]))
    refused = runner.invoke(app, ["import", str(cut), "--db", str(db)])
    assert refused.exit_code == 1 and "不完整" in refused.stderr and sessions(db) == []
    allowed = runner.invoke(app, ["import", "--allow-incomplete", str(cut), "--db", str(db)])
    assert allowed.exit_code == 0, allowed.output
    assert "不完整" in allowed.stdout and len(sessions(db)) == 1


def test_unknown_group_is_refused_after_verification(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    hand_in = play(tmp_path / "g9.jsonl", group="G9")
    result = runner.invoke(app, ["import", str(hand_in), "--db", str(db)])
    assert result.exit_code == 1 and "G9" in result.stderr
    assert not (archive_dir("c1") / "g9.jsonl").exists() and sessions(db) == []
