"""``finsim report``: the grade book on screen (Rich) or exported (CSV, xlsx, JSON, HTML)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from finsim.classroom.export import (
    CsvStyle,
    export,
    flag_text,
    parts_text,
    render_csv,
    render_html,
    render_json,
)
from finsim.classroom.gradebook import GradeBook, GroupGrade, build_gradebook
from finsim.cli.class_cmds import effective_settings, open_class
from finsim.cli.context import AppContext, app_context
from finsim.cli.options import (
    ClassOption,
    DbOption,
    ForceOption,
    PeerAggOption,
    StepWeightOption,
    WeightsOption,
)
from finsim.cli.tables import new_table
from finsim.errors import UsageError
from finsim.i18n import tr
from finsim.outputs import check_output
from finsim.vocabulary import group_zh

BAR_WIDTH = 20


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _bar(value: float | None, colour: str) -> str:
    if value is None:
        return "[dim]—[/dim]"
    filled = round(max(0.0, min(100.0, value)) / 100 * BAR_WIDTH)
    return (
        f"[{colour}]{'█' * filled}[/{colour}][dim]{'░' * (BAR_WIDTH - filled)}[/dim] {value:.0f}%"
    )


def render_groups_table(state: AppContext, book: GradeBook) -> None:
    """Print one row per group: auto, peer, teacher, final, flags."""
    w = book.settings.weights
    weights = f"{w.auto:g}/{w.peer:g}/{w.teacher:g}"
    table = Table(
        title=tr(
            f"{book.class_name} · 小组成绩（权重 自动/互评/教师 = {weights}）",
            f"{book.class_name} · groups (weights auto/peer/teacher = {weights})",
        )
    )
    for header in (
        tr("小组", "group"),
        tr("会话", "session"),
        tr("自动", "auto"),
        tr("互评", "peer"),
        tr("人数", "n"),
        tr("教师", "teacher"),
        tr("最终", "final"),
        tr("标记", "flags"),
    ):
        table.add_column(
            header,
            justify="right" if header not in (tr("小组", "group"), tr("标记", "flags")) else "left",
        )
    for g in book.groups:
        table.add_row(
            g.group_id,
            str(g.session_id or "—"),
            _fmt(g.auto),
            _fmt(g.peer),
            str(g.peer_raters),
            _fmt(g.teacher),
            f"[bold]{_fmt(g.final)}[/bold]",
            flag_text(g.flags),
        )
    state.console.print(table)


def render_criteria(state: AppContext, g: GroupGrade) -> None:
    """Print a group's per-criterion bars (peer in blue, teacher in orange)."""
    if not g.criteria:
        return
    table = new_table(
        tr(
            f"{group_zh(g.group_id)} · 各评分项（互评 / 教师）",
            f"Group {g.group_id} · criteria (peer / teacher)",
        ),
        tr("评分项", "criterion"),
        tr("互评", "peer"),
        tr("教师", "teacher"),
    )
    for c in g.criteria:
        table.add_row(c.label, _bar(c.peer, "blue"), _bar(c.teacher, "dark_orange"))
    state.console.print(table)


def render_students(state: AppContext, book: GradeBook) -> None:
    """Print one row per student: group, parts, group score, steps score, final, flags."""
    beta = book.settings.step_weight
    table = new_table(
        tr(
            f"学生成绩（个人 = (1−β)·小组 + β·本人步骤，β = {beta:g}）",
            f"students (own = (1−β)·group + β·own steps, β = {beta:g})",
        ),
        tr("学号", "id"),
        tr("姓名", "name"),
        tr("小组", "group"),
        tr("角色", "parts"),
        tr("小组成绩", "group"),
        tr("本人步骤", "steps"),
        tr("最终", "final"),
        tr("已评", "rated"),
        tr("标记", "flags"),
    )
    for s in book.students:
        table.add_row(
            s.student_id,
            s.name,
            s.group_id or "—",
            parts_text(s.parts),
            _fmt(s.group_score),
            _fmt(s.steps_score),
            f"[bold]{_fmt(s.final)}[/bold]",
            f"{s.rated}/{s.can_rate}",
            flag_text(s.flags),
        )
    state.console.print(table)


def render_agreement(state: AppContext, book: GradeBook) -> None:
    """Print the flagged raters and the agreement statistics."""
    for r in (r for r in book.raters if r.flags):
        distance = _fmt(r.distance)
        state.console.print(
            tr(
                f"评分者 {r.rater_id}：{flag_text(r.flags)}"
                f"（评 {r.sessions} 组，平均 {r.mean:.1f}，留一偏差 {distance}）",
                f"rater {r.rater_id}: {flag_text(r.flags)} "
                f"({r.sessions} groups, mean {r.mean:.1f}, leave-one-out distance {distance})",
            ),
            markup=False,
            style="yellow",
        )
    a = book.agreement

    def stat(value: float | None) -> str:
        return "—" if value is None else f"{value:.3f}"

    alphas = f"{stat(a.alpha_totals)} / {stat(a.alpha_items)}"
    pair = tr("Pearson {}，Spearman {}", "Pearson {}, Spearman {}").format(
        stat(a.auto_teacher_pearson), stat(a.auto_teacher_spearman)
    )
    state.console.print(
        tr(
            f"互评一致性 Krippendorff α（总分 / 分项）：{alphas}；"
            f"自动与教师评分：{pair}（{a.auto_teacher_pairs} 组）",
            f"Peer agreement Krippendorff α (totals / items): {alphas}; "
            f"auto vs teacher: {pair} ({a.auto_teacher_pairs} groups)",
        ),
        markup=False,
    )


def report(
    ctx: typer.Context,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="导出格式：csv、xlsx、json 或 html（不给则在终端显示）。Format."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="导出文件（xlsx 必须给；其他格式不给则输出到屏幕）。Output file."
        ),
    ] = None,
    lms: Annotated[
        str,
        typer.Option(
            "--lms", help="CSV 的列格式：generic 通用（默认）、moodle 或 canvas。LMS layout."
        ),
    ] = "generic",
    settings_file: Annotated[
        Path | None,
        typer.Option(
            "--settings",
            help="仅本次使用的评分设置 YAML（不改动班级设置）。Settings for this report.",
        ),
    ] = None,
    peer_agg: PeerAggOption = None,
    weights: WeightsOption = None,
    step_weight: StepWeightOption = None,
    class_id: ClassOption = None,
    db: DbOption = None,
    force: ForceOption = False,
) -> None:
    """成绩册：小组与学生的自动/互评/教师/最终成绩、各项条形图、评分者标记。The grade book."""
    state = app_context(ctx)
    if lms not in ("generic", "moodle", "canvas"):
        raise UsageError(
            tr(
                f"--lms 应为 generic、moodle 或 canvas，而不是 “{lms}”",
                f"--lms is generic, moodle or canvas, not {lms}",
            )
        )
    if fmt is not None and fmt not in ("csv", "xlsx", "json", "html"):
        raise UsageError(
            tr(
                f"--format 应为 csv、xlsx、json 或 html，而不是 “{fmt}”",
                f"--format is csv, xlsx, json or html, not {fmt}",
            )
        )
    if fmt is not None and out is not None:
        reads = [settings_file] if settings_file is not None else []
        check_output(out, reads=reads, protected=[Path(db)] if db else [], force=force)
    with open_class(db, class_id) as (store, info):
        settings = effective_settings(info, settings_file, peer_agg, weights, step_weight)
        book = build_gradebook(store, info, settings)
    style: CsvStyle = "moodle" if lms == "moodle" else "canvas" if lms == "canvas" else "generic"
    if fmt is None:
        render_groups_table(state, book)
        for g in book.groups:
            render_criteria(state, g)
        render_students(state, book)
        render_agreement(state, book)
        return
    if out is None:
        if fmt == "xlsx":
            raise UsageError(tr("xlsx 格式须用 --out 指定文件", "xlsx needs a file: give --out"))
        data = {
            "csv": lambda: render_csv(book, style),
            "json": lambda: render_json(book),
            "html": lambda: render_html(book),
        }[fmt]()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    export(book, fmt, out, style)
    state.error_console.print(tr(f"已写入 {out}", f"wrote {out}"), markup=False)
