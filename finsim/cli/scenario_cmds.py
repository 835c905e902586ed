"""``finsim scenario``: list, show, validate and describe the scenario format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from finsim.cli.checking import validate_files
from finsim.cli.context import app_context
from finsim.cli.render_scenario import render_scenario
from finsim.cli.tables import new_table
from finsim.i18n import tr
from finsim.scenario import read_scenario
from finsim.scenario.schema import scenario_json_schema

app = typer.Typer(
    help="场景：列出、查看、校验、导出格式。Scenarios: list, show, validate, schema.",
    no_args_is_help=True,
)


@app.command("list")
def list_scenarios(ctx: typer.Context) -> None:
    """列出所有可用场景。List the available scenarios."""
    state = app_context(ctx)
    table = new_table(
        tr("可用场景", "Scenarios"),
        tr("编号", "id"),
        tr("标题", "title"),
        tr("客户", "persona"),
        tr("步骤", "steps"),
        tr("语言", "language"),
    )
    for loaded in state.catalog().load_all():
        s = loaded.scenario
        persona = f"{s.persona.profile.name}（{s.persona.profile.age}，{s.persona.risk_level}）"
        cells = (s.id, s.title, persona, str(len(s.steps)), s.language)
        table.add_row(*(Text(cell) for cell in cells))  # scenario text is not Rich markup
    state.console.print(table)


@app.command("show")
def show(
    ctx: typer.Context,
    scenario_id: Annotated[
        str, typer.Argument(metavar="ID", help="场景编号或文件路径。Scenario id or file.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON。Print JSON.")] = False,
) -> None:
    """查看一个场景：客户画像、产品、步骤与要点。Show one scenario."""
    state = app_context(ctx)
    loaded = state.catalog().resolve(scenario_id)
    if as_json:
        data = loaded.scenario.model_dump(mode="json", by_alias=True)
        state.console.print_json(json.dumps(data, ensure_ascii=False))
        return
    render_scenario(state.console, loaded.scenario)


@app.command("validate")
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...",
            help="场景文件；不给则校验全部可用场景。Scenario files (default: all).",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="有警告也返回 1。Exit 1 on warnings.")
    ] = False,
) -> None:
    """校验场景文件（不给路径则校验全部可用场景）。Validate scenario files."""
    state = app_context(ctx)
    files = list(paths) if paths else state.catalog().files()
    validate_files(state, files, _check_scenario_file, strict)


def _check_scenario_file(path: Path) -> tuple[list[str], list[str]]:
    _, report = read_scenario(path)
    return report.errors, report.warnings


@app.command("schema")
def schema() -> None:
    """输出场景格式的 JSON Schema（供编辑器补全与检查）。Print the JSON Schema."""
    typer.echo(json.dumps(scenario_json_schema(), ensure_ascii=False, indent=2))
