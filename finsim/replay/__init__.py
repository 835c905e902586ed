"""Replaying a saved drill: the schedule, the player and the client's state as it was.

Pure logic with no terminal in it: :func:`plan_replay` turns a transcript into
timed cues, :class:`Player` waits for each (pausing on a key) and hands it to
a ``show`` callback, and :class:`ReplayState` folds the recorded events into
the client card and the end-of-drill summary the live drill showed.
"""

from finsim.replay.player import KeySource, NoKeys, Player, PlayResult
from finsim.replay.state import ReplayState
from finsim.replay.timeline import Cue, ReplayPlan, plan_replay

__all__ = [
    "Cue",
    "KeySource",
    "NoKeys",
    "PlayResult",
    "Player",
    "ReplayPlan",
    "ReplayState",
    "plan_replay",
]
