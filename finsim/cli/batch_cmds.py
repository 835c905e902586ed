"""``finsim rescore`` (one transcript, old and new side by side) and ``finsim batch rescore``.

``rescore`` exits 0; with ``--check`` it exits 1 when anything changed (a
score, a criterion, a turn's reading, the decision). ``batch rescore`` writes
the whole summary and exits 0 when every file was rescored, 1 when some were
skipped (each is a ``skipped`` row of the summary, with the reason, and is
named on stderr), 2 for bad options or a bad rubric before any work started.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from finsim import __version__
from finsim.batch.rescore import RESCORE_SCHEMA, RescoreResult, rescore
from finsim.batch.run import (
    BatchOptions,
    RescoreRow,
    SummaryFormat,
    check_roots,
    count_transcripts,
    run_batch,
)
from finsim.cli.context import AppContext, app_context, problem_prefix
from finsim.cli.options import ForceOption, RubricOption
from finsim.errors import ExitCode, UsageError
from finsim.i18n import current_language, tr
from finsim.outputs import check_output
from finsim.scenario.models import Scenario
from finsim.scoring.auto import fmt
from finsim.scoring.rubric import Rubric
from finsim.transcript.reader import Transcript, read_transcript
from finsim.vocabulary import decision_name

app = typer.Typer(
    help="批量处理演练记录：按当前版本的识别引擎和评分标准重新评分。Batch work on transcripts.",
    no_args_is_help=True,
)

OldRubricOption = Annotated[
    str | None,
    typer.Option(
        "--old-rubric",
        metavar="R",
        help="计算原分数用的评分标准（默认用自带的）。Rubric for the old score.",
    ),
]
CurrentScenarioOption = Annotated[
    bool,
    typer.Option(
        "--current-scenario",
        help="按当前的场景文件重放（而不是记录里保存的场景）。"
        "Replay under the current scenario file.",
    ),
]


def _rubrics(
    state: AppContext, rubric: str | None, old_rubric: str | None
) -> tuple[Rubric, Rubric]:
    catalog = state.rubrics()
    return catalog.resolve(rubric), catalog.resolve(old_rubric)


def rescore_command(
    ctx: typer.Context,
    transcript: Annotated[
        Path, typer.Argument(metavar="TRANSCRIPT", help="演练记录文件（.jsonl）。Transcript.")
    ],
    rubric: RubricOption = None,
    old_rubric: OldRubricOption = None,
    current_scenario: CurrentScenarioOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON。Print JSON.")] = False,
    check: Annotated[
        bool, typer.Option("--check", help="有任何变化时退出码为 1。Exit 1 if anything changed.")
    ] = False,
) -> None:
    """按当前版本的识别引擎和评分标准重新评分一份记录，新旧对照。Rescore one transcript."""
    state = app_context(ctx)
    result = show_rescore(
        state,
        read_transcript(transcript),
        rubric=rubric,
        old_rubric=old_rubric,
        current_scenario=current_scenario,
        as_json=as_json,
    )
    if check and result.changed:
        raise typer.Exit(ExitCode.CHECK_FAILED)


def show_rescore(
    state: AppContext,
    loaded: Transcript,
    *,
    rubric: str | None,
    old_rubric: str | None = None,
    current_scenario: bool = False,
    as_json: bool = False,
) -> RescoreResult:
    """Rescore one read transcript and print old and new side by side (or as JSON)."""
    new_rubric, old = _rubrics(state, rubric, old_rubric)
    scenario: Scenario | None = None
    if current_scenario:
        scenario = state.catalog().resolve(loaded.header.scenario_id).scenario
    result = rescore(loaded, new_rubric, old_rubric=old, scenario=scenario)
    if as_json:
        state.console.print_json(data=result_json(result))
    else:
        render_result(state.console, result)
    return result


def result_json(result: RescoreResult) -> dict[str, object]:
    """Return a rescoring as JSON-ready data (``finsim/rescore@1``)."""

    def side(report: object) -> dict[str, object]:
        keys = ("rubric_id", "total", "max", "percent", "level", "outcome", "outcome_product")
        return {k: getattr(report, k) for k in keys}

    return {
        "schema": RESCORE_SCHEMA,
        "program_version": __version__,
        "path": str(result.path) if result.path else None,
        "scenario_id": result.scenario_id,
        "scenario_changed": result.scenario_changed,
        "judge_changed": result.judge_changed,
        "old_judge": result.old_judge.model_dump() if result.old_judge else None,
        "new_judge": result.new_judge.model_dump() if result.new_judge else None,
        "changed": result.changed,
        "old": side(result.old),
        "new": side(result.new),
        "points": [asdict(p) for p in result.points],
        "turns": [asdict(t) for t in result.turns],
    }


def _judge_notice(result: RescoreResult) -> str:
    """Say that today's judge is not the one that read the recorded lines."""
    today = result.new_judge.describe() if result.new_judge else "-"
    if result.old_judge is None:
        return tr(
            f"记录中没有识别器信息（旧版 finsim 保存）；现在按 {today} 重新识别。",
            f"the transcript does not say what recognised it (an older finsim); now read by"
            f" {today}.",
        )
    return tr(
        f"识别器与记录时不同：记录时为 {result.old_judge.describe()}；现在为 {today}。"
        "下面的差异可能来自识别的变化。",
        f"the judge differs from the recorded one: then {result.old_judge.describe()}; now"
        f" {today}. The differences below may come from the new reading.",
    )


def render_result(console: Console, result: RescoreResult) -> None:
    """Print a rescoring: totals, changed points, changed turns, side by side."""
    old, new = result.old, result.new
    head = Table(title=tr("重新评分", "Rescoring") + f"：{result.path}", title_justify="left")
    for column in ("", tr("原来", "old"), tr("现在", "new")):
        head.add_column(column)
    head.add_row(tr("总分", "total"), _score(old.total, old.max), _score(new.total, new.max))
    head.add_row(tr("等级", "level"), old.level, new.level)
    head.add_row(tr("客户决定", "decision"), decision_name(old.outcome), decision_name(new.outcome))
    head.add_row(tr("评分标准", "rubric"), old.rubric_id, new.rubric_id)
    console.print(head)
    if result.scenario_changed:
        console.print(
            tr(
                "按当前场景文件重放（与记录中的不同）。",
                "Replayed under the current, different scenario file.",
            ),
            markup=False,
        )
    if result.judge_changed:
        console.print(_judge_notice(result), markup=False)
    if not result.changed:
        console.print(
            tr(
                "没有变化：分数、各项得分和每一轮的识别都与原来相同。",
                "Nothing changed: the score, every criterion and every turn are as before.",
            ),
            markup=False,
        )
        return
    _render_points(console, result)
    _render_turns(console, result)


def _score(points: float | None, maximum: float | None) -> str:
    if points is None:
        return "—"
    return f"{fmt(points)}/{fmt(maximum or 0)}"


def _render_points(console: Console, result: RescoreResult) -> None:
    if not result.points:
        return
    table = Table(title=tr("得分变化", "Points that changed"), title_justify="left")
    for column in (tr("项目", "item"), tr("原来", "old"), tr("现在", "new")):
        table.add_column(column)
    for change in result.points:
        table.add_row(
            Text(change.name),
            _score(change.old_points, change.old_max),
            _score(change.new_points, change.new_max),
        )
    console.print(table)


def _render_turns(console: Console, result: RescoreResult) -> None:
    if not result.turns:
        return
    table = Table(
        title=tr("识别或回答有变化的轮次", "Turns read differently"), title_justify="left"
    )
    for column in (
        tr("轮", "turn"),
        tr("客户经理", "manager"),
        tr("原来", "old"),
        tr("现在", "new"),
    ):
        table.add_column(column, overflow="fold")
    for change in result.turns:
        old = ", ".join(change.old_intents) + "\n" + (change.old_reply or "")
        new = ", ".join(change.new_intents) + "\n" + (change.new_reply or "")
        table.add_row(str(change.turn), Text(change.text), Text(old), Text(new))
    console.print(table)


class _RateColumn(ProgressColumn):
    """Files per second."""

    def render(self, task: Task) -> Text:
        """Show the rate, or nothing until it is known."""
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:.1f}/s")


@app.command("rescore")
def batch_rescore(
    ctx: typer.Context,
    folders: Annotated[
        list[Path],
        typer.Argument(
            metavar="DIR...", help="存放演练记录的文件夹（含子文件夹中的 *.jsonl）。Folders."
        ),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", metavar="FILE", help="汇总文件 .csv 或 .json。Summary file."),
    ] = Path("rescore-summary.csv"),
    rubric: RubricOption = None,
    old_rubric: OldRubricOption = None,
    current_scenario: CurrentScenarioOption = False,
    replay: Annotated[
        bool,
        typer.Option(
            "--replay",
            help="每句都重新识别，即使记录里的识别器就是现在安装的（默认此时只重新套用评分标准）。"
            "Read every line again even under the same judge.",
        ),
    ] = False,
    jobs: Annotated[
        int,
        typer.Option("--jobs", "-j", min=0, help="并行进程数（0 表示每个 CPU 核一个）。Workers."),
    ] = 0,
    force: ForceOption = False,
) -> None:
    """批量重新评分整个存档，并行处理，写出新旧分数对照汇总。Rescore an archive."""
    state = app_context(ctx)
    summary_format = _summary_format(out)
    check_output(out, force=force)
    new_rubric, old = _rubrics(state, rubric, old_rubric)
    check_roots(folders)
    options = BatchOptions(
        rubric=new_rubric,
        old_rubric=old,
        current_scenario=current_scenario,
        scenario_dirs=tuple(state.scenario_dirs),
        language=current_language(),
        replay=replay,
    )
    total = count_transcripts(folders)
    progress = Progress(
        TextColumn(tr("重新评分", "rescoring")),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
        TextColumn(tr("剩余", "left")),
        TimeRemainingColumn(),
        console=state.error_console,
        transient=False,
    )
    skipped: list[RescoreRow] = []
    with progress:
        task = progress.add_task("rescore", total=total)

        def seen(row: RescoreRow) -> None:
            progress.advance(task)
            if row.status == "skipped":
                skipped.append(row)
                progress.console.print(problem_prefix(warning=True) + row.error, markup=False)

        totals = run_batch(folders, out, options, fmt=summary_format, jobs=jobs, on_row=seen)
    _report_totals(state, totals.rescored, totals.changed, totals.skipped, out)
    if skipped:
        raise typer.Exit(ExitCode.CHECK_FAILED)


def _summary_format(out: Path) -> SummaryFormat:
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise UsageError(
            tr(
                f"--out 应为 .csv 或 .json 文件，而不是 “{out.name}”",
                f"--out must be a .csv or .json file, not '{out.name}'",
            )
        )
    return "json" if suffix == ".json" else "csv"


def _report_totals(state: AppContext, rescored: int, changed: int, skipped: int, out: Path) -> None:
    state.console.print(
        tr(
            f"已重新评分 {rescored} 份，其中 {changed} 份有变化；跳过 {skipped} 份无法处理的文件。"
            f"\n汇总：{out}",
            f"Rescored {rescored} transcripts, {changed} changed; skipped {skipped} "
            f"that could not be processed.\nSummary: {out}",
        ),
        markup=False,
    )
