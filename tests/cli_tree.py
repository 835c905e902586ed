"""The command tree as the user meets it: every command with its name path, groups included.

The lazy groups import a command's module only when asked for it, so the tree is
walked through ``list_commands``/``get_command``, never through ``commands``.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperGroup
from typer.main import get_command

from finsim.cli import app


def walk_commands() -> list[tuple[list[str], Any]]:
    """Every command of the tree with its name path, the root (``[]``) and groups included."""
    root = get_command(app)
    ctx = root.make_context("finsim", ["--help"], resilient_parsing=True)
    found: list[tuple[list[str], Any]] = []

    def walk(command: Any, path: list[str]) -> None:
        found.append((path, command))
        if isinstance(command, TyperGroup):
            for name in sorted(command.list_commands(ctx)):
                walk(command.get_command(ctx, name), [*path, name])

    walk(root, [])
    return found


def leaf_commands() -> list[tuple[list[str], Any]]:
    """The commands that run (``class groups``, ``score``, …), not the groups that hold them."""
    return [(path, c) for path, c in walk_commands() if not isinstance(c, TyperGroup)]
