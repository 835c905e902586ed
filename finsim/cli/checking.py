"""The shared loop of the ``validate`` commands: check files, print problems, pick the exit code."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import typer

from finsim.cli.context import AppContext, problem_prefix
from finsim.errors import ExitCode, FinsimError
from finsim.i18n import tr

FileCheck = Callable[[Path], tuple[list[str], list[str]]]
"""Checks one file: returns its errors and warnings, or raises :class:`FinsimError`."""


def validate_files(
    state: AppContext, files: Sequence[Path], check: FileCheck, strict: bool
) -> None:
    """Check every file, print each problem on stderr and a summary; exit 2 on errors.

    With ``strict``, warnings alone exit 1.
    """
    errors = warnings = 0
    for path in files:
        file_errors, file_warnings = _check_one(state, path, check)
        errors += bool(file_errors)
        warnings += file_warnings
    state.console.print(
        tr(
            f"共 {len(files)} 个文件：{errors} 个有错误，{warnings} 条警告。",
            f"{len(files)} file(s): {errors} with errors, {warnings} warning(s).",
        )
    )
    if errors:
        raise typer.Exit(ExitCode.BAD_INPUT)
    if warnings and strict:
        raise typer.Exit(ExitCode.CHECK_FAILED)


def _check_one(state: AppContext, path: Path, check: FileCheck) -> tuple[int, int]:
    try:
        errors, warnings = check(path)
    except FinsimError as exc:
        _print_problems(state, str(exc).splitlines(), warning=False)
        return 1, 0
    _print_problems(state, errors, warning=False)
    _print_problems(state, warnings, warning=True)
    if not errors:
        note = len(warnings)
        suffix = tr(f"（{note} 条警告）", f" ({note} warning(s))") if note else ""
        state.console.print(f"✓ {path}{suffix}", markup=False)
    return len(errors), len(warnings)


def _print_problems(state: AppContext, lines: list[str], *, warning: bool) -> None:
    prefix = problem_prefix(warning)
    for line in lines:
        state.error_console.print(prefix + line, markup=False)
