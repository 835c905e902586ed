"""A tiny builder of hand-made transcripts for the scoring tests (no engine involved)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from finsim.scenario.loader import load_versioned
from finsim.scenario.models import SCENARIO_SCHEMA, Scenario
from finsim.transcript.model import (
    Annotations,
    EndEvent,
    Header,
    IntentScore,
    Outcome,
    StepEvent,
    TurnEvent,
    Violation,
)

DATA = Path(__file__).parent / "data"
MINIMAL = DATA / "minimal.yaml"


def minimal_scenario() -> Scenario:
    """The two-step test scenario (research → close; C2 client; deposit R1, fund R4)."""
    scenario, _ = load_versioned(MINIMAL, Scenario, SCENARIO_SCHEMA)
    return scenario


class TranscriptBuilder:
    """Build transcript events turn by turn, the way the engine would annotate them."""

    def __init__(self, scenario: Scenario | None = None) -> None:
        self.scenario = scenario or minimal_scenario()
        self.events: list[Any] = [
            Header(
                seq=0,
                program_version="test",
                created_at="2026-01-01T09:00:00+08:00",
                scenario_id=self.scenario.id,
                scenario_hash="0" * 64,
                scenario=self.scenario.model_dump(mode="json", by_alias=True),
                seed=1,
                mode="script",
            )
        ]
        self.turn = 0
        self.trust = self.scenario.persona.starting_trust
        self.step_index = -1
        self.next_step()

    @property
    def step(self) -> str:
        """The current step id."""
        return self.scenario.steps[self.step_index].id

    def _add(self, event_type: type[Any], **fields: Any) -> None:
        self.events.append(event_type(seq=len(self.events), **fields))

    def next_step(self) -> TranscriptBuilder:
        """Move to the next step; the client says its opening."""
        self.step_index += 1
        self._add(StepEvent, step=self.step, index=self.step_index)
        opening = self.scenario.steps[self.step_index].opening[0].text
        self._add(TurnEvent, turn=self.turn, speaker="client", step=self.step, text=opening)
        return self

    def say(
        self,
        text: str,
        *intents: str,
        reply: str = "嗯。",
        trust: int | None = None,
        scores: dict[str, float] | None = None,
        **annotations: Any,
    ) -> TranscriptBuilder:
        """A manager line with its recognised intents (score 1, or ``scores``), then the reply."""
        self.turn += 1
        if trust is not None:
            self.trust = trust
        violations = [
            v if isinstance(v, Violation) else Violation(id=v)
            for v in annotations.pop("violations", [])
        ]
        ann = Annotations(
            intents=[IntentScore(id=i, score=(scores or {}).get(i, 1.0)) for i in intents],
            violations=violations,
            trust=self.trust,
            **annotations,
        )
        self._add(
            TurnEvent, turn=self.turn, speaker="manager", step=self.step, text=text, annotations=ann
        )
        self._add(TurnEvent, turn=self.turn, speaker="client", step=self.step, text=reply)
        return self

    def end(self, decision: str = "bought", product: str | None = "deposit") -> list[Any]:
        """Close with an end event and return every event."""
        outcome = Outcome(decision=decision, product=product if decision == "bought" else None)  # type: ignore[arg-type]
        self._add(EndEvent, reason="finished", outcome=outcome)
        return self.events


def careful_minimal() -> list[Any]:
    """A good drill on the minimal scenario."""
    b = TranscriptBuilder()
    b.say("李阿姨您好，我是社区支行的小王。", "greet")
    b.say("我们在做理财需求调查，想耽误您几分钟。", "explain_purpose", key_points=["purpose"])
    b.say("您手上有定期快到期吗？", "ask_product_usage", revealed=["maturing"])
    b.next_step()
    b.say(
        "给您介绍一年期定期存款，受存款保险保障，提前支取按活期计息，没有手续费。",
        "introduce_product",
        "disclose_risk",
        "disclose_fees",
        products=["deposit"],
    )
    b.say("这是存款保险的标识，您可以看一下。", "handle_doubt", resolved=["fear"], trust=70)
    b.say(
        "那我们今天就帮您办理吧？", "ask_for_commitment", key_points=["commit"], decision="accept"
    )
    b.say("谢谢您，慢走。", "thank_close")
    return b.end()
