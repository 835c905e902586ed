"""Start-up: the command tree is declared, not imported; help imports only what it prints."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer.main
from typer.testing import CliRunner

from finsim.cli.app import COMMANDS, app
from finsim.cli.helptext import width
from finsim.cli.lazy import LazyGroup

# what a command needs only when it runs: models, the scenario loader, spreadsheets,
# signatures, the database driver, the recogniser
HEAVY = (
    "pydantic",
    "finsim.scenario.models",
    "finsim.scenario.loader",
    "openpyxl",
    "cryptography",
    "psycopg",
    "finsim.nlu",
)

PROBE = """
import json, sys
sys.argv = ["finsim", *json.loads(sys.argv[1])]
heavy = {heavy!r}
try:
    if sys.argv[1:]:
        from finsim.cli import main
        main()
    else:
        import finsim.cli
except SystemExit:
    pass
loaded = sorted(m for m in sys.modules if m.split(".")[0] in heavy or m.startswith(heavy))
sys.stderr.write("LOADED " + json.dumps(loaded) + "\\n")
"""


def loaded_after(args: list[str]) -> list[str]:
    """Run ``finsim ARGS`` (or only ``import finsim.cli``) in a fresh process: heavy modules."""
    probe = PROBE.format(heavy=HEAVY)
    result = subprocess.run(
        [sys.executable, "-c", probe, json.dumps(args)],
        capture_output=True,
        text=True,
        env={"COLUMNS": "100", "PATH": ""},
        check=True,
    )
    line = next(line for line in result.stderr.splitlines() if line.startswith("LOADED "))
    return list(json.loads(line.removeprefix("LOADED ")))


@pytest.mark.parametrize(
    "args",
    [[], ["--help"], ["drill", "--help"], ["demo", "--help"]],
    ids=["import", "--help", "drill --help", "demo --help"],
)
def test_help_imports_nothing_heavy(args: list[str]) -> None:
    assert loaded_after(args) == []


def test_the_probe_sees_what_a_command_loads() -> None:
    # the same probe on a command that reads scenarios: the check can fail
    assert "pydantic" in loaded_after(["scenario", "list"])


def test_root_help_lists_every_command_without_loading_it() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, LazyGroup)
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    listed = "".join(result.stdout.split())
    for command in COMMANDS:
        assert "".join([command.name, *command.summary.split()]) in listed
    assert max(width(line) for line in result.stdout.splitlines()) <= 80


def test_each_declared_summary_is_the_first_line_of_its_help() -> None:
    root = typer.main.get_command(app)
    assert isinstance(root, LazyGroup)
    ctx = root.make_context("finsim", ["--help"], resilient_parsing=True)
    todo = [(root, command) for command in root.lazy_commands]
    class_group = root.get_command(ctx, "class")
    assert isinstance(class_group, LazyGroup) and class_group.lazy_commands
    todo += [(class_group, command) for command in class_group.lazy_commands]
    for group, command in todo:
        loaded = group.get_command(ctx, command.name)
        assert loaded is not None and loaded.name == command.name
        first_line = (loaded.help or "").strip().splitlines()[0]
        assert first_line == command.summary, command.name


def test_a_typo_is_answered_with_a_declared_command(runner: CliRunner) -> None:
    result = runner.invoke(app, ["scenaro", "list"])
    assert result.exit_code == 2
    assert "scenario" in result.output
