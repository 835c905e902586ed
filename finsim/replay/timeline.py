"""When each event of a transcript is shown in a replay.

An event recorded at drill time ``t`` is shown ``t / speed`` seconds into the
replay. ``max_pause`` shortens long silences (a student thinking for a minute)
without changing the order; ``start_step`` (1-based) starts at that step's
event, the events before it being folded into the state but not shown.
Times that go backwards (a clock reset on resume) count as no pause.
"""

from __future__ import annotations

from dataclasses import dataclass

from finsim.errors import UsageError
from finsim.i18n import tr
from finsim.transcript.model import StepEvent
from finsim.transcript.reader import BodyEvent, Transcript


@dataclass(frozen=True)
class Cue:
    """One event and when to show it, in seconds since the replay started."""

    event: BodyEvent
    at: float


@dataclass(frozen=True)
class ReplayPlan:
    """Events skipped by ``--step`` (shown at once, silently) and the timed cues after them."""

    skipped: list[BodyEvent]
    cues: list[Cue]

    @property
    def duration(self) -> float:
        """Seconds the replay lasts (the last cue's time)."""
        return self.cues[-1].at if self.cues else 0.0


def plan_replay(
    transcript: Transcript,
    *,
    speed: float = 1.0,
    start_step: int | None = None,
    max_pause: float | None = None,
) -> ReplayPlan:
    """Schedule the transcript's events (see the module docs); bad options raise UsageError."""
    if not speed > 0:
        raise UsageError(tr("--speed 必须大于 0", "--speed must be greater than 0"))
    if max_pause is not None and not max_pause >= 0:
        raise UsageError(tr("--max-pause 不能是负数", "--max-pause cannot be negative"))
    events = transcript.events
    first = 0 if start_step is None else _step_position(transcript, start_step)
    cues: list[Cue] = []
    at = 0.0
    previous = events[first].t if first < len(events) else 0.0
    for event in events[first:]:
        gap = max(0.0, event.t - previous)
        if max_pause is not None:
            gap = min(gap, max_pause)
        at += gap / speed
        previous = max(previous, event.t)
        cues.append(Cue(event, round(at, 6)))
    return ReplayPlan(skipped=list(events[:first]), cues=cues)


def _step_position(transcript: Transcript, number: int) -> int:
    """Index of the event that enters step ``number`` (1-based)."""
    total = len(transcript.header.scenario.get("steps", []))
    entered = [i for i, e in enumerate(transcript.events) if isinstance(e, StepEvent)]
    for position in entered:
        event = transcript.events[position]
        if isinstance(event, StepEvent) and event.index == number - 1:
            return position
    reached = max((e.index + 1 for e in transcript.events if isinstance(e, StepEvent)), default=0)
    raise UsageError(
        tr(
            f"--step {number} 超出范围：这次演练共 {total} 步，记录进行到第 {reached} 步；"
            f"请给 1 到 {reached}",
            f"--step {number}: the drill has {total} steps and the record reaches step {reached}",
        )
    )
