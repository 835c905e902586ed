"""Every command and sub-command has help, including those added later."""

from __future__ import annotations

from typing import Any

import pytest
from cli_tree import walk_commands
from typer.main import get_command
from typer.testing import CliRunner

from finsim.cli import app


def command_paths() -> list[list[str]]:
    """The name path of every command in the tree, the root included."""
    return [path for path, _ in walk_commands()]


def find(path: list[str]) -> Any:
    """The command at ``path`` (the declared ones imported)."""
    command: Any = get_command(app)
    ctx = command.make_context("finsim", ["--help"], resilient_parsing=True)
    for name in path:
        command = command.get_command(ctx, name)
    return command


PATHS = command_paths()


def test_the_tree_is_walked() -> None:
    assert ["scenario", "validate"] in PATHS
    assert len(PATHS) >= 6


@pytest.mark.parametrize("path", PATHS, ids=[" ".join(p) or "finsim" for p in PATHS])
def test_help_exits_0_with_a_description(runner: CliRunner, path: list[str]) -> None:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.stdout
    command = find(path)
    description = (command.help or command.short_help or "").strip()
    assert description, f"'finsim {' '.join(path)}' has no description"
    assert description.splitlines()[0][:20] in result.stdout


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("finsim ")


def test_root_help_shows_plain_metavars(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "120"})
    assert "--scenarios" in result.stdout and "DIR" in result.stdout
    assert "list[Path]" not in result.stdout
    version_line = next(line for line in result.stdout.splitlines() if "--version" in line)
    assert "<bool>" not in version_line


def test_bad_language_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--lang", "fr", "scenario", "list"])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
