"""Rich rendering of a drill: the lines, the engine's notes, the client card, the summary.

Everything the students typed is printed as plain text (never as markup).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from finsim.cli.drill.countdown import Countdown, format_clock
from finsim.cli.drill.names import Names
from finsim.drill import ClientCard, DrillSession, DrillSummary
from finsim.errors import FinsimError
from finsim.i18n import tr
from finsim.scenario.models import KeyPoint, Scenario
from finsim.transcript.model import Annotations, EndReason, Outcome
from finsim.vocabulary import decision_name, end_reason_name

MANAGER_STYLE = "bold cyan"
CLIENT_STYLE = "bold magenta"
NOTE_STYLE = "dim"


def key_point_sep() -> str:
    """Separator between key points: they hold 、 themselves, so a list of them takes ；."""
    return tr("；", "; ")


def say(console: Console, who: str, text: str, style: str) -> None:
    """Print one line of the dialogue: ``who：text``."""
    line = Text()
    line.append(who, style=style)
    line.append(tr("：", ": "))
    line.append(text)
    console.print(line)


def block(console: Console, renderable: RenderableType) -> None:
    """Print a panel or table, wrapped to the terminal (the console may soft-wrap lines)."""
    console.print(renderable, soft_wrap=False)


def note(console: Console, text: str, style: str = NOTE_STYLE) -> None:
    """Print a discreet note (plain text, never markup)."""
    console.print(Text(text, style=style))


def render_intro(console: Console, session: DrillSession, names: Names, mode_line: str) -> None:
    """Show the opening panel: scenario, institution, client, mode, time, help."""
    clock = tr(
        f"时间：{format_clock(session.time_left())}　输入 /help 查看演练命令",
        f"Time: {format_clock(session.time_left())}   type /help for the drill commands",
    )
    render_scenario_intro(console, session.scenario, [mode_line, clock])


def render_scenario_intro(
    console: Console, scenario: Scenario, extra: list[str], *, for_student: bool = True
) -> None:
    """Show the scenario panel: the student's briefing (or, for a teacher, the summary).

    The summary names the hidden facts, so a student about to play only sees the briefing.
    """
    s = scenario
    p = s.persona.profile
    opening = s.briefing if for_student else s.summary
    body = "\n".join(
        [
            *([opening, ""] if opening else []),
            tr(f"机构：{s.institution.name}", f"Institution: {s.institution.name}"),
            tr(f"客户：{p.name}，{p.age} 岁", f"Client: {p.name}, {p.age}"),
            *extra,
        ]
    )
    block(console, Panel(Text(body), title=Text(s.title, style="bold"), border_style="blue"))


def render_step(console: Console, session: DrillSession) -> None:
    """Show the current step, its objective and its key points."""
    render_step_at(console, session.scenario, session.step_index)


def render_step_at(console: Console, scenario: Scenario, index: int) -> None:
    """Show step ``index`` (0-based) of ``scenario``: name, objective, key points."""
    step = scenario.steps[index]
    total = len(scenario.steps)
    title = tr(f"第 {index + 1}/{total} 步：{step.name}", f"Step {index + 1}/{total}: {step.name}")
    lines = [tr(f"目标：{step.objective}", f"Objective: {step.objective}")]
    if step.key_points:
        points = key_point_sep().join(k.text for k in step.key_points)
        lines.append(tr(f"要点：{points}", f"Key points: {points}"))
    block(
        console,
        Panel(Text("\n".join(lines)), title=Text(title, style="bold"), border_style="green"),
    )


def annotation_text(annotations: Annotations, names: Names) -> str:
    """Put the engine's reading of a manager line in one line ('' if nothing to say)."""
    sep = tr("、", ", ")
    parts: list[str] = []
    if annotations.intents:
        parts.append(
            tr("识别：", "recognised: ") + sep.join(names.intent(i.id) for i in annotations.intents)
        )
    elif annotations.unrecognised:
        parts.append(tr("未识别出意图", "nothing recognised"))
    groups: list[tuple[list[str], str, Callable[[str], str]]] = [
        (annotations.revealed, tr("了解到", "found out"), names.fact),
        (annotations.key_points, tr("要点达成", "key point met"), names.key_point),
        (annotations.raised, tr("客户提出顾虑", "objection raised"), names.objection),
        (annotations.resolved, tr("顾虑已化解", "objection resolved"), names.objection),
        (annotations.mishandled, tr("处理方式不对", "wrong handling"), names.objection),
        (annotations.jargon, tr("术语未解释", "unexplained jargon"), str),
    ]
    for ids, label, name in groups:
        if ids:
            joiner = key_point_sep() if ids is annotations.key_points else sep
            parts.append(label + tr("：", ": ") + joiner.join(name(i) for i in ids))
    if annotations.trust_delta:
        parts.append(tr("信任", "trust") + f" {annotations.trust_delta:+d}")
    if annotations.decision == "accept":
        parts.append(tr("客户同意购买", "the client agrees to buy"))
    elif annotations.decision == "decline":
        parts.append(tr("客户拒绝购买", "the client declines"))
    return " · ".join(parts)


def render_annotations(console: Console, annotations: Annotations, names: Names) -> None:
    """Show the engine's notes on a manager line; violations stand out in red."""
    text = annotation_text(annotations, names)
    if text:
        note(console, "  ↳ " + text)
    for violation in annotations.violations:
        note(console, "  ⚠ " + tr("违规：", "violation: ") + names.violation(violation), "bold red")


def render_card(console: Console, card: ClientCard, names: Names) -> None:
    """Show the client card: name, age, mood, and each fact learnt so far."""
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    table.add_row(
        Text(card.name),
        Text(
            tr(
                f"{card.age} 岁 · 情绪：{names.mood(card.mood)}",
                f"age {card.age} · mood: {names.mood(card.mood)}",
            )
        ),
    )
    if not card.facts:
        table.add_row(
            "", Text(tr("（还没有了解到客户的情况）", "(nothing found out yet)"), style=NOTE_STYLE)
        )
    for fact in card.facts:
        table.add_row(Text("• " + fact.topic), Text(fact.text))
    block(
        console,
        Panel(table, title=tr("客户卡片", "Client card"), border_style="magenta", expand=False),
    )


def render_hint(console: Console, open_points: list[KeyPoint]) -> None:
    """Show the key points of this step not yet covered."""
    if not open_points:
        note(
            console,
            tr(
                "本步要点都已完成，可以输入 /next 进入下一步。",
                "Every key point of this step is met: /next moves on.",
            ),
            "green",
        )
        return
    console.print(
        Text(tr("本步还没做到的要点：", "Key points of this step still open:"), style="bold")
    )
    for point in open_points:
        console.print(Text("  ○ " + point.text))


HELP_ROWS: list[tuple[str, str, str]] = [
    ("/help", "显示这份帮助", "show this help"),
    ("/next", "进入下一步（最后一步时结束演练）", "go to the next step (at the last step: finish)"),
    ("/hint", "本步还没做到的要点", "the key points of this step still open"),
    ("/facts", "客户卡片：已经了解到的情况", "the client card: what you found out"),
    ("/end", "正常结束演练，由客户做出决定", "finish the drill; the client decides"),
    ("/quit", "提前退出（需确认，记录会保存）", "quit early (asks first; the record is kept)"),
]


def render_help(console: Console) -> None:
    """Show the in-drill commands."""
    table = Table(title=tr("演练命令", "Drill commands"), show_header=False, box=None)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    for command, zh, en in HELP_ROWS:
        table.add_row(Text(command, style="bold"), Text(tr(zh, en)))
    block(console, table)
    note(
        console,
        tr(
            "其他输入都作为当前角色的发言。"
            "按 Ctrl-C 可中断并保存，之后用 finsim drill --resume 继续。",
            "Anything else is what the current role says. "
            "Ctrl-C stops and saves; --resume continues later.",
        ),
    )


def status_fragments(session: DrillSession) -> list[tuple[str, str]]:
    """Return the status bar (where the terminal can show one): step and commands."""
    total = len(session.scenario.steps)
    step = tr(
        f" 第 {session.step_index + 1}/{total} 步：{session.step.name} ",
        f" Step {session.step_index + 1}/{total}: {session.step.name} ",
    )
    return [("", step), ("", "│"), ("", tr(" /help 查看命令 ", " /help for commands "))]


def clock_fragments(countdown: Countdown) -> list[tuple[str, str]]:
    """Return the time left for the prompt: red in the last minute, marked in overtime."""
    left = countdown.remaining()
    if left == float("inf"):
        return []
    if left <= 0:
        return [
            (
                "fg:ansired bold",
                tr(f"[超时 {format_clock(-left)}] ", f"[overtime {format_clock(-left)}] "),
            )
        ]
    style = "fg:ansired bold" if left <= countdown.warn_at_s else "fg:ansigreen"
    return [(style, tr(f"[剩余 {format_clock(left)}] ", f"[{format_clock(left)} left] "))]


def outcome_text(outcome: Outcome, names: Names) -> str:
    """Say the client's decision, the product and why."""
    text = decision_name(outcome.decision)
    if outcome.product:
        text += tr("：", ": ") + names.product(outcome.product)
    if outcome.reasons:
        text += tr("（", " (") + tr("；", "; ").join(outcome.reasons) + tr("）", ")")
    return text


def render_summary(
    console: Console, summary: DrillSummary, reason: EndReason, path: Path | None, names: Names
) -> None:
    """Show the end card: key points, facts, objections, violations, decision, file."""
    sep = tr("、", ", ")
    table = Table(show_header=False, box=None, padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for step in summary.steps:
        met = [k.text for k in step.key_points if k.id in step.covered]
        missed = [k.text for k in step.key_points if k.id not in step.covered]
        cell = Text(f"{len(met)}/{len(step.key_points)}  ")
        cell.append(key_point_sep().join("✓" + m for m in met), style="green")
        if missed:
            cell.append(
                ("  " if met else "") + key_point_sep().join("○" + m for m in missed),
                style=NOTE_STYLE,
            )
        table.add_row(Text(step.name), cell)
    facts = sep.join(f.topic for f in summary.facts_found) or tr("无", "none")
    table.add_row(
        tr("了解到的情况", "Facts found"),
        Text(f"{len(summary.facts_found)}/{summary.facts_total}  {facts}"),
    )
    handled = sum(1 for o in summary.objections_raised if o in summary.objections_resolved)
    table.add_row(
        tr("处理顾虑", "Objections handled"),
        Text(
            f"{handled}/{len(summary.objections_raised)}  "
            + sep.join(names.objection(o) for o in summary.objections_resolved)
        ),
    )
    violations = Text(
        sep.join(names.violation(v) for v in summary.violations) or tr("无", "none"),
        style="red" if summary.violations else "green",
    )
    table.add_row(tr("违规", "Violations"), violations)
    if summary.outcome is not None:
        table.add_row(tr("客户决定", "Decision"), Text(outcome_text(summary.outcome, names)))
    table.add_row(
        tr("用时", "Time"),
        Text(
            tr(
                f"{format_clock(summary.elapsed_s)}，客户经理发言 {summary.manager_turns} 轮",
                f"{format_clock(summary.elapsed_s)}, {summary.manager_turns} manager line(s)",
            )
        ),
    )
    table.add_row(tr("结束方式", "Ended"), Text(end_reason_name(reason)))
    block(console, Panel(Group(table), title=tr("演练小结", "Drill summary"), border_style="blue"))
    if path is not None:  # outside the box, so that it can be copied whole
        console.print(Text(tr("演练记录已保存：", "Transcript saved: ") + str(path)))


def render_end_card(
    console: Console,
    summary: DrillSummary,
    reason: EndReason,
    transcript: Path | None,
    names: Names,
    *,
    show_path: bool = True,
) -> None:
    """Show the drill summary and, when the transcript is on disk, its auto score."""
    render_summary(console, summary, reason, transcript if show_path else None, names)
    if transcript is None or not transcript.exists():
        return
    from finsim.cli.score_cmds import render_score
    from finsim.scoring.auto import score_session_summary

    try:
        report = score_session_summary(transcript)
    except FinsimError as exc:
        note(console, tr(f"无法自动评分：{exc}", f"Cannot score automatically: {exc}"), "yellow")
        return
    render_score(console, report, brief=True, detail_path=str(transcript))
