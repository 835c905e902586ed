"""A client line with the conditions on the client's state under which it may be said.

In YAML a line is either a plain string (said in any state) or a mapping::

    - text: 今天这事算是办妥了。
      when: {decision: bought, mood: [warm, trusting]}
    - text: 老伴那边看病的钱，我得先留出来。
      tells: [husband-health]

``when`` holds every condition (all must hold); ``tells`` names the hidden
facts the line carries along: a sensitive one needs the same trust as when it
is asked for, and saying the line tells them. A line without conditions is
written back as a plain string, so an unconditioned scenario reads (and
hashes) as before.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_serializer

from finsim.scenario.types import Identifier, Strict, Text, Trust

Mood = Literal["trusting", "warm", "neutral", "wary", "hostile"]
MOODS: tuple[tuple[int, Mood], ...] = (
    (80, "trusting"),
    (60, "warm"),
    (40, "neutral"),
    (20, "wary"),
    (0, "hostile"),
)
"""Mood by trust: the first band whose floor the trust reaches."""

Standing = Literal["open", "bought", "declined", "left"]
"""Where the client stands: undecided, bought, declined at a close, walked out."""


class When(Strict):
    """Conditions on the client's state; a line is said only when all of them hold."""

    decision: list[Standing] = Field(
        default_factory=list, description="any of: open, bought, declined, left"
    )
    trust_min: Trust | None = None
    trust_max: Trust | None = None
    mood: list[Mood] = Field(default_factory=list, description="any of these moods")
    raised: list[Identifier] = Field(default_factory=list, description="objections voiced")
    not_raised: list[Identifier] = Field(default_factory=list)
    resolved: list[Identifier] = Field(default_factory=list, description="objections resolved")
    offered: list[Identifier] = Field(
        default_factory=list, description="products the manager has put forward"
    )
    not_offered: list[Identifier] = Field(default_factory=list)
    told: list[Identifier] = Field(default_factory=list, description="facts already told")
    not_told: list[Identifier] = Field(default_factory=list)
    heard: list[Identifier] = Field(
        default_factory=list, description="intents the manager has used (this line included)"
    )
    not_heard: list[Identifier] = Field(default_factory=list)
    said: list[Text] = Field(
        default_factory=list, description="words the manager must have said (services, names)"
    )

    def is_empty(self) -> bool:
        """Whether no condition is set."""
        return not any(getattr(self, name) not in (None, []) for name in type(self).model_fields)

    def references(self) -> dict[str, list[str]]:
        """Return the ids named, by kind: objection, product, fact, intent."""
        return {
            "objection": [*self.raised, *self.not_raised, *self.resolved],
            "product": [*self.offered, *self.not_offered],
            "fact": [*self.told, *self.not_told],
            "intent": [*self.heard, *self.not_heard],
        }


def _plain_to_mapping(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


class _Line(Strict):
    text: Text
    when: When = Field(default_factory=When)
    tells: list[Identifier] = Field(
        default_factory=list, description="hidden facts the line carries along"
    )

    @model_serializer(mode="wrap")
    def _dump(self, handler: Any) -> Any:
        if self.when.is_empty() and not self.tells:
            return self.text
        return handler(self)


Line = Annotated[_Line, BeforeValidator(_plain_to_mapping, json_schema_input_type=str | _Line)]
"""A client line: a string, or ``{text, when, tells}``."""

LineModel = _Line


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, (str, dict)) else value


Lines = Annotated[
    list[Line], BeforeValidator(_one_or_many, json_schema_input_type=str | _Line | list[Line])
]
"""One line or a list of variants."""
