"""Usage errors through the real entry point: one line, the help hint, exit 2."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def run(*args: str, lang: str = "zh") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FINSIM_LANG": lang}
    return subprocess.run(
        [sys.executable, "-m", "finsim", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["drill", "--time", "abc"], "--time"),
        (["drill", "--nope"], "没有这个选项：--nope"),
        (["bogus"], "没有这个命令：bogus"),
        (["score"], "缺少参数"),
        (["--lang", "xx", "scenario", "list"], "--lang"),
        (["drill", "--seed", "x"], "--seed 的值不对：应为整数"),
        (["replay", "x.jsonl", "--step", "0"], "--step 的值不对：不能小于 1"),
        (["drill", "--mod", "solo"], "没有这个选项：--mod，是不是要用 --mode"),
        (["showcase", "x.jsonl"], "缺少选项 --out / -o"),
    ],
)
def test_a_usage_error_is_one_line_with_the_help_hint(args: list[str], expected: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("finsim: 错误：")
    assert expected in lines[0]
    assert "--help 查看用法" in lines[0]
    assert "Traceback" not in result.stderr


def test_usage_errors_in_english() -> None:
    result = run("drill", "--nope", lang="en")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("finsim: error: no such option: --nope")
    assert lines[0].endswith("(see finsim drill --help)")


def test_no_arguments_prints_the_help() -> None:
    result = run()
    assert result.returncode == 2
    assert "Usage: finsim" in result.stderr + result.stdout


def test_help_and_version_exit_0() -> None:
    assert run("--help").returncode == 0
    version = run("--version")
    assert version.returncode == 0 and version.stdout.startswith("finsim ")
