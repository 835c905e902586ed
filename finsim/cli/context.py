"""What every command receives: the terminal, the language, the scenario and rubric catalogs."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from finsim.errors import StorageError
from finsim.i18n import Language, environment_language, tr

if TYPE_CHECKING:  # loaded when a command runs, so that --help does without them
    from rich.console import Console

    from finsim.scenario import ScenarioCatalog
    from finsim.scoring.loader import RubricCatalog


@dataclass
class AppContext:
    """Per-invocation state set by the root callback and passed to every command."""

    console: Console
    error_console: Console
    scenario_dirs: list[Path] = field(default_factory=list)
    language: Language = "zh"

    def catalog(self) -> ScenarioCatalog:
        """Build the scenario catalog on this invocation's search path."""
        from finsim.scenario import ScenarioCatalog

        return ScenarioCatalog(self.scenario_dirs)

    def rubrics(self) -> RubricCatalog:
        """Return the rubric catalog: shipped rubrics by id, or rubric files."""
        from finsim.scoring.loader import RubricCatalog

        return RubricCatalog()


def problem_prefix(warning: bool = False) -> str:
    """Return the prefix of an error (or warning) line on stderr: ``finsim: 错误：``."""
    return (
        tr("finsim: 警告：", "finsim: warning: ")
        if warning
        else tr("finsim: 错误：", "finsim: error: ")
    )


def make_context(
    scenario_dirs: list[Path] | None = None, language: Language | None = None
) -> AppContext:
    """Build the context for the real terminal (stdout/stderr as they are now)."""
    if sys.stdout is None:  # started with stdout closed (>&-): what it prints would vanish
        raise StorageError(
            tr(
                "标准输出已关闭，结果无处可写；请把输出重定向到文件（> 文件名）或 /dev/null",
                "standard output is closed, so the results would be lost; redirect it to a"
                " file (> name) or to /dev/null",
            )
        )
    from finsim.cli.terminal import TerminalConsole

    return AppContext(
        console=TerminalConsole(file=sys.stdout, highlight=False, soft_wrap=True),
        error_console=TerminalConsole(file=sys.stderr, highlight=False, soft_wrap=True),
        scenario_dirs=list(scenario_dirs or []),
        language=language or environment_language(),
    )


def app_context(ctx: typer.Context) -> AppContext:
    """Return this invocation's :class:`AppContext` (created on demand for sub-apps run alone)."""
    root = ctx.find_root()
    if not isinstance(root.obj, AppContext):
        root.obj = make_context()
    return root.obj
