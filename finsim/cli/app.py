"""The root ``finsim`` command, its global options, and the one place errors become exit codes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from finsim import __version__
from finsim.cli.context import app_context, make_context, problem_prefix
from finsim.errors import ExitCode, FinsimError
from finsim.i18n import Language, parse_language, set_language, tr


class FinsimGroup(TyperGroup):
    """Maps every expected error to one message on stderr and its documented exit code."""

    def invoke(self, ctx: Any) -> Any:
        """Run the command; turn :class:`FinsimError` and Ctrl-C into clean exits."""
        try:
            return super().invoke(ctx)
        except FinsimError as exc:
            report_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            sys.stderr.write(tr("\n已中断。\n", "\nInterrupted.\n"))
            raise typer.Exit(ExitCode.INTERRUPTED) from None


def report_error(exc: FinsimError) -> None:
    """Print an expected error: one line per problem, each prefixed ``finsim: 错误:``."""
    prefix = problem_prefix()
    for line in str(exc).splitlines() or [""]:
        sys.stderr.write(f"{prefix}{line}\n")


app = typer.Typer(
    cls=FinsimGroup,
    name="finsim",
    help="金融服务营销情景演练模拟器 — financial-services marketing drill simulator.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"finsim {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="zh|en",
            help="界面语言 zh 或 en（默认读 FINSIM_LANG，否则中文）。Language: zh or en.",
        ),
    ] = None,
    scenarios: Annotated[
        list[Path] | None,
        typer.Option(
            "--scenarios",
            metavar="DIR",
            help="额外的场景目录（可重复；也可用环境变量 FINSIM_SCENARIOS）。"
            "Extra scenario folder (repeatable).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            metavar="",  # a flag takes no value; typer would show "<bool>"
            help="显示版本并退出。Show the version and exit.",
        ),
    ] = False,
) -> None:
    """Set the language and the scenario search path for every command."""
    # set on every run, so that one process running several commands (tests) starts afresh
    set_language(_language_option(lang) if lang is not None else None)
    ctx.obj = make_context(scenarios or [])


def _language_option(value: str) -> Language:
    """Check the ``--lang`` value: ``zh`` or ``en``, with an optional region (``zh_CN``)."""
    if value.strip().lower().replace("-", "_").split("_")[0] not in {"zh", "en"}:
        raise typer.BadParameter(f"'{value}': zh | en", param_hint="--lang")
    return parse_language(value)


def _register() -> None:
    from finsim.cli import drill_cmds, scenario_cmds, score_cmds

    app.add_typer(scenario_cmds.app, name="scenario")
    from finsim.cli import intent_cmds

    app.add_typer(intent_cmds.app, name="intent")
    app.command("drill")(drill_cmds.drill)
    app.command("demo")(drill_cmds.demo)
    app.command("score")(score_cmds.score)
    app.add_typer(score_cmds.rubric_app, name="rubric")
    from finsim.cli import class_cmds, rating_cmds, report_cmds

    app.add_typer(class_cmds.app, name="class")
    app.command("rate")(rating_cmds.rate)
    app.command("grade")(rating_cmds.grade)
    app.command("report")(report_cmds.report)
    from finsim.cli import replay_cmds

    app.command("replay")(replay_cmds.replay)
    from finsim.cli import export_cmds

    app.command("export")(export_cmds.export)
    app.command("showcase")(export_cmds.showcase)
    from finsim.cli import batch_cmds, verify_cmds

    app.command("verify")(verify_cmds.verify)
    app.command("import")(verify_cmds.import_transcripts)
    class_cmds.app.command("key")(verify_cmds.class_key)
    app.command("rescore")(batch_cmds.rescore_command)
    app.add_typer(batch_cmds.app, name="batch")


_register()


def main() -> None:
    """Console-script entry point."""
    app(prog_name="finsim")


__all__ = ["app", "app_context", "main"]
