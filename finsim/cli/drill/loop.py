"""The interactive drill loop: read a line, hand it to the session, render what comes back.

Solo: the student is the manager and the virtual client answers. Pair: the
prompts alternate 客户经理 / 客户; the engine still reads every manager line
(its notes are shown, and what the virtual client would have said is offered
as a cue to the student playing the client). Lines starting with ``/`` are
commands. The loop ends by ``/end``, ``/next`` at the last step, ``/quit``,
time up, Ctrl-C, Ctrl-D or a closed terminal; the session then records the end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rich.console import Console

from finsim.cli.drill import render
from finsim.cli.drill.countdown import Countdown
from finsim.cli.drill.names import Names
from finsim.cli.drill.readers import LineReader, PromptRequest, TimeUp
from finsim.cli.drill.roles import Role, player
from finsim.cli.drill.signals import SignalGuard, TerminalClosed
from finsim.client import ClientReply
from finsim.drill import DrillSession
from finsim.errors import UsageError
from finsim.i18n import tr
from finsim.transcript.model import EndReason, Participant
from finsim.vocabulary import role_name

YES_WORDS = frozenset({"y", "yes", "是", "是的", "确定", "好", "好的", "对", "嗯"})


@dataclass
class DrillLoop:
    """Plays one drill at a terminal (or any reader and console given)."""

    session: DrillSession
    console: Console
    read: LineReader
    countdown: Countdown
    participants: Sequence[Participant] = ()
    resumed: bool = False
    confirm: bool = True
    """Ask before /end and /quit (the demo does not)."""
    show_path: bool = True
    """Show where the transcript is (the demo's is temporary)."""
    guard: SignalGuard = field(default_factory=SignalGuard)
    names: Names = field(init=False)
    first_role: Role = "manager"
    """Who speaks first (a resumed pair drill may be waiting for the client)."""
    _role: Role = field(default="manager", init=False)

    def __post_init__(self) -> None:
        self.names = Names(self.session.scenario)
        self._role = self.first_role

    @property
    def pair(self) -> bool:
        """Two students at one keyboard."""
        return self.session.mode == "pair"

    # ── the loop ───────────────────────────────────────────────────────
    def run(self) -> EndReason:
        """Play until the drill ends; record the end; show the summary. Returns the reason."""
        with self.guard.installed():
            try:
                reason = self._play()
            except (KeyboardInterrupt, EOFError, TerminalClosed, OSError):
                # OSError: the terminal went away while being read or written
                reason = "interrupted"
            with self.guard.shielded():
                self.session.end(reason)
                self._farewell(reason)
        return reason

    def _play(self) -> EndReason:
        self._start()
        commands = self._commands()
        try:
            while not self.countdown.ends_drill():
                line = self._ask(self._label()).strip()
                if not line:
                    continue
                if line.startswith("/"):
                    word = line.split()[0].lower()
                    handler = commands.get(word)
                    ended = handler() if handler else self._unknown(word)
                    if ended:
                        return ended
                else:
                    self._speak(line)
                    if self.session.client_left:
                        return "walked_out"
        except TimeUp as up:
            if up.partial.strip():
                render.note(self.console, tr("未发送的内容：", "Not sent: ") + up.partial)
        return "time_up"

    def _start(self) -> None:
        render.render_intro(self.console, self.session, self.names, self._mode_line())
        render.render_step(self.console, self.session)
        if self.resumed:
            render.note(
                self.console,
                tr("继续上次中断的演练。", "Resuming the interrupted drill."),
                "yellow",
            )
            for warning in self.session.warnings:  # a repaired line, a replay that differs
                render.note(self.console, "⚠ " + warning, "yellow")
            render.render_card(self.console, self.session.card(), self.names)
        else:
            self._opening(self.session.opening())

    def _ask(self, label: str) -> str:
        self._announce()
        if self.countdown.ends_drill():
            raise TimeUp("")
        request = PromptRequest(
            label=label,
            clock=lambda: render.clock_fragments(self.countdown),
            status=lambda: render.status_fragments(self.session),
            countdown=self.countdown,
            announce=self._announce,
        )
        return self.read(request)

    def _announce(self) -> None:
        if self.countdown.take_warning():
            render.note(
                self.console,
                tr(
                    "⏰ 还剩 1 分钟，请抓紧完成本步要点。",
                    "⏰ One minute left: finish the key points of this step.",
                ),
                "bold yellow",
            )
        if self.countdown.take_overtime_notice():
            render.note(
                self.console,
                tr(
                    "⏰ 时间到，现在进入超时演练，超出的时长会记入演练记录。",
                    "⏰ Time is up: you are in overtime, which the record notes.",
                ),
                "bold red",
            )

    # ── speaking ───────────────────────────────────────────────────────
    def _label(self) -> str:
        who = player(self.participants, self._role, self.session.step.id)
        role = role_name(self._role)
        return f"{role}（{who}）› " if who else f"{role} › "

    def _speak(self, line: str) -> None:
        try:
            with self.guard.critical():
                if self._role == "client":
                    self.session.client_says(line)
                else:
                    reply = self.session.manager_says(line)
        except UsageError as exc:
            render.note(self.console, str(exc), "yellow")
            return
        if self._role == "client":
            self._role = "manager"
            return
        if self.pair:
            self._cue(reply)
            self._role = "client"
        else:
            render.say(self.console, self._client_label(), reply.text, render.CLIENT_STYLE)
        render.render_annotations(self.console, reply.annotations, self.names)
        if reply.annotations.revealed:
            render.render_card(self.console, self.session.card(), self.names)

    def _client_label(self) -> str:
        return f"{role_name('client')}·{self.names.client}"

    def _opening(self, reply: ClientReply | None) -> None:
        if reply is None:
            return
        if self.pair:
            self._cue(reply, opening=True)
        else:
            render.say(self.console, self._client_label(), reply.text, render.CLIENT_STYLE)
        if reply.annotations.raised:
            render.render_annotations(self.console, reply.annotations, self.names)

    def _cue(self, reply: ClientReply, opening: bool = False) -> None:
        label = (
            tr("情景提示（客户）", "Cue for the client")
            if opening
            else tr("参考答复（客户）", "Suggested reply")
        )
        render.note(self.console, label + tr("：", ": ") + reply.text, "italic magenta")

    # ── commands ───────────────────────────────────────────────────────
    def _commands(self) -> dict[str, Callable[[], EndReason | None]]:
        return {
            "/help": self._help,
            "/h": self._help,
            "/?": self._help,
            "/next": self._next,
            "/hint": self._hint,
            "/facts": self._facts,
            "/card": self._facts,
            "/end": self._end,
            "/quit": self._quit,
            "/exit": self._quit,
        }

    def _help(self) -> None:
        render.render_help(self.console)

    def _hint(self) -> None:
        render.render_hint(self.console, self.session.hint())

    def _facts(self) -> None:
        render.render_card(self.console, self.session.card(), self.names)

    def _next(self) -> EndReason | None:
        if self.session.is_last_step:
            question = tr(
                "已经是最后一步了。现在结束演练，请客户做出决定吗？（y/N）",
                "This is the last step. Finish the drill? (y/N) ",
            )
            return "finished" if self._confirm(question) else None
        with self.guard.critical():
            reply = self.session.next_step()
        self._role = "manager"
        render.render_step(self.console, self.session)
        self._opening(reply)
        return None

    def _end(self) -> EndReason | None:
        question = tr(
            "现在结束演练，请客户做出决定吗？（y/N）",
            "Finish the drill and let the client decide? (y/N) ",
        )
        return "finished" if self._confirm(question) else None

    def _quit(self) -> EndReason | None:
        question = tr(
            "确定提前退出吗？已说的话都已保存在演练记录中。（y/N）",
            "Quit early? Everything said so far is saved. (y/N) ",
        )
        return "quit" if self._confirm(question) else None

    def _confirm(self, question: str) -> bool:
        if not self.confirm:
            return True
        answer = self._ask(question).strip().lower()
        if answer in YES_WORDS:
            return True
        render.note(self.console, tr("好的，继续演练。", "All right, carry on."))
        return False

    def _unknown(self, word: str) -> EndReason | None:
        render.note(
            self.console,
            tr(
                f"没有 {word} 这个命令；输入 /help 查看可用命令。",
                f"No command {word}; /help lists them.",
            ),
            "yellow",
        )
        return None

    # ── the end ────────────────────────────────────────────────────────
    def _mode_line(self) -> str:
        if self.pair:
            return tr(
                "模式：双人（两位同学轮流扮演客户经理和客户）",
                "Mode: pair (two students take turns as manager and client)",
            )
        return tr(
            "模式：单人（你扮演客户经理，虚拟客户应答）",
            "Mode: solo (you are the manager; the virtual client answers)",
        )

    def _farewell(self, reason: EndReason) -> None:
        try:
            self.console.print()
            if reason == "time_up":
                render.note(
                    self.console,
                    tr("⏰ 时间到，演练结束。", "⏰ Time is up: the drill is over."),
                    "bold red",
                )
            if reason == "walked_out":
                why = self.session.engine.left_reason()
                render.note(
                    self.console,
                    tr(f"客户起身离开，演练结束：{why}", f"The client walked out: {why}"),
                    "bold red",
                )
            path = self.session.path if self.show_path else None
            render.render_end_card(
                self.console,
                self.session.summary(),
                reason,
                self.session.path,
                self.names,
                show_path=self.show_path,
            )
            if reason == "interrupted" and path is not None:
                render.note(
                    self.console,
                    tr(
                        f"演练已中断，记录已保存。继续演练：finsim drill --resume {path}",
                        f"Interrupted; the record is saved. To go on: finsim drill --resume {path}",
                    ),
                    "yellow",
                )
        except OSError:
            pass  # the terminal is gone; the transcript is already complete
