"""``finsim rate`` (peer rating) and ``finsim grade`` (teacher grading).

Both work interactively (questionary) or entirely from options for scripts:
``--session S --rater ID --scores key=value,… --comment TEXT [--yes]``.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.markup import escape

from finsim.classroom.aggregate import aggregate, percent
from finsim.classroom.classes import class_settings
from finsim.classroom.gradebook import latest_sessions
from finsim.classroom.lesson import open_session
from finsim.classroom.rating import (
    SavedRating,
    check_peer_rater,
    fill_form,
    find_student,
    get_session,
    group_of,
    parse_scores,
    record_override,
    save_rating,
)
from finsim.classroom.sessions import session_form
from finsim.classroom.settings import aggregation_name
from finsim.cli.class_cmds import open_class
from finsim.cli.context import AppContext, app_context
from finsim.cli.options import ClassOption, DbOption
from finsim.cli.tables import new_table
from finsim.errors import NotFoundError, UsageError
from finsim.i18n import tr
from finsim.scoring.rubric import Form, FormItem, FormKind
from finsim.store import ClassInfo, ClassStore, Session
from finsim.vocabulary import decision_name, group_zh

SessionOption = Annotated[
    int | None,
    typer.Option("--session", "-s", metavar="N", help="会话编号（见 finsim report）。Session."),
]
GroupOption = Annotated[
    str | None, typer.Option("--group", "-g", help="小组（取该组最新的会话）。Group.")
]
ScoresOption = Annotated[
    str | None,
    typer.Option(
        "--scores",
        metavar="KEY=N,…",
        help="各项得分，如 research=10,etiquette=6"
        "（不给则逐项询问；各项代号见 finsim rubric form）。Scores.",
    ),
]
CommentOption = Annotated[str | None, typer.Option("--comment", help="点评。Comment.")]
YesOption = Annotated[
    bool, typer.Option("--yes", "-y", help="已评过时直接替换，不再确认。Replace without asking.")
]


def interactive() -> bool:
    """Return whether both ends of the terminal are a person."""
    return sys.stdin.isatty() and sys.stdout.isatty()


class Prompter:
    """The terminal prompts (questionary); Ctrl-C raises KeyboardInterrupt."""

    def __init__(self, state: AppContext) -> None:
        self.state = state

    def points(self, item: FormItem) -> float:
        """Ask the points of one item, showing its level descriptors."""
        import questionary

        self.state.console.print(
            f"\n[bold]{item.label}[/bold]（0–{item.max_points:g}）", highlight=False
        )
        for level, text in item.levels.items():
            self.state.console.print(f"  {level}：{text}", markup=False)

        def valid(text: str) -> bool | str:
            try:
                value = float(text)
            except ValueError:
                return tr("请输入数字", "enter a number")
            return 0 <= value <= item.max_points or tr(
                f"应在 0 到 {item.max_points:g} 之间", f"must be 0…{item.max_points:g}"
            )

        return float(questionary.text(tr("得分", "points"), validate=valid).unsafe_ask())

    def text(self, message: str) -> str:
        """Ask a line of text."""
        import questionary

        return str(questionary.text(message).unsafe_ask())

    def confirm(self, message: str) -> bool:
        """Ask yes or no (default no)."""
        import questionary

        return bool(questionary.confirm(message, default=False).unsafe_ask())

    def choose(self, message: str, choices: list[tuple[Any, str]]) -> Any:
        """Pick one of ``(value, title)``."""
        import questionary

        options = [questionary.Choice(title=title, value=value) for value, title in choices]
        return questionary.select(message, choices=options).unsafe_ask()


def pick_session(
    store: ClassStore,
    info: ClassInfo,
    session_id: int | None,
    group: str | None,
    prompter: Prompter | None,
    exclude_group: str | None = None,
) -> Session:
    """Return the session named by ``--session`` or ``--group``, else pick one from a menu."""
    if session_id is not None and group is not None:
        raise UsageError(
            tr(
                "--session 与 --group 只能给一个（--group 指该组最新的会话）",
                "give --session or --group, not both (--group means the group's latest session)",
            )
        )
    if session_id is not None:
        session = get_session(store, session_id)
        if session.class_id != info.id:
            raise NotFoundError(
                tr(
                    f"会话 {session_id} 不属于班级 {info.id}",
                    f"session {session_id} is not in class {info.id}",
                )
            )
        return session
    latest = latest_sessions(store.list_sessions(info.id))
    if group is not None:
        if group not in latest:
            raise NotFoundError(
                tr(f"{group_zh(group)}还没有登记的演练会话", f"group {group} has no session yet")
            )
        return latest[group]
    candidates = [s for g, s in sorted(latest.items()) if g != exclude_group]
    if not candidates:
        raise NotFoundError(tr("没有可评的演练会话", "no session to rate"))
    if prompter is None:
        raise UsageError(
            tr(
                "请用 --session 或 --group 指定要评的会话",
                "name the session with --session or --group",
            )
        )
    if len(candidates) == 1:
        return candidates[0]
    choices = [
        (
            s,
            tr(
                f"{group_zh(s.group_id)} · 会话 {s.id} · {s.scenario_id}",
                f"group {s.group_id} · session {s.id} · {s.scenario_id}",
            ),
        )
        for s in candidates
    ]
    chosen: Session = prompter.choose(tr("选择要评的小组", "Pick a group to rate"), choices)
    return chosen


def lesson_session(
    store: ClassStore, info: ClassInfo, own: str | None, prompter: Prompter | None
) -> Session | None:
    """Return the session the lesson has open for rating, unless it is the rater's own group.

    Without a terminal, a rater whose own group is on stage is told so (at a
    terminal the menu of the other groups' sessions follows).
    """
    on_stage = open_session(store, info.id)
    if on_stage is None or on_stage.group_id != own:
        return on_stage
    if prompter is None:
        raise UsageError(
            tr(
                f"正在互评的是你所在的{group_zh(own)}，不能评本组；请等下一组演练后再评",
                f"the group being rated is your own ({own}), which you cannot rate: wait for"
                " the next group",
            )
        )
    return None


def render_summary(state: AppContext, store: ClassStore, session: Session) -> None:
    """Print what a rater should know of a session (no scores: peers rate independently)."""
    d = session.detail
    names = {s.student_id: s.name for s in store.list_students(session.class_id)}
    outcome = ((d.get("end") or {}).get("outcome") or {}).get("decision", "undecided")
    decision = decision_name(outcome)
    title = d.get("scenario_title", session.scenario_id)
    turns, minutes = d.get("turns", 0), float(d.get("duration_s", 0)) / 60
    state.console.print(
        tr(
            f"\n会话 {session.id} · {group_zh(session.group_id)} · {title}\n"
            f"客户经理发言 {turns} 轮，用时 {minutes:.1f} 分钟，客户决定：{decision}",
            f"\nSession {session.id} · group {session.group_id} · {title}\n"
            f"{turns} manager turns, {minutes:.1f} min, client: {decision}",
        ),
        markup=False,
    )
    parts = d.get("participants") or [
        {"id": m.student_id, "role": m.role, "steps": list(m.steps)}
        for m in store.list_members(session.class_id)
        if m.group_id == session.group_id
    ]
    for p in parts:
        role = tr("客户经理", "manager") if p.get("role") == "manager" else tr("客户", "client")
        steps = ",".join(p.get("steps") or []) or tr("全部", "all")
        who = names.get(p.get("id", ""), p.get("id", ""))
        state.console.print(f"  {who}：{role}（{tr('步骤', 'steps')} {steps}）", markup=False)


def ask_scores(
    form: Form, comment: str | None, prompter: Prompter | None
) -> tuple[dict[str, float], str]:
    """Ask the form item by item (only at a terminal)."""
    if prompter is None:
        example = ",".join(f"{i.key}=…" for i in form.items)
        raise UsageError(
            tr(
                f"非交互方式下请用 --scores 给出各项得分，如 {example}",
                f"without a terminal give the scores with --scores, e.g. {example}",
            )
        )
    prompter.state.console.print(f"\n[bold]{form.title}[/bold]", highlight=False)
    if form.instructions:
        prompter.state.console.print(form.instructions, markup=False)
    given, asked = fill_form(form, prompter.points, prompter.text)
    return given, comment if comment is not None else asked


def confirm_replace(
    store: ClassStore,
    session: Session,
    rater: str,
    kind: FormKind,
    yes: bool,
    prompter: Prompter | None,
) -> None:
    """Stop unless replacing an earlier rating is confirmed (``--yes`` or a prompt)."""
    earlier = store.get_rating(session.id, rater, kind)
    if earlier is None or yes:
        return
    marks = f"{earlier.total:g}/{earlier.max_total:g}"
    question = tr(
        f"{rater} 已于 {earlier.updated_at} 评过会话 {session.id}（{marks}），要替换吗？",
        f"{rater} rated session {session.id} on {earlier.updated_at} ({marks}). Replace it?",
    )
    if prompter is None:
        raise UsageError(question + tr("（加 --yes 以替换）", " (add --yes to replace)"))
    if not prompter.confirm(question):
        raise typer.Exit(0)


def rate(
    ctx: typer.Context,
    session_id: SessionOption = None,
    group: GroupOption = None,
    rater: Annotated[
        str | None,
        typer.Option("--rater", "-r", metavar="ID", help="评分人学号。Rater's student id."),
    ] = None,
    scores: ScoresOption = None,
    comment: CommentOption = None,
    yes: YesOption = False,
    class_id: ClassOption = None,
    db: DbOption = None,
) -> None:
    """同学互评：给其他小组的演练打分并点评（不能评本组）。Rate another group's session."""
    state = app_context(ctx)
    prompter = Prompter(state) if interactive() else None
    with open_class(db, class_id) as (store, info):
        if rater is None:
            if prompter is None:
                raise UsageError(
                    tr("请用 --rater 给出你的学号", "give your student id with --rater")
                )
            rater = prompter.text(tr("你的学号", "Your student id")).strip()
        student = find_student(store, info.id, rater)
        own = group_of(store, info.id, rater)
        on_stage = session_id is None and group is None
        session = lesson_session(store, info, own, prompter) if on_stage else None
        session = session or pick_session(store, info, session_id, group, prompter, own)
        check_peer_rater(store, session, rater)
        saved = _fill_and_save(state, store, session, rater, "peer", scores, comment, yes, prompter)
    r = saved.rating
    verb = tr("已替换", "replaced") if saved.replaced else tr("已保存", "saved")
    state.console.print(
        tr(
            f"{verb} {student.name}（{rater}）对 {group_zh(session.group_id)}"
            f"（会话 {session.id}）的互评："
            f"{r.total:g}/{r.max_total:g}",
            f"{verb} {student.name} ({rater})'s rating of group {session.group_id} "
            f"(session {session.id}): {r.total:g}/{r.max_total:g}",
        ),
        markup=False,
    )


def _fill_and_save(
    state: AppContext,
    store: ClassStore,
    session: Session,
    rater: str,
    kind: FormKind,
    scores: str | None,
    comment: str | None,
    yes: bool,
    prompter: Prompter | None,
) -> SavedRating:
    """Check given scores first, show the session (at a terminal), confirm, ask, save."""
    form = session_form(session, kind)
    given = parse_scores(scores, form) if scores is not None else None
    if prompter is not None and kind == "peer":
        render_summary(state, store, session)
    confirm_replace(store, session, rater, kind, yes, prompter)
    if given is None:
        given, comment = ask_scores(form, comment, prompter)
    return save_rating(store, session, rater, kind, given, comment or "")


def render_teacher_view(
    state: AppContext, store: ClassStore, info: ClassInfo, session: Session
) -> None:
    """Print the auto score by step and the peer summary beside the teacher's form."""
    auto = session.detail.get("auto")
    table = new_table(
        tr("自动评分", "Auto score"), tr("步骤", "step"), tr("得分", "points"), tr("满分", "max")
    )
    if auto:
        for step in auto.get("steps", []):
            table.add_row(
                str(step.get("name") or step["id"]), f"{step['points']:g}", f"{step['max']:g}"
            )
        table.add_row(
            tr("合计（含总体项）", "total (with overall)"), f"{auto['total']:g}", f"{auto['max']:g}"
        )
        for v in auto.get("violations", []):
            table.add_row(
                f"[red]{tr('违规', 'violation')} {escape(str(v.get('name') or v['id']))}[/red]",
                tr(f"第{v['turn']}轮", f"turn {v['turn']}"),
                "",
            )
    else:
        table.add_row("—", "—", "—")
    state.console.print(table)
    settings = class_settings(info)
    peers = [
        r for r in store.list_ratings(info.id) if r.session_id == session.id and r.form == "peer"
    ]
    values = [v for r in peers if (v := percent(r.total, r.max_total)) is not None]
    summary = aggregate(values, settings.peer_aggregation, settings.trim_min_raters)
    method = aggregation_name(settings.peer_aggregation)
    state.console.print(
        tr(
            f"互评：{len(values)} 人评分，"
            + (f"汇总（{method}）{summary:.1f}/100" if summary is not None else "尚无互评"),
            f"Peer ratings: {len(values)} raters, aggregate ({settings.peer_aggregation})"
            + (f" {summary:.1f}/100" if summary is not None else " — (none yet)"),
        ),
        markup=False,
    )
    for r in peers:
        if r.comment:
            state.console.print(f"  · {r.rater_id}：{r.comment}", markup=False)


def grade(
    ctx: typer.Context,
    session_id: SessionOption = None,
    group: GroupOption = None,
    teacher: Annotated[
        str, typer.Option("--teacher", "-t", help="教师姓名或编号。Teacher.")
    ] = "teacher",
    scores: ScoresOption = None,
    comment: CommentOption = None,
    override: Annotated[
        float | None,
        typer.Option(
            "--override",
            metavar="POINTS",
            help="直接给定该组最终成绩（0–100），须用 --reason 写明理由。Override.",
        ),
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="改分理由。Reason.")] = None,
    yes: YesOption = False,
    class_id: ClassOption = None,
    db: DbOption = None,
) -> None:
    """教师评分：参照自动评分与互评汇总填写教师表；可改分（记录在案）。Teacher grading."""
    state = app_context(ctx)
    prompter = Prompter(state) if interactive() else None
    if reason is not None and override is None:
        raise UsageError(tr("--reason 要与 --override 一起用", "--reason goes with --override"))
    with open_class(db, class_id) as (store, info):
        session = pick_session(store, info, session_id, group, prompter)
        render_summary(state, store, session)
        render_teacher_view(state, store, info, session)
        if override is not None:
            done = record_override(store, session, override, reason or "", teacher)
            state.console.print(
                tr(
                    f"已记录改分：{group_zh(session.group_id)}最终成绩 {done.points:g}"
                    f"（理由：{done.reason}）",
                    f"Override recorded: group {session.group_id} final {done.points:g} "
                    f"(reason: {done.reason})",
                ),
                markup=False,
            )
            if scores is None and comment is None:
                return
        saved = _fill_and_save(
            state, store, session, teacher, "teacher", scores, comment, yes, prompter
        )
    r = saved.rating
    verb = tr("已替换", "replaced") if saved.replaced else tr("已保存", "saved")
    state.console.print(
        tr(
            f"{verb}教师评分：{group_zh(session.group_id)}（会话 {session.id}）"
            f"{r.total:g}/{r.max_total:g}",
            f"Teacher grade {verb}: group {session.group_id} (session {session.id}) "
            f"{r.total:g}/{r.max_total:g}",
        ),
        markup=False,
    )
