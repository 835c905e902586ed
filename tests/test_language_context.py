"""The language is carried by the command's app context, for the time the command runs."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from finsim.cli import app
from finsim.i18n import current_language, set_language, tr, using_language


def test_a_command_speaks_its_language_and_leaves_the_callers_alone(runner: CliRunner) -> None:
    set_language(None)
    result = runner.invoke(app, ["--lang", "en", "scenario", "list"])
    assert result.exit_code == 0, result.output
    assert "retired-teacher" in result.output
    assert current_language() == "zh"  # the command's English ended with it


def test_each_invocation_starts_from_the_environment(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FINSIM_LANG", "en")
    first = runner.invoke(app, ["--lang", "zh", "score", "/no/such.jsonl"])
    second = runner.invoke(app, ["score", "/no/such.jsonl"])
    assert "找不到" in first.output
    assert "no such transcript" in second.output


def test_using_language_restores_what_was_in_force() -> None:
    set_language("zh")
    try:
        with using_language("en"):
            assert tr("中文", "English") == "English"
        assert tr("中文", "English") == "中文"
    finally:
        set_language(None)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--lang", "en", "drill", "--bogus"], "no such option: --bogus"),
        (["drill", "--bogus"], "没有这个选项：--bogus"),
    ],
)
def test_a_usage_error_is_told_in_the_commands_language(args: list[str], expected: str) -> None:
    # the real entry point: the error is printed after the command's context has closed
    done = subprocess.run(
        [sys.executable, "-m", "finsim", *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp"},
        timeout=60,
    )
    assert done.returncode == 2
    assert expected in done.stderr
