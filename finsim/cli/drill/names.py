"""Human names for the ids a drill deals in: intents, facts, objections, key points, moods."""

from __future__ import annotations

from dataclasses import dataclass, field

from finsim.i18n import tr
from finsim.scenario import load_base_library
from finsim.scenario.models import Scenario
from finsim.transcript.model import Violation
from finsim.vocabulary import mood_name, objection_kind_name


@dataclass
class Names:
    """Look-ups from ids to what a student reads, for one scenario."""

    scenario: Scenario
    _intents: dict[str, str] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        library = load_base_library()
        for intent in [*library.intents, *self.scenario.intents]:
            self._intents[intent.id] = intent.name

    def intent(self, intent_id: str) -> str:
        """Name an intent (its id when unknown, and in English: the names are Chinese)."""
        return tr(self._intents.get(intent_id, intent_id), intent_id)

    def fact(self, fact_id: str) -> str:
        """Name a hidden fact by its topic, as the card shows it."""
        return next((f.topic for f in self.scenario.persona.facts if f.id == fact_id), fact_id)

    def objection(self, objection_id: str) -> str:
        """Name an objection by its kind in the iceberg model, e.g. 怀疑."""
        found = next((o for o in self.scenario.persona.objections if o.id == objection_id), None)
        if found is None:
            return objection_id
        return objection_kind_name(found.kind)

    def key_point(self, key_point_id: str) -> str:
        """Return the text of a key point (searched across the steps)."""
        for step in self.scenario.steps:
            for point in step.key_points:
                if point.id == key_point_id:
                    return point.text
        return key_point_id

    def product(self, product_id: str) -> str:
        """Name a product."""
        return next((p.name for p in self.scenario.products if p.id == product_id), product_id)

    def violation(self, violation: Violation) -> str:
        """Say what went wrong: the engine's detail, else the red-line intent's name."""
        return violation.detail or self.intent(violation.id)

    @staticmethod
    def mood(mood: str) -> str:
        """Say the client's mood in words."""
        return mood_name(mood)

    @property
    def client(self) -> str:
        """Return the client's name."""
        return self.scenario.persona.profile.name
