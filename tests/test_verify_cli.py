"""``finsim verify`` and ``finsim class key`` through the command line: output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from test_seal_support import lines_of, play, scenario
from typer.testing import CliRunner

from finsim.cli.app import app
from finsim.drill.session import DrillSession
from finsim.transcript.keys import keys_dir


def test_class_key_creates_the_pair_and_refuses_to_replace_it(runner: CliRunner) -> None:
    result = runner.invoke(app, ["class", "key"])
    assert result.exit_code == 0, result.output
    assert (keys_dir() / "class.key").exists() and (keys_dir() / "class.pub").exists()
    assert "私钥" in result.stdout and "公钥" in result.stdout
    again = runner.invoke(app, ["class", "key"])
    assert again.exit_code == 2 and "--force" in again.stderr and "Traceback" not in again.output


def test_verify_intact_and_tampered_files(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(app, ["class", "key"]).exit_code == 0
    good = play(tmp_path / "good.jsonl")
    bad = play(tmp_path / "bad.jsonl", seed=2)
    lines = lines_of(bad)
    lines[2], lines[3] = lines[3], lines[2]
    bad.write_bytes(b"".join(lines))
    result = runner.invoke(app, ["verify", str(good), str(bad)])
    assert result.exit_code == 1
    assert f"✓ [完好] {good}: 共 21 行，均由本班密钥" in result.stdout
    assert f"✗ [已被改动或损坏] {bad}:3: 事件 3" in result.stderr
    alone = runner.invoke(app, ["verify", str(good)])
    assert alone.exit_code == 0 and alone.stderr == ""


def test_verify_a_folder_in_english_json(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "term"
    folder.mkdir()
    play(folder / "a.jsonl")
    play(folder / "b.jsonl", seed=2)
    result = runner.invoke(app, ["--lang", "en", "verify", "--json", str(folder)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(r["path"]).name for r in rows] == ["a.jsonl", "b.jsonl"]
    assert all(r["status"] == "chained" and r["passes"] for r in rows)
    assert "internal consistency" in rows[0]["message"]


def test_without_a_class_key_verify_warns_that_only_the_chain_is_checked(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = play(tmp_path / "t.jsonl")
    result = runner.invoke(app, ["verify", str(path)])
    assert result.exit_code == 0
    assert "警告" in result.stderr and "哈希链" in result.stderr
    assert "未签名" in result.stdout


def test_interrupted_drill_fails_unless_incomplete_is_allowed(
    runner: CliRunner, tmp_path: Path
) -> None:
    assert runner.invoke(app, ["class", "key"]).exit_code == 0
    path = tmp_path / "killed.jsonl"
    session = DrillSession(scenario(), seed=3, transcript_path=path)
    session.opening()
    session.manager_says("陈老师您好，我是城南支行的客户经理小李。")
    session.close()  # no end event, as after a kill
    count = len(lines_of(path))
    result = runner.invoke(app, ["verify", str(path)])
    assert result.exit_code == 1
    assert f"✗ [不完整] {path}:{count}:" in result.stderr and "被中断" in result.stderr
    allowed = runner.invoke(app, ["verify", "--allow-incomplete", str(path)])
    assert allowed.exit_code == 0 and "[不完整]" in allowed.stdout


def test_missing_and_foreign_files_fail_cleanly(runner: CliRunner, tmp_path: Path) -> None:
    other = tmp_path / "notes.jsonl"
    other.write_text('{"hello": 1}\n', encoding="utf-8")
    result = runner.invoke(app, ["verify", str(tmp_path / "gone.jsonl"), str(other)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "gone.jsonl" in result.stderr and "无法读取" in result.stderr
    assert f"{other}:1: 不是 finsim 演练记录" in result.stderr


def test_bad_key_file_is_one_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    key = tmp_path / "class.pub"
    key.write_text("-----BEGIN PUBLIC KEY-----\nxx\n-----END PUBLIC KEY-----\n", encoding="utf-8")
    path = play(tmp_path / "t.jsonl")
    result = runner.invoke(app, ["verify", "--key", str(key), str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{key}" in result.stderr and "Ed25519" in result.stderr
