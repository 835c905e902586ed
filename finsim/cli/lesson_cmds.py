"""``finsim lesson`` (the teacher's screen for the whole lesson) and ``finsim class status``.

The lesson runs on the projector: the plan against the lesson's budget, then
group by group the pair drill (a ``finsim drill`` process at this terminal),
the rating opened for the other students' terminals, who has and has not rated
yet (updated while the screen waits), the teacher's grade, and at the end the grade book and
the showcase in the lesson's folder. Every step is saved in the class
database: ``q`` (or a closed terminal) pauses, running it again goes on.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from finsim.classroom.archive import lesson_folder
from finsim.classroom.classes import class_settings
from finsim.classroom.gradebook import build_gradebook, latest_sessions
from finsim.classroom.lesson import (
    DEFAULT_BUDGET,
    DEFAULT_MINUTES,
    Lesson,
    Slot,
    finish_group,
    go_to_group,
    load_lesson,
    open_rating,
    plan_lesson,
    rating_progress,
    save_lesson,
    skip_group,
)
from finsim.classroom.rating import fill_form, save_rating
from finsim.classroom.sessions import register_session, session_form
from finsim.cli.class_cmds import open_class
from finsim.cli.context import AppContext, app_context, problem_prefix
from finsim.cli.options import ClassOption, DbOption
from finsim.cli.tables import new_table
from finsim.errors import FinsimError, UsageError
from finsim.i18n import current_language, tr
from finsim.resources import data_dir
from finsim.scoring.rubric import FormItem
from finsim.store import ClassInfo, ClassStore, Member, Session
from finsim.vocabulary import group_zh

Ask = Callable[[str], str]
News = Callable[[], str | None]
"""What has changed since it was last asked (``None``: nothing)."""
Wait = Callable[[str, News], str]
"""Ask a line, showing the news while the answer is awaited."""

LIVE_EVERY_S = 2.0
"""How often the rating screen looks for new ratings while it waits for the teacher."""


def ask_live(state: AppContext, text: str, news: News, every: float = LIVE_EVERY_S) -> str:
    """Ask a line; until it comes, print what ``news`` reports every ``every`` seconds.

    On a POSIX terminal the line is read from the descriptor as the terminal hands
    it over (a whole line at a time); elsewhere this is a plain prompt, and Enter
    refreshes. The end of input raises :class:`EOFError`.
    """
    stdin = sys.stdin
    if os.name != "posix" or stdin is None or not stdin.isatty():
        return state.console.input(text)
    console = state.console
    console.print(text, end="", markup=False)
    console.file.flush()
    typed = b""
    while b"\n" not in typed:
        ready, _, _ = select.select([stdin.fileno()], [], [], every)
        if not ready:
            line = news()
            if line is not None:
                console.print("\n" + line, markup=False)
                console.print(text, end="", markup=False)
                console.file.flush()
            continue
        chunk = os.read(stdin.fileno(), 4096)
        if not chunk:
            raise EOFError
        typed += chunk
    return typed.split(b"\n", 1)[0].decode("utf-8", errors="replace").rstrip("\r")


_STATUS = {
    "waiting": ("待演练", "waiting"),
    "rating": ("互评中", "rating open"),
    "done": ("已完成", "done"),
    "skipped": ("已跳过", "skipped"),
}


class Paused(Exception):
    """The teacher paused the lesson (``q`` or end of input); the state is saved."""


@dataclass(frozen=True)
class LessonOptions:
    """How the groups' drills are run."""

    scenario: str | None
    script_dir: Path | None
    teacher: str


def lesson(
    ctx: typer.Context,
    minutes: Annotated[
        float, typer.Option("--minutes", help="每组演练时长（分钟）。Minutes per group.")
    ] = DEFAULT_MINUTES,
    budget: Annotated[
        float, typer.Option("--budget", help="本节课时长（分钟）。Length of the lesson.")
    ] = DEFAULT_BUDGET,
    order: Annotated[
        str | None,
        typer.Option("--order", metavar="G1,G2,…", help="小组上场顺序（默认按组号）。Order."),
    ] = None,
    scenario: Annotated[
        str | None,
        typer.Option(
            "--scenario", metavar="ID", help="演练场景（默认 retired-teacher）。Scenario."
        ),
    ] = None,
    script_dir: Annotated[
        Path | None,
        typer.Option(
            "--script-dir",
            metavar="DIR",
            help="彩排用：DIR/组号.txt 为该组的演练脚本，代替现场输入。Drill scripts per group.",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="DIR",
            help="本节课的存档文件夹（默认数据目录下 lessons/班级-日期）。Lesson folder.",
        ),
    ] = None,
    teacher: Annotated[
        str, typer.Option("--teacher", "-t", help="教师姓名或编号。Teacher.")
    ] = "teacher",
    new: Annotated[
        bool, typer.Option("--new", help="不接着上次，重新开始一节课。Start a new lesson.")
    ] = False,
    class_id: ClassOption = None,
    db: DbOption = None,
) -> None:
    """开展一节演练课：各组轮流演练、全班互评、教师评分，生成成绩册与成果展示。Run the lesson."""
    state = app_context(ctx)
    with open_class(db, class_id) as (store, info):
        saved = None if new else load_lesson(store, info.id)
        if saved is None or saved.finished:
            names = [g.strip() for g in order.split(",") if g.strip()] if order else None
            current = plan_lesson(store, info, minutes=minutes, budget=budget, order=names)
            default = data_dir() / "lessons" / f"{info.id}-{date.today()}"
            current.archive = str(lesson_folder(out, default))
            save_lesson(store, current)
        else:
            current = saved
            state.console.print(
                tr(
                    f"接着上次的课继续（{current.started_at} 开始）；重新开始请加 --new",
                    f"Going on with the lesson started {current.started_at}; --new starts again",
                ),
                markup=False,
            )
        screen = LessonScreen(
            state, store, info, current, LessonOptions(scenario, script_dir, teacher)
        )
        try:
            screen.run()
        except Paused:
            state.console.print(
                tr(
                    "课堂已暂停，进度已保存；再次运行 finsim lesson 接着上。",
                    "Lesson paused, its state saved: run finsim lesson again to go on.",
                ),
                markup=False,
            )


class LessonScreen:
    """The teacher's screen: one group at a time, every step saved."""

    def __init__(
        self,
        state: AppContext,
        store: ClassStore,
        info: ClassInfo,
        lesson: Lesson,
        options: LessonOptions,
        ask: Ask | None = None,
        wait: Wait | None = None,
    ) -> None:
        self.state, self.store, self.info, self.lesson = state, store, info, lesson
        self.options = options
        self.ask = ask or state.console.input
        self.wait = wait or (lambda text, news: ask_live(state, text, news))
        self.folder = Path(lesson.archive)
        self.rubric = state.rubrics().resolve(class_settings(info).rubric)

    def say(self, text: str) -> None:
        """Print a plain line."""
        self.state.console.print(text, markup=False)

    def prompt(self, text: str) -> str:
        """Ask the teacher; the end of input pauses."""
        try:
            return self.ask(text).strip()
        except EOFError:
            raise Paused from None

    def save(self) -> None:
        """Save the lesson's state."""
        save_lesson(self.store, self.lesson)

    def run(self) -> None:
        """Run the lesson from where it is to its end."""
        render_plan(self.state, self.store, self.info, self.lesson)
        while (slot := self.lesson.current_slot()) is not None:
            if slot.status == "rating":
                self.rating(slot)
            else:
                self.stage(slot)
        self.finish()

    # one group -------------------------------------------------------------

    def stage(self, slot: Slot) -> None:
        """Put a group on stage: start its drill, skip it, or go to another group."""
        self.say(
            tr(
                f"\n=== {group_zh(slot.group_id)}上场（{self.lesson.minutes:g} 分钟）===",
                f"\n=== group {slot.group_id} on stage ({self.lesson.minutes:g} min) ===",
            )
        )
        for line in cast_lines(self.store, self.info, slot.group_id):
            self.say("  " + line)
        answer = self.prompt(
            tr(
                "回车开始演练 · s 跳过本组 · 组号 换到该组 · q 暂停 > ",
                "Enter starts the drill · s skips · a group id goes there · q pauses > ",
            )
        )
        if answer == "":
            self.drill(slot)
        elif answer.lower() == "s":
            skip_group(self.lesson)
            self.save()
        elif answer.lower() == "q":
            raise Paused
        else:
            self.go_to(answer)

    def go_to(self, group: str) -> None:
        """Put another group on stage (a repeat, or a skipped group after all)."""
        try:
            go_to_group(self.lesson, group)
        except UsageError as exc:
            self.say(problem_prefix() + str(exc))
            return
        self.save()

    def drill(self, slot: Slot) -> None:
        """Run the group's pair drill at this terminal, register it, open its rating."""
        path = self._transcript_path(slot.group_id)
        # Ctrl-C ends the drill (which saves its transcript), not the lesson around it
        previous = signal.signal(signal.SIGINT, lambda *_: None)
        try:
            code = subprocess.call(self._drill_argv(slot.group_id, path))
        finally:
            signal.signal(signal.SIGINT, previous)
        if not path.exists():
            self.say(
                problem_prefix()
                + tr(
                    f"演练没有留下记录（退出码 {code}）；本组仍待演练",
                    f"the drill left no transcript (exit {code}); the group is still waiting",
                )
            )
            return
        try:
            session = register_session(
                self.store, self.info.id, path, self.rubric, group=slot.group_id
            )
        except FinsimError as exc:
            self.say(problem_prefix() + str(exc))
            return
        open_rating(self.lesson, session)
        self.save()
        if code != 0:
            self.say(
                tr(
                    f"演练提前结束（退出码 {code}），记录已登记；要重演请按 r",
                    f"the drill ended early (exit {code}); it is registered: r repeats it",
                )
            )
        auto = f"{session.auto_total:g}/{session.auto_max:g}" if session.auto_max else "—"
        self.say(
            tr(
                f"\n会话 {session.id} 已登记，自动评分 {auto}。互评已开放："
                "其他同学在自己的终端运行 finsim rate --rater 学号",
                f"\nSession {session.id} registered, auto score {auto}. Rating is open: the"
                " others run finsim rate --rater ID on their terminals",
            )
        )

    def _transcript_path(self, group: str) -> Path:
        folder = self.folder / "transcripts"
        folder.mkdir(parents=True, exist_ok=True)
        n = 1
        while (folder / f"{self.info.id}-{group}-{n}.jsonl").exists():
            n += 1
        return folder / f"{self.info.id}-{group}-{n}.jsonl"

    def _drill_argv(self, group: str, path: Path) -> list[str]:
        argv = [sys.executable, "-m", "finsim", "--lang", current_language()]
        for folder in self.state.scenario_dirs:
            argv += ["--scenarios", str(folder)]
        argv += ["drill", *([self.options.scenario] if self.options.scenario else [])]
        argv += ["--group", group, "--out", str(path)]
        roles = roles_spec(self.store, self.info, group, self._step_ids())
        if roles:
            argv += ["--roles", roles]
        script = self.options.script_dir / f"{group}.txt" if self.options.script_dir else None
        if script is not None and script.exists():
            return [*argv, "--script", str(script), "--seed", "1"]
        return [*argv, "--mode", "pair", "--time", f"{self.lesson.minutes:g}"]

    def _step_ids(self) -> list[str]:
        scenario = self.state.catalog().resolve(self.options.scenario).scenario
        return [s.id for s in scenario.steps]

    def rating(self, slot: Slot) -> None:
        """Show who has rated the group on stage; grade, repeat, or move on."""
        session = self.store.get_session(slot.session_id or 0)
        if session is None:  # the session went away (a restored database): drill again
            slot.status = "waiting"
            self.save()
            return
        shown = self._progress_line(slot, session)
        self.say("\n" + shown)

        def news() -> str | None:
            nonlocal shown
            now = self._progress_line(slot, session)
            if now == shown:
                return None
            shown = now
            return now

        question = tr(
            "回车刷新 · g 教师评分 · r 本组重演 · n 下一组 · q 暂停 > ",
            "Enter refreshes · g grade · r repeat this group · n next group · q pauses > ",
        )
        try:
            answer = self.wait(question, news).strip().lower()
        except EOFError:
            raise Paused from None
        if answer == "g":
            self.grade(session)
        elif answer == "r":
            self.go_to(slot.group_id)
        elif answer == "n":
            finish_group(self.lesson)
            self.save()
        elif answer == "q":
            raise Paused

    def _progress_line(self, slot: Slot, session: Session) -> str:
        progress = rating_progress(self.store, session)
        total = len(progress.rated) + len(progress.missing)
        missing = "、".join(f"{s.name}({s.student_id})" for s in progress.missing) or "—"
        graded = tr("已评", "done") if progress.graded else tr("未评", "not yet")
        return tr(
            f"{group_zh(slot.group_id)} 互评：已评 {len(progress.rated)}/{total}；"
            f"未评：{missing}；教师评分：{graded}",
            f"group {slot.group_id} ratings: {len(progress.rated)}/{total} rated;"
            f" not yet: {missing}; teacher: {graded}",
        )

    def grade(self, session: Session) -> None:
        """Fill the teacher's form for the session on stage, item by item."""
        from finsim.cli.rating_cmds import render_teacher_view

        render_teacher_view(self.state, self.store, self.info, session)
        form = session_form(session, "teacher")
        scores, comment = fill_form(form, self._points, lambda text: self.prompt(text + " > "))
        saved = save_rating(self.store, session, self.options.teacher, "teacher", scores, comment)
        self.say(
            tr(
                f"已保存教师评分：{saved.rating.total:g}/{saved.rating.max_total:g}",
                f"Teacher grade saved: {saved.rating.total:g}/{saved.rating.max_total:g}",
            )
        )

    def _points(self, item: FormItem) -> float:
        while True:
            text = self.prompt(f"{item.label}（0–{item.max_points:g}）> ")
            try:
                value = float(text)
            except ValueError:
                value = -1.0
            if 0 <= value <= item.max_points:
                return value
            self.say(tr(f"请输入 0 到 {item.max_points:g} 之间的数", f"0…{item.max_points:g}"))

    # the end ---------------------------------------------------------------

    def finish(self) -> None:
        """Write the archive (grade book, showcase) and show the class's results."""
        from finsim.classroom.archive import archive_lesson
        from finsim.cli.report_cmds import render_groups_table

        self.save()
        archive = archive_lesson(self.store, self.info, self.folder, self.rubric)
        render_groups_table(
            self.state, build_gradebook(self.store, self.info, class_settings(self.info))
        )
        self.say(
            tr(
                f"\n下课。{archive.sessions} 组的演练已存档于 {archive.folder}：",
                f"\nLesson over. {archive.sessions} groups' drills archived in {archive.folder}:",
            )
        )
        for path in archive.files:
            self.say(f"  {path}")


def cast_lines(store: ClassStore, info: ClassInfo, group: str) -> list[str]:
    """Who plays what in ``group``: one line per member."""
    names = {s.student_id: s.name for s in store.list_students(info.id)}
    lines = []
    for m in _members(store, info, group):
        role = tr("客户经理", "manager") if m.role == "manager" else tr("客户", "client")
        steps = ",".join(m.steps) or tr("全部", "all")
        lines.append(
            f"{names.get(m.student_id, m.student_id)}：{role}（{tr('步骤', 'steps')} {steps}）"
        )
    return lines


def _members(store: ClassStore, info: ClassInfo, group: str) -> list[Member]:
    return [m for m in store.list_members(info.id) if m.group_id == group]


def roles_spec(store: ClassStore, info: ClassInfo, group: str, step_ids: list[str]) -> str:
    """Return the group's parts as ``drill --roles`` takes them (step numbers → step ids)."""
    names = {s.student_id: s.name for s in store.list_students(info.id)}
    parts = []
    for m in _members(store, info, group):
        name = names.get(m.student_id, m.student_id)
        if not name or any(c in name for c in ",，=@+"):
            name = m.student_id
        steps = [_step_id(s, step_ids) for s in m.steps]
        known = [s for s in steps if s is not None]
        parts.append(f"{name}={m.role}" + (f"@{'+'.join(known)}" if known else ""))
    return ",".join(parts)


def _step_id(ref: str, step_ids: list[str]) -> str | None:
    if ref in step_ids:
        return ref
    if ref.isdigit() and 1 <= int(ref) <= len(step_ids):
        return step_ids[int(ref) - 1]
    return None


def render_plan(state: AppContext, store: ClassStore, info: ClassInfo, lesson: Lesson) -> None:
    """Print the plan and how far the lesson has got: a row a group, the budget below."""
    latest = latest_sessions(store.list_sessions(info.id))
    table = new_table(
        tr(f"{info.name} · 课堂进度", f"{info.name} · the lesson"),
        tr("顺序", "#"),
        tr("小组", "group"),
        tr("状态", "status"),
        tr("会话", "session"),
        tr("互评", "peer"),
        tr("教师", "teacher"),
    )
    for n, slot in enumerate(lesson.slots, start=1):
        session = store.get_session(slot.session_id) if slot.session_id else None
        session = session or latest.get(slot.group_id)
        rated = graded = "—"
        if session is not None:
            progress = rating_progress(store, session)
            rated = f"{len(progress.rated)}/{len(progress.rated) + len(progress.missing)}"
            graded = "✓" if progress.graded else "✗"
        mark = "▶ " if n - 1 == lesson.current else ""
        table.add_row(
            f"{mark}{n}",
            slot.group_id,
            tr(*_STATUS[slot.status]),
            str(session.id) if session else "—",
            rated,
            graded,
        )
    state.console.print(table)
    planned = lesson.planned_minutes
    line = tr(
        f"计划：{len(lesson.slots)} 组 × {lesson.minutes:g} 分钟 = {planned:g} 分钟，"
        f"课时 {lesson.budget:g} 分钟",
        f"Plan: {len(lesson.slots)} groups × {lesson.minutes:g} min = {planned:g} min"
        f" of a {lesson.budget:g}-minute lesson",
    )
    elapsed = lesson.elapsed_minutes() if lesson.current >= 0 else None
    if elapsed is not None:
        line += tr(f"；已用 {elapsed:.0f} 分钟", f"; {elapsed:.0f} min used so far")
    state.console.print(line, markup=False)
    if lesson.over_budget:
        state.error_console.print(
            problem_prefix(warning=True)
            + tr(
                f"计划超出课时 {planned - lesson.budget:g} 分钟："
                "缩短每组时长（--minutes）或跳过小组",
                f"the plan is {planned - lesson.budget:g} min over the lesson: shorten"
                " --minutes or skip groups",
            ),
            markup=False,
        )


def status(ctx: typer.Context, class_id: ClassOption = None, db: DbOption = None) -> None:
    """课堂进度：各组演练、互评与教师评分的情况。The lesson's progress."""
    state = app_context(ctx)
    with open_class(db, class_id) as (store, info):
        current = load_lesson(store, info.id)
        if current is None:
            state.console.print(
                tr(
                    "本班还没有开始上课（finsim lesson）；下面按组号列出各组情况。",
                    "No lesson yet (finsim lesson); the groups in order:",
                ),
                markup=False,
            )
            current = plan_lesson(store, info)
            current.current = -1
        render_plan(state, store, info, current)
        slot = current.current_slot() if current.current >= 0 else None
        session_id = current.open_session_id()
        if slot is not None and session_id is not None:
            session = store.get_session(session_id)
            if session is not None:
                progress = rating_progress(store, session)
                missing = "、".join(f"{s.name}({s.student_id})" for s in progress.missing) or "—"
                state.console.print(
                    tr(
                        f"正在互评：{group_zh(slot.group_id)}（会话 {session_id}）；"
                        f"未评：{missing}",
                        f"Rating open: group {slot.group_id} (session {session_id});"
                        f" not yet: {missing}",
                    ),
                    markup=False,
                )
