"""How the drill level and the persona's temperament change the client's play.

``finsim drill --level easy|normal|hard`` (default ``normal``) and the
persona's ``traits`` combine into one :class:`Temper`:

- trust gains (rapport, a resolved concern) and losses are scaled;
- patience is the number of trying turns the client bears (a line that costs
  trust or that it does not understand); with one left it asks the manager to
  get to the point;
- objections come up only from their ``level`` on (``easy`` objections at
  every level, ``hard`` ones only at ``hard``);
- a client that walks out (only at ``hard``) ends the meeting when its trust
  falls to ``walk_out_trust`` or its patience runs out, and says why.

``normal`` plays as the engine always has: same gains, no walking out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from finsim.scenario.models import Level, Persona

LEVEL_ORDER: tuple[Level, ...] = ("easy", "normal", "hard")


@dataclass(frozen=True)
class Temper:
    """The numbers that make a client easy or hard to win."""

    gain: float = 1.0
    loss: float = 1.0
    patience: int = 0
    walks_out: bool = False
    walk_out_trust: int = 0
    sensitive_extra: int = 0


LEVELS: dict[Level, Temper] = {
    "easy": Temper(gain=1.5, loss=0.5),
    "normal": Temper(),
    "hard": Temper(gain=0.8, loss=1.5, patience=4, walks_out=True, walk_out_trust=15),
}
"""The client's temper at each level, before the persona's traits."""


def temper_for(persona: Persona, level: Level) -> Temper:
    """Combine the level with the persona's traits."""
    temper = LEVELS[level]
    traits = set(persona.traits)
    if "patient" in traits:
        temper = replace(temper, patience=temper.patience + 2)
    if "hurried" in traits:
        temper = replace(temper, patience=max(2, temper.patience - 1))
    if "suspicious" in traits:
        temper = replace(temper, gain=temper.gain * 0.8, sensitive_extra=10)
    if "talkative" in traits:
        temper = replace(temper, gain=temper.gain * 1.2)
    return temper


def in_play(objection_level: Level, level: Level) -> bool:
    """Whether an objection of ``objection_level`` comes up in a drill at ``level``."""
    return LEVEL_ORDER.index(objection_level) <= LEVEL_ORDER.index(level)
