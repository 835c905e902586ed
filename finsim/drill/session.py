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

from finsim.client import ClientEngine, ClientReply, ClientState
from finsim.scenario.models import KeyPoint, Scenario, Step
from finsim.transcript.model import EndReason, Mode, Outcome, Participant, Violation

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


class DrillSession:
    """One drill in progress, recorded to a transcript as it goes.

    ``mode`` is ``solo`` (the engine plays the client), ``pair`` (a student
    plays the client; the engine still annotates every manager line) or
    ``script`` (solo, driven by a drill script). ``time_limit_s`` defaults to
    the scenario's ``time_limit_minutes``; the session only measures time (the
    UI decides to end at zero with ``end("time_up")``). ``transcript_path``
    ``None`` writes to ``data_dir()/transcripts/<timestamp>-<scenario>-<rand>.jsonl``.
    The header is written at construction.

    Raises :class:`~finsim.errors.StorageError` when the transcript cannot be
    written, :class:`~finsim.errors.UsageError` for a call that does not fit
    (a line after the end, an empty line, ``client_says`` in solo mode).
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
    ) -> None:
        raise NotImplementedError

    # ── what the UI reads ──────────────────────────────────────────────
    @property
    def scenario(self) -> Scenario:
        """The scenario being played (as embedded in the transcript)."""
        raise NotImplementedError

    @property
    def path(self) -> Path:
        """The transcript file."""
        raise NotImplementedError

    @property
    def mode(self) -> Mode:
        """``solo``, ``pair`` or ``script``."""
        raise NotImplementedError

    @property
    def step(self) -> Step:
        """The current step (name, objective, key points)."""
        raise NotImplementedError

    @property
    def step_index(self) -> int:
        """0-based position of the current step."""
        raise NotImplementedError

    @property
    def is_last_step(self) -> bool:
        """Whether ``next_step`` has nowhere to go."""
        raise NotImplementedError

    @property
    def state(self) -> ClientState:
        """The engine's client state (read only)."""
        raise NotImplementedError

    @property
    def engine(self) -> ClientEngine:
        """The virtual client engine."""
        raise NotImplementedError

    @property
    def finished(self) -> bool:
        """Whether ``end`` has been called."""
        raise NotImplementedError

    @property
    def outcome(self) -> Outcome | None:
        """The outcome once ended."""
        raise NotImplementedError

    @property
    def manager_turns(self) -> int:
        """How many manager lines so far."""
        raise NotImplementedError

    def elapsed(self) -> float:
        """Return the seconds of drill time so far (time before an interruption included)."""
        raise NotImplementedError

    def time_left(self) -> float:
        """Return the seconds left of the time limit; negative when over time."""
        raise NotImplementedError

    # ── play ───────────────────────────────────────────────────────────
    def opening(self) -> ClientReply:
        """Start the first step: the client's opening line (and any objection of that step).

        In solo/script mode the line is recorded as the client's turn 0. In pair
        mode nothing is recorded: the text is a cue for the student playing the
        client, whose own words go through :meth:`client_says`. Calling it
        twice, or after a resume, returns the same opening without recording again.
        """
        raise NotImplementedError

    def manager_says(self, text: str) -> ClientReply:
        """Take the manager's line: recognised, answered by the engine, both recorded.

        In pair mode only the manager's line (with annotations) is recorded and
        the returned reply is what the virtual client would have said (a cue).
        """
        raise NotImplementedError

    def client_says(self, text: str) -> None:
        """Pair mode: the student playing the client speaks; recorded as the client's turn."""
        raise NotImplementedError

    def next_step(self) -> ClientReply | None:
        """Move to the next step and return its opening; ``None`` at the last step."""
        raise NotImplementedError

    def hint(self) -> list[KeyPoint]:
        """Return the key points of the current step not yet covered."""
        raise NotImplementedError

    def facts(self) -> list[KnownFact]:
        """Return the facts learnt so far, in the order told."""
        raise NotImplementedError

    def card(self) -> ClientCard:
        """Return the client card: name, age, learnt facts, mood."""
        raise NotImplementedError

    def summary(self) -> DrillSummary:
        """Return the summary card (after ``end`` it includes the decision)."""
        raise NotImplementedError

    def end(self, reason: EndReason = "finished") -> Outcome:
        """End the drill: the client decides (unless it already bought), the end event is written.

        ``interrupted`` (Ctrl-C, a closed terminal) leaves the drill resumable.
        Calling ``end`` again returns the same outcome and writes nothing.
        """
        raise NotImplementedError

    def close(self) -> None:
        """Release the transcript file without ending (the drill stays resumable)."""
        raise NotImplementedError

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
        raise NotImplementedError

    @classmethod
    def resume(cls, path: Path, *, clock: Clock = time.monotonic) -> DrillSession:
        """Continue an interrupted drill in the same file.

        Reads the transcript (repairing a torn last line), rebuilds the state by
        replaying the recorded steps and manager lines through a fresh engine
        with the recorded seed and the embedded scenario, appends a ``resume``
        event and returns the session ready for the next line. A finished
        transcript raises :class:`~finsim.errors.UsageError`.
        """
        raise NotImplementedError


def default_transcript_path(scenario_id: str) -> Path:
    """Return a fresh transcript path in the data directory (not created yet)."""
    raise NotImplementedError
