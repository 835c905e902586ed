"""The basic value types shared by every format model of scenarios and intents."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Identifier = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_.\-]*$",
        max_length=64,
        description="lower-case id: letters, digits, '_', '-', '.'",
    ),
]
Text = Annotated[str, Field(min_length=1)]
Trust = Annotated[int, Field(ge=0, le=100)]


class Strict(BaseModel):
    """Base of every format model: unknown fields are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


ProductRisk = Literal["R1", "R2", "R3", "R4", "R5"]
ClientRisk = Literal["C1", "C2", "C3", "C4", "C5"]
ProductKind = Literal[
    "deposit",
    "wealth",
    "fund",
    "bond",
    "insurance",
    "loan",
    "credit_card",
    "settlement",
    "account",
    "other",
]
ObjectionKindId = Literal["misunderstanding", "doubt", "shortcoming", "complaint", "price"]
