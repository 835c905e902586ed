"""``finsim intent``: classify lines of speech, check an intent library, measure on a set."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from finsim.cli.context import AppContext, app_context
from finsim.cli.tables import new_table
from finsim.errors import ExitCode
from finsim.i18n import tr
from finsim.scenario.models import Scenario

if TYPE_CHECKING:
    from finsim.nlu.evaluate import EvalReport

app = typer.Typer(
    help="意图识别：分类、检查意图库、评测。Intent recognition: classify, check, eval.",
    no_args_is_help=True,
)

ScenarioOption = Annotated[
    str | None,
    typer.Option(
        "--scenario",
        "-s",
        metavar="ID",
        help="场景编号或文件（加入其产品、术语和自有意图）；不给则只用基础意图库。Scenario.",
    ),
]


def _scenario(state: AppContext, ref: str | None) -> Scenario | None:
    return state.catalog().resolve(ref).scenario if ref else None


@app.command("classify")
def classify(
    ctx: typer.Context,
    text: Annotated[
        str | None,
        typer.Argument(metavar="[TEXT]", help="一句话；不给则从标准输入逐行读取。Text."),
    ] = None,
    scenario: ScenarioOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="每行输入输出一个 JSON 对象。One JSON object per line.")
    ] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="显示识别依据（命中的词和例句）。Show why.")
    ] = False,
) -> None:
    """识别一句话里的意图（最可能的在前）。Recognise the intents in a line, best first.

    给出 TEXT 时输出一张表（加 --json 则输出一个 JSON 对象）；不给时从标准输入
    逐行读取，每读一行就回答一行。退出码：0 完成，2 输入有误，3 找不到场景。

    With TEXT, prints a table (or one JSON object with --json). Without TEXT,
    reads one utterance per line from standard input and answers each line in
    order as soon as it is read. Exit codes: 0 done, 2 bad input,
    3 unknown scenario.
    """
    from finsim.nlu import recogniser_for

    state = app_context(ctx)
    recogniser = recogniser_for(_scenario(state, scenario))
    if text is not None:
        analysis = recogniser.analyse(text)
        if as_json:
            typer.echo(_json_line(analysis, explain))
        else:
            _print_table(state, analysis, explain)
        return
    for line in sys.stdin:
        utterance = line.rstrip("\r\n")
        analysis = recogniser.analyse(utterance)
        typer.echo(_json_line(analysis, explain) if as_json else _plain_line(analysis, explain))
        sys.stdout.flush()


def _json_line(analysis: Any, explain: bool) -> str:
    intents: list[dict[str, Any]] = []
    for match in analysis.intents:
        item: dict[str, Any] = {"id": match.id, "score": match.score}
        if explain:
            item["evidence"] = list(match.evidence)
        intents.append(item)
    record: dict[str, Any] = {"text": analysis.text, "intents": intents}
    if explain:
        record |= {
            "products": list(analysis.products),
            "jargon": list(analysis.jargon),
            "is_question": analysis.is_question,
        }
    return json.dumps(record, ensure_ascii=False)


def _plain_line(analysis: Any, explain: bool) -> str:
    found = ", ".join(
        f"{m.id}({m.score:.2f}" + (f": {' / '.join(m.evidence)}" if explain else "") + ")"
        for m in analysis.intents
    )
    return f"{analysis.text}\t{found or '-'}"


def _print_table(state: AppContext, analysis: Any, explain: bool) -> None:
    from finsim.nlu import recogniser_for

    names = {i.id: i.name for i in recogniser_for(None).intents}
    table = Table(title=analysis.text, title_justify="left")
    table.add_column(tr("意图", "intent"))
    table.add_column(tr("名称", "name"))
    table.add_column(tr("分数", "score"), justify="right")
    if explain:
        table.add_column(tr("依据", "evidence"))
    for match in analysis.intents:
        row = [match.id, names.get(match.id, ""), f"{match.score:.2f}"]
        if explain:
            row.append("；".join(match.evidence))
        table.add_row(*row)
    if not analysis.intents:
        state.console.print(tr("没有识别出意图。", "No intent recognised."))
    else:
        state.console.print(table)
    if explain:
        state.console.print(
            tr("产品：", "products: ") + (", ".join(analysis.products) or "-"),
            tr("未解释的术语：", "unexplained jargon: ") + (", ".join(analysis.jargon) or "-"),
            tr("问句：", "question: ")
            + (tr("是", "yes") if analysis.is_question else tr("否", "no")),
            sep="  ",
            markup=False,
        )


@app.command("check")
def check(
    ctx: typer.Context,
    scenario: Annotated[
        str | None,
        typer.Argument(
            metavar="[SCENARIO]", help=("场景编号或文件；不给则检查基础意图库。Scenario.")
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="有警告也返回 1。Exit 1 on warnings too.")
    ] = False,
) -> None:
    """检查意图库（及场景自有意图）的数据质量。Check intent data like Rasa's validation.

    错误：同一例句归在两个意图下、正则表达式无法编译。警告：意图的例句少于 3 条、
    例句被识别成另一个意图、关键词在另一个意图的例句上命中。退出码：0 没有错误
    （可以有警告），1 有错误（加 --strict 时有警告也算），2 文件有误，3 找不到场景。

    Errors: the same example under two intents, a regular expression that does
    not compile. Warnings: an intent with fewer than 3 examples, an example the
    recogniser reads as another intent, a keyword that fires on another intent's
    example. Exit codes: 0 no errors (warnings allowed), 1 errors found (or
    warnings with --strict), 2 bad file, 3 unknown scenario.
    """
    from finsim.nlu.check import check_intents
    from finsim.scenario import load_base_library

    state = app_context(ctx)
    report = check_intents(load_base_library(), _scenario(state, scenario))
    for line in report.errors:
        state.error_console.print(tr("错误：", "error: ") + line, markup=False)
    for line in report.warnings:
        state.error_console.print(tr("警告：", "warning: ") + line, markup=False)
    state.console.print(
        tr(
            f"{report.intents} 个意图、{report.examples} 条例句："
            f"{len(report.errors)} 个错误，{len(report.warnings)} 条警告。",
            f"{report.intents} intents, {report.examples} examples: "
            f"{len(report.errors)} error(s), {len(report.warnings)} warning(s).",
        )
    )
    if report.errors or (strict and report.warnings):
        raise typer.Exit(ExitCode.CHECK_FAILED)


@app.command("eval")
def evaluate_set(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Argument(metavar="FILE", help=("评测集（finsim/nlu-eval@2 格式）。Labelled set.")),
    ],
    scenario: ScenarioOption = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="列出每个识别失败的句子。List failures.")
    ] = False,
) -> None:
    """在标注评测集上测量识别效果。Measure recognition on a labelled set.

    输出首选准确率、目标意图召回率，按意图和按说话方式（register）分列的表，以及
    红线意图的漏报、误报（在不含红线的句子上报出红线）。
    退出码：0 测量完成，1 红线意图有误报或漏报，2 文件有误，3 找不到场景。

    Prints top-1 accuracy and recall of the intended intent, a table per intent
    and per register, and red-line misses and false alarms (a red line raised on a
    line that carries none). Exit codes: 0 measured, 1 a red line was falsely
    raised or missed, 2 bad file, 3 unknown scenario.
    """
    from finsim.nlu import recogniser_for
    from finsim.nlu.evaluate import evaluate, load_eval_set

    state = app_context(ctx)
    evalset = load_eval_set(path)
    recogniser = recogniser_for(_scenario(state, scenario))
    report = evaluate(recogniser, evalset)
    out = state.console
    out.print(
        tr("句数", "cases")
        + f" {report.cases}  top-1 {report.top1_accuracy:.1%}  "
        + tr("召回", "recall")
        + f" {report.recall:.1%}  "
        + tr("附带意图召回", "also-recall")
        + f" {report.also_recall:.1%}",
        markup=False,
    )
    out.print(_intent_table(report))
    out.print(_register_table(report))
    _print_red_lines(out, report)
    if verbose:
        for intent, text, got in report.wrong:
            out.print(f"  miss {intent}: {text} → {got}", markup=False)
        for intent, text in report.wrongly_found:
            out.print(f"  wrongly {intent}: {text}", markup=False)
    for rid, text in report.false_alarms:
        out.print(f"  false alarm {rid}: {text}", markup=False)
    for rid, text in report.misses:
        out.print(f"  missed {rid}: {text}", markup=False)
    if report.false_alarms or report.misses:
        raise typer.Exit(ExitCode.CHECK_FAILED)


def _percent(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def _intent_table(report: EvalReport) -> Table:
    """Per intent, weakest first: cases, found among those recognised, found first."""
    table = new_table(
        tr("按意图", "per intent"),
        tr("意图", "intent"),
        tr("句数", "cases"),
        tr("识别出", "found"),
        tr("排第一", "first"),
    )
    rows = sorted(report.per_intent.items(), key=lambda r: (r[1][0] / max(r[1][1], 1), r[0]))
    for intent, (found, total) in rows:
        first = report.per_intent_top1.get(intent, 0)
        table.add_row(intent, str(total), _percent(found, total), _percent(first, total))
    return table


def _register_table(report: EvalReport) -> Table:
    """Per register (how the line is said): cases, found, first."""
    table = new_table(
        tr("按说话方式", "per register"),
        tr("说话方式", "register"),
        tr("句数", "cases"),
        tr("识别出", "found"),
        tr("排第一", "first"),
    )
    for register, (found, first, total) in report.per_register.items():
        table.add_row(register, str(total), _percent(found, total), _percent(first, total))
    return table


def _print_red_lines(out: Console, report: EvalReport) -> None:
    out.print(
        tr("红线：", "red lines: ")
        + f"{report.red_line_caught}/{report.red_line_cases} "
        + tr("识别", "caught")
        + f", {len(report.false_alarms)} "
        + tr(
            f"误报（检查了 {report.lines_checked} 句）",
            f"false alarms in {report.lines_checked} lines",
        )
        + tr(
            f"，另有 {len(report.other_red_lines)} 处在违规句上多报了另一条红线",
            f", {len(report.other_red_lines)} further red line(s) on lines that break another",
        ),
        markup=False,
    )
    if report.red_line_lines:
        out.print(
            tr("违规句被判为违规（任一红线）：", "red-line lines charged (with any red line): ")
            + f"{report.red_line_lines_flagged}/{report.red_line_lines}",
            markup=False,
        )
    if report.never_checked:
        out.print(
            tr("不该识别为某意图的句子：", "must-not lines: ")
            + f"{len(report.wrongly_found)}/{report.never_checked} "
            + tr("被误识别", "wrongly recognised"),
            markup=False,
        )
