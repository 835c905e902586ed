"""``finsim rate`` and ``finsim grade`` from the command line: exit codes and messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_class_support import register, two_group_class, write_transcript
from typer.testing import CliRunner

from finsim.cli.app import app
from finsim.store import open_store


@pytest.fixture
def setup(tmp_path: Path) -> dict[str, object]:
    made = two_group_class(tmp_path)
    return {key: made[key] for key in ("db", "session", "items", "good")}


def rate(runner: CliRunner, setup: dict, *args: str) -> object:  # type: ignore[type-arg]
    return runner.invoke(app, ["rate", "--db", setup["db"], "--session", setup["session"], *args])


def test_a_peer_rating_is_saved(runner: CliRunner, setup: dict) -> None:  # type: ignore[type-arg]
    result = rate(runner, setup, "--rater", "2024011", "--scores", setup["good"], "--comment", "好")
    assert result.exit_code == 0, result.stderr
    assert "已保存" in result.stdout


def test_self_rating_is_refused(runner: CliRunner, setup: dict) -> None:  # type: ignore[type-arg]
    result = rate(runner, setup, "--rater", "2024003", "--scores", setup["good"])
    assert result.exit_code == 2
    assert "是 G1 组成员，不能给本组评分" in result.stderr
    store = open_store(setup["db"])
    assert store.list_ratings("c1") == []
    store.close()


def test_a_participant_named_in_the_transcript_is_refused(
    runner: CliRunner, tmp_path: Path, setup: dict
) -> None:  # type: ignore[type-arg]
    from finsim.transcript import Participant

    store = open_store(setup["db"])
    path = write_transcript(
        tmp_path / "g1b.jsonl", "G1", participants=[Participant(id="2024015", role="client")]
    )
    session = register(store, "c1", path, {})
    store.close()
    result = runner.invoke(
        app,
        [
            "rate",
            "--db",
            setup["db"],
            "--session",
            str(session.id),
            "--rater",
            "2024015",
            "--scores",
            setup["good"],
        ],
    )
    assert result.exit_code == 2 and "不能给本组评分" in result.stderr


def test_rerating_needs_yes_and_then_replaces(runner: CliRunner, setup: dict) -> None:  # type: ignore[type-arg]
    assert rate(runner, setup, "--rater", "2024012", "--scores", setup["good"]).exit_code == 0
    low = ",".join(f"{i.key}=0" for i in setup["items"])
    again = rate(runner, setup, "--rater", "2024012", "--scores", low)
    assert again.exit_code == 2 and "--yes" in again.stderr
    replaced = rate(runner, setup, "--rater", "2024012", "--scores", low, "--yes")
    assert replaced.exit_code == 0 and "已替换" in replaced.stdout
    store = open_store(setup["db"])
    (only,) = store.list_ratings("c1")
    store.close()
    assert only.total == 0


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ("nosuch=1", "表单中没有项目 nosuch"),
        ("research=1", "缺少项目"),
        ("research=99", "超出范围"),
        ("research=abc", "不是数字"),
        ("research", "应写成 项目=分数"),
        ("research=1,research=2", "重复"),
    ],
)
def test_bad_scores_are_explained(
    runner: CliRunner, setup: dict, scores: str, message: str
) -> None:  # type: ignore[type-arg]
    if message in ("缺少项目", "超出范围"):
        rest = ",".join(f"{i.key}=1" for i in setup["items"] if i.key != "research")
        scores = f"{scores},{rest}" if message == "超出范围" else scores
    result = rate(runner, setup, "--rater", "2024011", "--scores", scores)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_rater_and_session(runner: CliRunner, setup: dict) -> None:  # type: ignore[type-arg]
    unknown = rate(runner, setup, "--rater", "9999", "--scores", setup["good"])
    assert unknown.exit_code == 3 and "不在班级 c1 的名单中" in unknown.stderr
    result = runner.invoke(
        app,
        [
            "rate",
            "--db",
            setup["db"],
            "--session",
            "77",
            "--rater",
            "2024011",
            "--scores",
            setup["good"],
        ],
    )
    assert result.exit_code == 3 and "没有编号为 77" in result.stderr


def test_without_a_terminal_the_missing_options_are_named(runner: CliRunner, setup: dict) -> None:  # type: ignore[type-arg]
    no_rater = runner.invoke(app, ["rate", "--db", setup["db"], "--session", setup["session"]])
    assert no_rater.exit_code == 2 and "--rater" in no_rater.stderr
    no_scores = rate(runner, setup, "--rater", "2024011")
    assert no_scores.exit_code == 2 and "--scores" in no_scores.stderr


def test_grade_with_override(runner: CliRunner, setup: dict) -> None:  # type: ignore[type-arg]
    base = ["grade", "--db", setup["db"], "--group", "G1"]
    assert runner.invoke(app, [*base, "--reason", "x"]).exit_code == 2
    no_reason = runner.invoke(app, [*base, "--override", "90"])
    assert no_reason.exit_code == 2 and "理由" in no_reason.stderr
    bad = runner.invoke(app, [*base, "--override", "120", "--reason", "x"])
    assert bad.exit_code == 2 and "0 到 100" in bad.stderr
    done = runner.invoke(app, [*base, "--override", "90", "--reason", "补考"])
    assert done.exit_code == 0 and "已记录改分" in done.stdout
    assert "自动评分" in done.stdout  # the auto score is shown beside the form
    store = open_store(setup["db"])
    (override,) = store.list_overrides("c1")
    store.close()
    assert (override.points, override.reason, override.by) == (90, "补考", "teacher")


def test_english_messages(runner: CliRunner, setup: dict) -> None:  # type: ignore[type-arg]
    result = runner.invoke(
        app,
        [
            "--lang",
            "en",
            "rate",
            "--db",
            setup["db"],
            "--session",
            setup["session"],
            "--rater",
            "2024001",
            "--scores",
            setup["good"],
        ],
    )
    assert result.exit_code == 2 and "cannot rate their own group" in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["class"],
        ["class", "init"],
        ["class", "groups"],
        ["class", "show"],
        ["class", "settings"],
        ["class", "add-session"],
        ["rate"],
        ["grade"],
        ["report"],
    ],
)
def test_help_on_every_command(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.stdout
