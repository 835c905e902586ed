"""``finsim replay``: a saved drill played back in the terminal as it happened.

The events are drawn with the live drill's own rendering (the panels, the
engine's notes, the client card, the summary), at the recorded pace or
``--speed N`` times faster; ``--step K`` starts at step K. On a terminal,
space pauses and resumes and ``q`` stops; from a pipe the replay just plays.
The scenario comes from the transcript header: no scenario file is needed.
:class:`ReplayView` also draws the asciicast recording of ``finsim export``.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from finsim.cli.batch_cmds import show_rescore
from finsim.cli.context import app_context, problem_prefix
from finsim.cli.drill import render
from finsim.cli.drill.countdown import Countdown
from finsim.cli.drill.names import Names
from finsim.cli.drill.roles import Role, player
from finsim.cli.options import RubricOption
from finsim.clock import shown_time
from finsim.errors import ExitCode
from finsim.i18n import tr
from finsim.replay import NoKeys, Player, ReplayState, plan_replay
from finsim.replay.keys import TerminalKeys, keyboard_available
from finsim.transcript.model import (
    Annotations,
    EndEvent,
    EndReason,
    ResumeEvent,
    StepEvent,
    TurnEvent,
)
from finsim.transcript.reader import BodyEvent, Transcript, read_transcript
from finsim.vocabulary import mode_name, role_name


class ReplayView:
    """Draws a transcript's events on a console the way the live drill drew them.

    Solo and scripted drills: the engine's notes on a manager line follow the
    client's reply (as they did live). Pair drills: they follow the manager's
    line, before the student playing the client answers.
    """

    def __init__(self, console: Console, transcript: Transcript) -> None:
        self.console = console
        self.transcript = transcript
        self.scenario = transcript.scenario()
        self.names = Names(self.scenario)
        self.state = ReplayState(self.scenario)
        self.pair = transcript.header.mode == "pair"
        self._pending: Annotations | None = None
        self._raised: list[str] = []

    # ── what the command calls ─────────────────────────────────────────
    def intro(self, controls: bool) -> None:
        """Show the scenario panel with what is being replayed (and the keys, if any)."""
        header = self.transcript.header
        mode = mode_name(header.mode)
        lines = [
            tr(
                f"回放：{shown_time(header.created_at)} 的演练（{mode}）",
                f"Replay of {shown_time(header.created_at)} ({mode})",
            )
        ]
        people = tr("、", ", ").join(
            tr("{}（{}）", "{} ({})").format(p.name or p.id, role_name(p.role))
            for p in header.participants
        )
        if header.group or people:
            group = tr(f"小组 {header.group}", f"group {header.group}") if header.group else ""
            lines.append(tr("　", "  ").join(part for part in (group, people) if part))
        if controls:
            lines.append(tr("按空格暂停或继续，按 q 退出回放", "Space pauses/resumes, q stops"))
        render.render_scenario_intro(self.console, self.scenario, lines, for_student=False)

    def skip(self, events: list[BodyEvent]) -> None:
        """Fold the events ``--step`` jumps over into the state, showing only where it lands."""
        for event in events:
            self.state.apply(event)
        if events:
            render.note(
                self.console,
                tr(
                    f"（已跳过前 {self.state.step_index + 1} 步，"
                    f"客户经理已发言 {self.state.manager_turns} 轮）",
                    f"(skipped to here: step {self.state.step_index + 1} done, "
                    f"{self.state.manager_turns} manager line(s))",
                ),
            )

    def show(self, event: BodyEvent) -> None:
        """Draw one event."""
        self.state.apply(event)
        if isinstance(event, StepEvent):
            self._flush()
            render.render_step_at(self.console, self.scenario, event.index)
            self._raised = list(event.raised)
        elif isinstance(event, TurnEvent):
            self._turn(event)
        elif isinstance(event, ResumeEvent):
            render.note(
                self.console,
                tr("继续上次中断的演练。", "Resuming the interrupted drill."),
                "yellow",
            )
        elif isinstance(event, EndEvent):
            self._end(event)

    def finish(self) -> None:
        """After the last event: notes still pending; a drill that never ended says so."""
        self._flush()
        if self.transcript.end is None:
            render.note(
                self.console,
                tr(
                    "记录到此为止：这次演练没有正常结束。",
                    "The record stops here: the drill did not end normally.",
                ),
                "yellow",
            )
            self._summary("interrupted")

    # ── drawing ────────────────────────────────────────────────────────
    def _turn(self, event: TurnEvent) -> None:
        if event.speaker == "manager":
            self._flush()
            self._typed(event, "manager", render.MANAGER_STYLE)
            self._pending = event.annotations
            if self.pair:
                self._flush()
            return
        if self.pair:
            self._typed(event, "client", render.CLIENT_STYLE)
        else:
            label = f"{role_name('client')}·{self.names.client}"
            render.say(self.console, label, event.text, render.CLIENT_STYLE)
        if self._raised:  # objections the client raised on entering the step
            opening = Annotations.model_validate(
                {"raised": self._raised, "trust": self.state.trust}
            )
            render.render_annotations(self.console, opening, self.names)
            self._raised = []
        self._flush()

    def _typed(self, event: TurnEvent, role: Role, style: str) -> None:
        """Print a line as typed at the prompt: the clock, ``客户经理（张三）› ``, the words."""
        line = Text()
        limit = self.transcript.header.time_limit_s
        if limit:
            countdown = Countdown(lambda: limit - event.t, overtime=True)
            for style_name, text in render.clock_fragments(countdown):
                line.append(text, style=_rich_style(style_name))
        who = player(self.transcript.header.participants, role, event.step)
        name = role_name(role)
        line.append(f"{name}（{who}）› " if who else f"{name} › ", style=style)
        line.append(event.text)
        self.console.print(line)

    def _flush(self) -> None:
        """Show the notes on the last manager line (and the card when a fact came out)."""
        notes, self._pending = self._pending, None
        if notes is None:
            return
        render.render_annotations(self.console, notes, self.names)
        if notes.revealed:
            render.render_card(self.console, self.state.card(), self.names)

    def _end(self, event: EndEvent) -> None:
        self._flush()
        if event is not self.transcript.end:  # an interruption that was resumed later
            render.note(
                self.console,
                tr("演练在此中断，记录已保存。", "The drill was interrupted here; it was saved."),
                "yellow",
            )
            return
        self.console.print()
        if event.reason == "time_up":
            render.note(
                self.console,
                tr("⏰ 时间到，演练结束。", "⏰ Time is up: the drill is over."),
                "bold red",
            )
        self._summary(event.reason)

    def _summary(self, reason: EndReason) -> None:
        summary = self.state.summary()
        # the live end card with its auto score; no path: it would call the file "saved" now
        render.render_end_card(
            self.console, summary, reason, self.transcript.path, self.names, show_path=False
        )


def _rich_style(toolkit_style: str) -> str:
    """Translate a prompt_toolkit style (``fg:ansired bold``) into a Rich one (``red bold``)."""
    words = [w.removeprefix("fg:").removeprefix("ansi") for w in toolkit_style.split()]
    return " ".join(words)


def replay(
    ctx: typer.Context,
    transcript: Annotated[
        Path, typer.Argument(metavar="TRANSCRIPT", help="演练记录文件（.jsonl）。Transcript.")
    ],
    speed: Annotated[
        float,
        typer.Option("--speed", metavar="N", help="播放速度倍数（1 为原速）。Playback speed."),
    ] = 1.0,
    step: Annotated[
        int | None,
        typer.Option("--step", metavar="K", min=1, help="从第 K 步开始播放。Start at step K."),
    ] = None,
    max_pause: Annotated[
        float | None,
        typer.Option(
            "--max-pause",
            metavar="SECONDS",
            help="两句之间的最长停顿（秒；默认按原样）。Cap long silences.",
        ),
    ] = None,
    rescore: Annotated[
        bool,
        typer.Option(
            "--rescore",
            help="不播放，而是按当前版本的识别引擎和评分标准重放记录里客户经理的发言，"
            "新旧对照（识别、客户答复、得分）。"
            "Rerun the saved lines through today's engine and rubric; show what changed.",
        ),
    ] = False,
    rubric: RubricOption = None,
) -> None:
    """按原来的节奏回放一次演练，供课堂展示。Replay a saved drill as it happened."""
    state = app_context(ctx)
    read = read_transcript(transcript)
    for warning in read.warnings:
        state.error_console.print(problem_prefix(warning=True) + warning, markup=False)
    if rescore:
        show_rescore(state, read, rubric=rubric)
        return
    plan = plan_replay(read, speed=speed, start_step=step, max_pause=max_pause)
    view = ReplayView(state.console, read)
    keyboard = keyboard_available()
    view.intro(controls=keyboard)
    view.skip(plan.skipped)
    with TerminalKeys() if keyboard else contextlib.nullcontext(NoKeys()) as keys:
        result = Player(plan, view.show, keys, on_pause=lambda p: _paused(view, p)).run()
    if result == "stopped":
        render.note(state.console, tr("回放已停止。", "Replay stopped."), "yellow")
        raise typer.Exit(ExitCode.OK)
    view.finish()


def _paused(view: ReplayView, paused: bool) -> None:
    if paused:
        text = tr("⏸ 已暂停，按空格继续", "⏸ Paused: space resumes")
    else:
        text = tr("▶ 继续播放", "▶ Playing on")
    render.note(view.console, text, "bold yellow")
