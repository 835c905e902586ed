"""The console finsim prints to on a real terminal (or a pipe)."""

from __future__ import annotations

from rich.console import Console


class TerminalConsole(Console):
    """A rich console whose closed pipe reaches finsim's one error mapping (exit 141)."""

    def on_broken_pipe(self) -> None:
        """Raise :class:`BrokenPipeError` (rich itself would exit 1, the code of a failed check)."""
        self.quiet = True
        raise BrokenPipeError(32, "Broken pipe")
