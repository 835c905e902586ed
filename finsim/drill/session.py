"""The drill session: one loop for solo, pair and scripted play, writing the transcript.

A :class:`DrillSession` owns a :class:`~finsim.client.ClientEngine`, the
recogniser of its scenario and a transcript writer. The terminal UI (and
:func:`finsim.drill.run_script`) only call its methods and render what they
return; nothing here reads a terminal or prints.

Typical solo use::

    session = DrillSession(scenario, seed=7, participants=[Participant(id="s1", role="manager")])
    print(session.opening().text)          # the client's first line
    reply = session.manager_says("您好，我是小王")
    print(reply.text, reply.annotations.revealed)
    session.next_step()                    # → the next step's opening (or None at the last)
    outcome = session.end("finished")      # writes the end event

Every event is written, flushed and fsynced before the method returns, so a
kill loses at most the line being typed. ``DrillSession.resume(path)`` continues
a drill whose transcript has no end event or ended as ``interrupted``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from finsim import __version__
from finsim.client import ClientEngine, ClientReply, ClientState
from finsim.clock import now_iso
from finsim.errors import Location, StorageError, UsageError
from finsim.i18n import current_language, tr
from finsim.nlu import Judge, Understander, recogniser_for
from finsim.scenario.models import KeyPoint, Scenario, Step
from finsim.transcript.model import (
    Annotations,
    EndEvent,
    EndReason,
    Header,
    JudgeRecord,
    Level,
    Mode,
    Outcome,
    Participant,
    ResumeEvent,
    Speaker,
    StepEvent,
    TurnEvent,
    Violation,
)
from finsim.transcript.reader import Transcript, read_transcript
from finsim.transcript.writer import (
    TranscriptWriter,
    new_transcript_path,
    scenario_document,
    scenario_hash,
)

MAX_LINE_CHARS = 2000
"""Longest accepted utterance (a pasted essay is not a line of dialogue)."""

Clock = Callable[[], float]
"""A monotonic clock in seconds (``time.monotonic``); tests pass a fake one."""


@dataclass(frozen=True)
class KnownFact:
    """A hidden fact the manager has found out, for the client card."""

    id: str
    topic: str
    text: str
    turn: int


@dataclass(frozen=True)
class ClientCard:
    """What the manager can see of the client: name, age, what has been learnt so far."""

    name: str
    age: int
    facts: list[KnownFact]
    mood: str
    trust: int


@dataclass(frozen=True)
class StepSummary:
    """Key points of one step: the ids met, and all of them in order."""

    step: str
    name: str
    covered: list[str]
    key_points: list[KeyPoint]


@dataclass(frozen=True)
class DrillSummary:
    """The end-of-drill card: key points, facts, objections, violations, decision."""

    steps: list[StepSummary]
    facts_found: list[KnownFact]
    facts_total: int
    objections_raised: list[str]
    objections_resolved: list[str]
    violations: list[Violation]
    outcome: Outcome | None
    manager_turns: int
    elapsed_s: float
    trust: int


def judge_record(judge: Judge) -> JudgeRecord:
    """Return the transcript's record of a judge."""
    return JudgeRecord(recogniser=judge.recogniser, library=judge.library, model=judge.model)


class DrillSession:
    """One drill in progress, recorded to a transcript as it goes.

    ``mode`` is ``solo`` (the engine plays the client), ``pair`` (a student
    plays the client; the engine still annotates every manager line) or
    ``script`` (solo, driven by a drill script). ``level`` is the drill's
    difficulty (``easy``, ``normal``, ``hard``; recorded in the header and used
    again on resume and replay). ``time_limit_s`` defaults to
    the scenario's ``time_limit_minutes``; the session only measures time (the
    UI decides to end at zero with ``end("time_up")``). ``transcript_path``
    ``None`` writes to ``data_dir()/transcripts/<timestamp>-<scenario>-<rand>.jsonl``
    (an existing file is never overwritten). The header is written at construction.

    Raises :class:`~finsim.errors.StorageError` when the transcript cannot be
    written, :class:`~finsim.errors.UsageError` for a call that does not fit
    (a line after the end, an empty line, ``client_says`` outside pair mode).
    """

    def __init__(
        self,
        scenario: Scenario,
        *,
        seed: int = 0,
        mode: Mode = "solo",
        participants: Sequence[Participant] = (),
        group: str | None = None,
        time_limit_s: float | None = None,
        transcript_path: Path | None = None,
        script_name: str | None = None,
        clock: Clock = time.monotonic,
        understander: Understander | None = None,
        level: Level = "normal",
    ) -> None:
        limit = time_limit_s if time_limit_s is not None else scenario.time_limit_minutes * 60
        understander = understander or recogniser_for(scenario)
        header = Header(
            seq=0,
            program_version=__version__,
            created_at=now_iso(),
            scenario_id=scenario.id,
            scenario_hash=scenario_hash(scenario),
            scenario=scenario_document(scenario),
            seed=seed,
            mode=mode,
            lang=current_language(),
            group=group,
            participants=list(participants),
            time_limit_s=limit,
            script=script_name,
            judge=judge_record(understander.judge),
            level=level,
        )
        self._setup(scenario, header, clock, elapsed_before=0.0, understander=understander)
        path = transcript_path or new_transcript_path(scenario.id)
        self._writer = TranscriptWriter.create(path, header)

    def _setup(
        self,
        scenario: Scenario,
        header: Header,
        clock: Clock,
        elapsed_before: float,
        understander: Understander | None = None,
    ) -> None:
        self._scenario = scenario
        self._header = header
        # In pair mode a student plays the client: the engine only annotates, never leaves.
        level = header.level if header.mode != "pair" else "normal"
        self._engine = ClientEngine(scenario, header.seed, level=level)
        self._recogniser: Understander = understander or recogniser_for(scenario)
        self._clock = clock
        self._started = clock()
        self._elapsed_before = elapsed_before
        self._step_index = 0
        self._opened = False
        self._opening: ClientReply | None = None
        self._turns = 0
        self._fact_turns: dict[str, int] = {}
        self._outcome: Outcome | None = None
        self._owed: str | None = None
        self.warnings: list[str] = []
        """Problems found on resume (a repaired line, a replay that differs)."""

    # ── what the UI reads ──────────────────────────────────────────────
    @property
    def scenario(self) -> Scenario:
        """The scenario being played (as embedded in the transcript)."""
        return self._scenario

    @property
    def judge(self) -> Judge:
        """What reads the manager's lines in this session (recorded in new transcripts)."""
        return self._recogniser.judge

    @property
    def header(self) -> Header:
        """The transcript header (seed, mode, participants, group, time limit)."""
        return self._header

    @property
    def path(self) -> Path:
        """The transcript file."""
        return self._writer.path

    @property
    def mode(self) -> Mode:
        """``solo``, ``pair`` or ``script``."""
        return self._header.mode

    @property
    def step(self) -> Step:
        """The current step (name, objective, key points)."""
        return self._scenario.steps[self._step_index]

    @property
    def step_index(self) -> int:
        """0-based position of the current step."""
        return self._step_index

    @property
    def is_last_step(self) -> bool:
        """Whether ``next_step`` has nowhere to go."""
        return self._step_index == len(self._scenario.steps) - 1

    @property
    def state(self) -> ClientState:
        """The engine's client state (read only)."""
        return self._engine.state

    @property
    def engine(self) -> ClientEngine:
        """The virtual client engine."""
        return self._engine

    @property
    def finished(self) -> bool:
        """Whether ``end`` has been called."""
        return self._outcome is not None

    @property
    def outcome(self) -> Outcome | None:
        """The outcome once ended."""
        return self._outcome

    @property
    def manager_turns(self) -> int:
        """How many manager lines so far."""
        return self._turns

    def elapsed(self) -> float:
        """Return the seconds of drill time so far (time before an interruption included)."""
        return self._elapsed_before + max(0.0, self._clock() - self._started)

    def time_left(self) -> float:
        """Return the seconds left of the time limit; negative when over time."""
        return (self._header.time_limit_s or 0.0) - self.elapsed()

    # ── play ───────────────────────────────────────────────────────────
    def opening(self) -> ClientReply:
        """Start the first step: the client's opening line (and any objection of that step).

        In solo/script mode the line is recorded as the client's turn 0. In pair
        mode only the step event is recorded: the text is a cue for the student
        playing the client, whose own words go through :meth:`client_says`.
        Calling it again, or after a resume, returns the same opening and
        records nothing.
        """
        if self._opening is None:
            self._require_open()
            self._opening = self._enter_step(0, record=True)
        return self._opening

    @property
    def client_left(self) -> bool:
        """Whether the virtual client has walked out (the UI then ends with ``walked_out``)."""
        return self._engine.state.left is not None

    def manager_says(self, text: str) -> ClientReply:
        """Take the manager's line: recognised, answered by the engine, both recorded.

        In pair mode only the manager's line (with annotations) is recorded and
        the returned reply is what the virtual client would have said (a cue).
        A virtual client that walks out says why in its reply; the caller ends
        the drill as ``walked_out`` (:attr:`client_left`).
        """
        text = self._clean(text)
        self.opening()
        reply = self._manager_turn(text)
        self._record_turn("manager", text, reply.annotations)
        if self.mode != "pair":
            self._record_turn("client", reply.text)
        return reply

    def client_says(self, text: str) -> None:
        """Pair mode: the student playing the client speaks; recorded as the client's turn."""
        if self.mode != "pair":
            raise UsageError(
                tr(
                    "只有双人模式下才由学生扮演客户",
                    "only in pair mode does a student play the client",
                )
            )
        text = self._clean(text)
        self.opening()
        self._record_turn("client", text)

    def next_step(self) -> ClientReply | None:
        """Move to the next step and return its opening; ``None`` at the last step."""
        self._require_open()
        self.opening()
        if self.is_last_step:
            return None
        return self._enter_step(self._step_index + 1, record=True)

    def hint(self) -> list[KeyPoint]:
        """Return the key points of the current step not yet covered."""
        return self._engine.open_key_points(self.step.id)

    def facts(self) -> list[KnownFact]:
        """Return the facts learnt so far, in the order told."""
        known = []
        for fact_id in self.state.revealed:
            fact = self._engine.fact(fact_id)
            known.append(
                KnownFact(fact.id, fact.topic, fact.text, self._fact_turns.get(fact_id, 0))
            )
        return known

    def card(self) -> ClientCard:
        """Return the client card: name, age, learnt facts, mood."""
        profile = self._scenario.persona.profile
        return ClientCard(
            profile.name, profile.age, self.facts(), self.state.mood, self.state.trust
        )

    def summary(self) -> DrillSummary:
        """Return the summary card (after ``end`` it includes the decision)."""
        steps = [
            StepSummary(s.id, s.name, list(self.state.covered_in(s.id)), list(s.key_points))
            for s in self._scenario.steps
        ]
        return DrillSummary(
            steps=steps,
            facts_found=self.facts(),
            facts_total=len(self._scenario.persona.facts),
            objections_raised=list(self.state.raised),
            objections_resolved=list(self.state.resolved),
            violations=list(self.state.violations),
            outcome=self._outcome,
            manager_turns=self._turns,
            elapsed_s=self.elapsed(),
            trust=self.state.trust,
        )

    def end(self, reason: EndReason = "finished") -> Outcome:
        """End the drill: the client decides (unless it already bought), the end event is written.

        ``interrupted`` (Ctrl-C, a closed terminal) leaves the drill undecided
        and resumable. Calling ``end`` again returns the same outcome and
        writes nothing.
        """
        if self._outcome is not None:
            return self._outcome
        self._require_open()
        if reason == "interrupted":
            outcome = Outcome(decision="undecided")
            found: list[Violation] = []
        else:
            outcome = self._engine.decide(reason)
            found = self._engine.final_violations
            if self._engine.final_words and self.mode != "pair":
                self._record_turn("client", self._engine.final_words)
        limit = self._header.time_limit_s
        overtime = max(0.0, self.elapsed() - limit) if limit else 0.0
        self._write(
            EndEvent(
                seq=0,
                t=self._t(),
                reason=reason,
                outcome=outcome,
                overtime_s=round(overtime, 3),
                violations=found,
                trust=self.state.trust,
            )
        )
        self._outcome = outcome
        self.close()
        return outcome

    def close(self) -> None:
        """Release the transcript file without ending (the drill stays resumable)."""
        self._writer.close()

    def __enter__(self) -> DrillSession:
        """Use as a context manager: an exception before ``end`` ends it as ``interrupted``."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """End as ``interrupted`` when leaving by an exception; always release the file."""
        try:
            if exc_type is not None and not self.finished and not self._writer.closed:
                self.end("interrupted")
        except StorageError:
            pass  # the disk failed: keep the original exception, the drill stays resumable
        finally:
            self.close()

    # ── resume ─────────────────────────────────────────────────────────
    @classmethod
    def resume(cls, path: Path, *, clock: Clock = time.monotonic) -> DrillSession:
        """Continue an interrupted drill in the same file.

        Reads the transcript (repairing a torn last line), rebuilds the state by
        replaying the recorded steps and manager lines through a fresh engine
        with the recorded seed and the embedded scenario, appends a ``resume``
        event and returns the session ready for the next line. In solo mode a
        manager line (or step opening) whose reply was not saved gets it now. A finished
        transcript raises :class:`~finsim.errors.UsageError`.
        """
        transcript = read_transcript(path)
        if not transcript.interrupted:
            scenario_id = transcript.header.scenario_id
            raise UsageError(
                tr(
                    "这次演练已经正常结束，不能继续；要再练一次，请开始新的演练："
                    f"finsim drill {scenario_id}",
                    "this drill ended normally and cannot be resumed; to practise again, start"
                    f" a new one: finsim drill {scenario_id}",
                ),
                Location(path),
            )
        session = cls.__new__(cls)
        session._setup(transcript.scenario(), transcript.header, clock, transcript.last_t)
        session.warnings.extend(transcript.warnings)
        today = judge_record(session.judge)
        if transcript.header.judge not in (None, today):
            session.warnings.append(
                tr(
                    "这份记录开始时的识别器与现在安装的不同，续练的句子按现在的识别器标注",
                    "the transcript was started under another recogniser; the lines from here on"
                    " are read by the one installed now",
                )
            )
        session._replay(transcript)
        session._writer = TranscriptWriter.reopen(
            path, transcript.valid_bytes, transcript.needs_newline, transcript.next_seq
        )
        session._write(
            ResumeEvent(seq=0, t=session._t(), program_version=__version__, resumed_at=now_iso())
        )
        if session._owed and session.mode != "pair":
            session._record_turn("client", session._owed)  # killed before the reply was saved
        return session

    def _replay(self, transcript: Transcript) -> None:
        for event in transcript.events:
            if isinstance(event, StepEvent):
                reply = self._enter_step(self._scenario.step_index(event.step), record=False)
                self._opening = self._opening or reply
                self._owed = reply.text
            elif isinstance(event, TurnEvent) and event.speaker == "manager":
                reply = self._manager_turn(event.text)
                self._owed = reply.text
                if event.annotations and _differs(event.annotations, reply.annotations):
                    self.warnings.append(_replay_warning(event.turn))
            elif isinstance(event, TurnEvent) and event.speaker == "client":
                self._owed = None

    # ── internals ──────────────────────────────────────────────────────
    def _manager_turn(self, text: str) -> ClientReply:
        self._turns += 1
        reply = self._engine.respond(self._recogniser.analyse(text), self.step.id)
        for fact_id in reply.annotations.revealed:
            self._fact_turns.setdefault(fact_id, self._turns)
        return reply

    def _enter_step(self, index: int, *, record: bool) -> ClientReply:
        self._step_index = index
        self._opened = True
        step = self._scenario.steps[index]
        reply = self._engine.enter_step(step.id)
        if record:
            raised = reply.annotations.raised
            self._write(StepEvent(seq=0, t=self._t(), step=step.id, index=index, raised=raised))
            if self.mode != "pair":
                self._record_turn("client", reply.text)
        return reply

    def _record_turn(self, speaker: Speaker, text: str, notes: Annotations | None = None) -> None:
        self._write(
            TurnEvent(
                seq=0,
                t=self._t(),
                turn=self._turns,
                speaker=speaker,
                step=self.step.id,
                text=text,
                annotations=notes,
            )
        )

    def _write(self, event: TurnEvent | StepEvent | EndEvent | ResumeEvent) -> None:
        self._writer.write(event)

    def _t(self) -> float:
        return round(self.elapsed(), 3)

    def _require_open(self) -> None:
        if self._outcome is not None:
            raise UsageError(tr("这次演练已经结束", "this drill has ended"))

    def _clean(self, text: str) -> str:
        self._require_open()
        text = text.strip()
        if not text:
            raise UsageError(tr("空行不算一句话", "an empty line is not an utterance"))
        if len(text) > MAX_LINE_CHARS:
            raise UsageError(
                tr(
                    f"一句话最多 {MAX_LINE_CHARS} 个字符（这句有 {len(text)} 个）",
                    f"an utterance is at most {MAX_LINE_CHARS} characters (this has {len(text)})",
                )
            )
        return text


def _differs(recorded: Annotations, replayed: Annotations) -> bool:
    """Whether a replayed turn changed what the engine found (intent ids, facts, trust)."""
    keys = ("revealed", "resolved", "violations", "trust", "decision")
    ids = [i.id for i in recorded.intents] != [i.id for i in replayed.intents]
    return ids or any(getattr(recorded, k) != getattr(replayed, k) for k in keys)


def _replay_warning(turn: int) -> str:
    return tr(
        f"第 {turn} 轮重放结果与记录不同（识别器或场景可能已更新）",
        f"turn {turn} replays differently (the recogniser or scenario changed)",
    )


def default_transcript_path(scenario_id: str) -> Path:
    """Return a fresh transcript path in the data directory (not created yet)."""
    return new_transcript_path(scenario_id)
