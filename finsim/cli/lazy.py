"""A command group whose commands are declared by name and imported only when used.

``finsim --help`` lists every command from its declaration (name, module and the
one-line help) without importing a single command module; ``finsim X …`` imports
the module of ``X`` alone. This is click's lazy-group pattern, under Typer.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any, ClassVar

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup
from typer.exceptions import TyperException

from finsim.cli.helptext import WideContext, use_wide_help


@dataclass(frozen=True)
class LazyCommand:
    """A command known by name: where it lives (``module:attribute``) and its one-line help.

    The attribute is a command function or a :class:`typer.Typer` (a group of commands).
    ``summary`` is what the parent's help lists; a test checks that it is the first
    line of the command's own help.
    """

    name: str
    target: str
    summary: str

    def load(self) -> Any:
        """Import the command (a click command or group) built by Typer."""
        module_name, _, attribute = self.target.partition(":")
        declared = getattr(importlib.import_module(module_name), attribute)
        if isinstance(declared, typer.Typer):
            command: Any = typer.main.get_group(declared)
        else:
            single = typer.Typer(rich_markup_mode=None, add_completion=False)
            single.command(self.name)(declared)
            command = typer.main.get_command(single)
        command.name = self.name
        return use_wide_help(command)


class LazyGroup(TyperGroup):
    """A Typer group that also holds :attr:`lazy_commands`, imported on first use.

    Subclass it with the declarations (see :func:`lazy_group`). While the group's
    own help is being written, the listed commands are placeholders built from the
    declarations, so that listing them imports nothing.
    """

    lazy_commands: ClassVar[tuple[LazyCommand, ...]] = ()
    context_class = WideContext

    def __init__(self, **attrs: Any) -> None:
        """Build the group; nothing is imported until a command is looked up."""
        super().__init__(**attrs)
        self._declared = {command.name: command for command in self.lazy_commands}
        self._writing_help = False

    def list_commands(self, ctx: Any) -> list[str]:
        """Return the commands defined in place first, then the declared ones, in order."""
        names = super().list_commands(ctx)
        return names + [name for name in self._declared if name not in self.commands]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """Return the command ``cmd_name``, importing it if it is only declared."""
        command = super().get_command(ctx, cmd_name)
        declared = self._declared.get(cmd_name)
        if command is not None or declared is None:
            return command
        if self._writing_help:
            return TyperCommand(name=declared.name, help=declared.summary)
        command = declared.load()
        self.commands[cmd_name] = command
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """Write the help, listing declared commands without importing them."""
        self._writing_help = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._writing_help = False

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """Find the command; a typo is answered with the closest names, declared ones included."""
        try:
            return super().resolve_command(ctx, args)
        except TyperException as exc:  # click's UsageError, vendored by Typer
            message = getattr(exc, "message", None)
            if not (self.suggest_commands and args and isinstance(message, str)):
                raise
            matches = get_close_matches(args[0], self.list_commands(ctx))
            if matches and "Did you mean" not in message:
                suggestions = ", ".join(f"{match!r}" for match in matches)
                exc.message = f"{message.rstrip('.')}. Did you mean {suggestions}?"
            raise


def lazy_group(base: type[LazyGroup], commands: Sequence[LazyCommand]) -> type[LazyGroup]:
    """Return a subclass of ``base`` whose declared commands are ``commands``."""
    return type(base.__name__, (base,), {"lazy_commands": tuple(commands)})
