"""Options that several commands share are declared once, in ``finsim/cli/options.py``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_tree import leaf_commands

CLI = Path(__file__).resolve().parents[1] / "finsim" / "cli"
SHARED = ["--db", "--class", "--force", "--rubric", "--peer-agg", "--weights", "--step-weight"]


def _declarations(option: str) -> list[str]:
    pattern = re.compile(rf"typer\.Option\(\s*\"{re.escape(option)}\"")
    return [
        str(path.relative_to(CLI))
        for path in sorted(CLI.rglob("*.py"))
        for _ in pattern.finditer(path.read_text(encoding="utf-8"))
    ]


@pytest.mark.parametrize("option", SHARED)
def test_a_shared_option_is_declared_once(option: str) -> None:
    assert set(_declarations(option)) == {"options.py"}


def test_every_command_that_takes_a_rubric_shows_the_same_help() -> None:
    helps = {
        param.help
        for _, command in leaf_commands()
        for param in getattr(command, "params", [])
        if "--rubric" in getattr(param, "opts", [])
    }
    assert len(helps) == 1, helps
