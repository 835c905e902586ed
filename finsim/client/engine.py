"""The virtual client engine: reads the analysis of a manager line, answers, keeps state.

The rules are those of ``docs``/the scenario contract (how the engine reads a
scenario): red lines, rapport, facts, jargon, products and suitability,
objections (iceberg model), disclosure, replies by intent, decision.
"""

from __future__ import annotations

from finsim.client.reply import AnalysisLike, ClientReply
from finsim.client.state import ClientState
from finsim.scenario.models import IntentLibrary, KeyPoint, Scenario
from finsim.transcript.model import Outcome


class ClientEngine:
    """The persona of one scenario, played deterministically for a seed.

    ``respond`` and ``enter_step`` mutate the engine's :class:`ClientState`;
    the same calls in the same order with the same seed give the same replies.
    """

    def __init__(
        self, scenario: Scenario, seed: int = 0, library: IntentLibrary | None = None
    ) -> None:
        raise NotImplementedError

    @property
    def state(self) -> ClientState:
        """The client's state (read it, do not change it)."""
        raise NotImplementedError

    def enter_step(self, step_id: str) -> ClientReply:
        """Enter a step: the step's opening line, then any objection of that step raised."""
        raise NotImplementedError

    def respond(self, analysis: AnalysisLike, step_id: str) -> ClientReply:
        """Answer one manager line (already analysed) said during ``step_id``."""
        raise NotImplementedError

    def decide(self) -> Outcome:
        """Decide at the end of the drill (an earlier purchase stands)."""
        raise NotImplementedError

    def open_key_points(self, step_id: str) -> list[KeyPoint]:
        """Return the key points of a step not yet met."""
        raise NotImplementedError
