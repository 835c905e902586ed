"""``finsim score`` (the automatic score of transcripts) and ``finsim rubric`` (rubric files).

``finsim score T1 T2 … --json`` prints JSON Lines: one compact JSON object per
transcript that could be scored, in the order given (one transcript: one
object). A transcript that cannot be read is reported on stderr and the exit
code is 2 once every other file has been scored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from finsim.cli.checking import validate_files
from finsim.cli.context import app_context, problem_prefix
from finsim.cli.options import RubricOption
from finsim.cli.tables import new_table
from finsim.errors import ExitCode, FinsimError
from finsim.i18n import tr
from finsim.scoring.auto import auto_score, fmt
from finsim.scoring.card import card_rows, short_of_full
from finsim.scoring.forms import build_form
from finsim.scoring.loader import read_rubric
from finsim.scoring.report import CriterionScore, ScoreReport, StepScore, turn_aside
from finsim.scoring.rubric import level_label
from finsim.transcript.reader import read_transcript


def score(
    ctx: typer.Context,
    transcripts: Annotated[
        list[Path],
        typer.Argument(metavar="TRANSCRIPT...", help="演练记录文件（.jsonl）。Transcripts."),
    ],
    rubric: RubricOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="每份记录输出一行 JSON（JSON Lines）。Print JSON Lines.")
    ] = False,
) -> None:
    """按评分标准给演练记录自动评分，每一分都注明轮次。Score transcripts automatically."""
    state = app_context(ctx)
    chosen = state.rubrics().resolve(rubric)
    failed = 0
    for path in transcripts:
        try:
            transcript = read_transcript(path)
            report = auto_score(transcript, chosen)
        except FinsimError as exc:
            failed += 1
            for line in str(exc).splitlines():
                named = line if line.startswith(str(path)) else f"{path}: {line}"
                state.error_console.print(problem_prefix() + named, markup=False)
            continue
        for warning in transcript.warnings:
            state.error_console.print(problem_prefix(warning=True) + warning, markup=False)
        if as_json:
            typer.echo(report_json(report))
        else:
            render_score(state.console, report, title=str(path))
    if failed:
        raise typer.Exit(ExitCode.BAD_INPUT)


def report_json(report: ScoreReport) -> str:
    """One compact JSON line for a report (UTF-8 text, not escaped)."""
    data = report.model_dump(mode="json", by_alias=True)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def render_score(
    console: Console,
    report: ScoreReport,
    *,
    title: str = "",
    brief: bool = False,
    detail_path: str = "",
) -> None:
    """Print a score: totals, steps, every criterion (``brief``: one line per point lost), advice.

    ``detail_path`` (the end card) names the transcript ``finsim score`` explains in full.
    """
    head = tr("自动评分", "Auto score")
    console.print(
        f"[bold]{head}[/bold] {escape(title)}  "
        f"[bold]{fmt(report.total)}/{fmt(report.max)}[/bold]"
        + tr(
            f"（{report.percent:g}%，{report.level}）",
            f" ({report.percent:g}%, {level_label(report.level)})",
        )
    )
    if report.ceiling is not None:
        console.print(f"[red]{escape(report.ceiling_reason)}[/red]")
    console.print(_steps_table(report))
    if brief:
        _print_losses(console, report)
    else:
        for step in report.steps:
            for criterion in step.criteria:
                _print_criterion(console, criterion)
        for criterion in report.overall:
            _print_criterion(console, criterion)
    _print_violations(console, report)
    _print_metrics(console, report)
    console.print(f"[bold]{tr('改进建议', 'Suggestions')}[/bold]")
    for n, text in enumerate(report.suggestions, 1):
        console.print(f"  {n}. {escape(text)}")
    if detail_path:
        console.print(
            tr("每一项得分和失分的详细说明：", "Every point explained: ")
            + f"finsim score {detail_path}",
            markup=False,
        )


def _print_losses(console: Console, report: ScoreReport) -> None:
    """One line for every criterion below full marks: what was missing."""
    lost: list[tuple[StepScore | None, CriterionScore]] = [
        (s, c) for s in report.steps for c in short_of_full(s.criteria)
    ]
    lost += [(None, c) for c in short_of_full(report.overall)]
    if not lost:
        return
    console.print(f"[bold]{tr('失分原因', 'Points lost')}[/bold]")
    for step, c in lost:
        where = tr(f"第{step.number}步 ", f"Step {step.number} ") if step else ""
        score = f"{fmt(c.points)}/{fmt(c.max)}"
        console.print(
            f"  {escape(where + c.name)} {score}{tr('：', ': ')}{escape(c.missing)}",
        )


def _steps_table(report: ScoreReport) -> Table:
    table = new_table(
        None,
        tr("步骤", "step"),
        tr("得分", "points"),
        tr("等级", "level"),
        tr("说明", "notes"),
        show_edge=False,
    )
    for row in card_rows(report, say_what_was_missing=False):
        table.add_row(escape(row.label), row.points, row.level, escape(row.note()))
    return table


def _print_criterion(console: Console, criterion: CriterionScore) -> None:
    if not criterion.checks:
        console.print(f"[dim]{escape(criterion.line)}[/dim]")
        return
    head, _, _ = criterion.line.partition(tr("：", ": "))
    console.print(f"[bold]{escape(head)}[/bold]")
    for check in criterion.checks:
        if check.points >= check.max:
            mark = "[green]✓[/green]"
        elif check.points > 0:
            mark = "[yellow]◐[/yellow]"
        else:
            mark = "[red]✗[/red]"
        console.print(
            f"  {mark} {escape(check.explanation)} [dim]{fmt(check.points)}/{fmt(check.max)}[/dim]"
        )


def _print_violations(console: Console, report: ScoreReport) -> None:
    if not report.violations:
        console.print(tr("[green]未发现违规。[/green]", "[green]No violations.[/green]"))
        return
    console.print(f"[bold red]{tr('违规', 'Violations')}[/bold red]")
    for v in report.violations:
        step = tr(f"第{v.step_number}步 {v.step_name}", f"step {v.step_number} {v.step_name}")
        where = f"[dim]{tr('（', ' (')}{escape(step)}{tr('）', ')')}[/dim]" if v.step_number else ""
        console.print(f"  [red]✗[/red] {escape(v.line)}{where}")


def _print_metrics(console: Console, report: ScoreReport) -> None:
    m = report.metrics
    mono = turn_aside(m.longest_monologue_turn) if m.longest_monologue_turn else ""
    console.print(
        tr(
            f"对话指标：发言占比 {m.talk_share:.0%}，提问 {m.questions} 次，"
            f"最长发言 {m.longest_monologue} 字{mono}，未解释术语 {m.unexplained_jargon} 处，"
            f"客户经理发言 {m.manager_turns} 轮",
            f"Metrics: talk share {m.talk_share:.0%}, {m.questions} questions, "
            f"longest turn {m.longest_monologue} characters{mono}, "
            f"{m.unexplained_jargon} unexplained term(s), {m.manager_turns} manager turns",
        ),
        markup=False,
    )


rubric_app = typer.Typer(
    help="评分标准：校验、查看表单。Rubrics: validate, forms.", no_args_is_help=True
)


@rubric_app.command("validate")
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...", help="评分标准文件；不给则校验全部自带评分标准。Rubric files."
        ),
    ] = None,
) -> None:
    """校验评分标准文件（出错时给出 文件:行:列）。Validate rubric files."""
    state = app_context(ctx)
    catalog = state.rubrics()
    files = list(paths) if paths else [catalog.path(id_) for id_ in catalog.ids()]
    validate_files(state, files, _check_rubric_file, strict=False)


def _check_rubric_file(path: Path) -> tuple[list[str], list[str]]:
    read_rubric(path)
    return [], []


@rubric_app.command("form")
def form(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Argument(
            metavar="KIND",
            help="表单类型：peer 互评、teacher 教师评分、client_roleplay 客户扮演评价。Form.",
        ),
    ],
    rubric: RubricOption = None,
) -> None:
    """显示互评、教师或客户扮演评价表。Show a rating form."""
    state = app_context(ctx)
    if kind not in {"peer", "teacher", "client_roleplay"}:
        raise typer.BadParameter(
            tr(
                f"“{kind}” 不是表单类型；可用：peer（互评）、teacher（教师评分）、"
                "client_roleplay（客户扮演评价）",
                f"'{kind}': peer | teacher | client_roleplay",
            ),
            param_hint="KIND",
        )
    shown = build_form(state.rubrics().resolve(rubric), kind)  # type: ignore[arg-type]
    table = new_table(
        shown.title,
        tr("代号", "key"),
        tr("项目", "item"),
        tr("满分", "max"),
        tr("等级描述", "levels"),
    )
    for item in shown.items:
        levels = "\n".join(f"{name}：{text}" for name, text in item.levels.items())
        table.add_row(item.key, escape(item.label), fmt(item.max_points), escape(levels))
    state.console.print(table)
    state.console.print(tr(f"满分 {fmt(shown.max_total)}", f"Total {fmt(shown.max_total)}"))
    if shown.comment:
        prompt = shown.comment_prompt.removeprefix("点评：")  # the label says 点评 already
        state.console.print(tr("另附点评：", "Comment: ") + prompt, markup=False)
