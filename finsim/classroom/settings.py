"""Per-class aggregation settings, the YAML format ``finsim/class-settings@1``.

Example (every key optional; these are the defaults)::

    schema: finsim/class-settings@1
    peer_aggregation: trimmed_mean   # trimmed_mean | mean | median
    trim_min_raters: 5               # trim only with at least this many raters
    weights: {auto: 20, peer: 30, teacher: 50}
    step_weight: 0.3                 # share of a student's grade from the steps they managed
    rubric: null                     # a rubric file; null = the shipped default
    flags:
      outlier_distance: 20           # points (of 100) from the leave-one-out consensus
      flat_min_sessions: 2           # a flat rater must have rated at least this many groups
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from finsim.i18n import tr
from finsim.scenario.loader import load_versioned

SETTINGS_SCHEMA = "finsim/class-settings@1"

PeerAggregation = Literal["trimmed_mean", "mean", "median"]

_AGGREGATION_NAMES: dict[str, str] = {
    "trimmed_mean": "截尾平均：人数够多时去掉一个最高分和一个最低分",
    "mean": "平均分",
    "median": "中位数",
}


def aggregation_name(method: str) -> str:
    """Name a peer aggregation in the user's language (English: its id, as typed)."""
    return tr(_AGGREGATION_NAMES.get(method, method), method)


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False
    )


class Weights(_Strict):
    """Weights of the three voices; renormalised over the parts present."""

    auto: float = Field(default=20, ge=0)
    peer: float = Field(default=30, ge=0)
    teacher: float = Field(default=50, ge=0)

    @model_validator(mode="after")
    def _some_weight(self) -> Weights:
        if self.auto + self.peer + self.teacher <= 0:
            raise ValueError("三项权重不能全为 0 / the weights cannot all be 0")
        return self

    def as_dict(self) -> dict[str, float]:
        """Return the weights keyed ``auto``, ``peer``, ``teacher``."""
        return {"auto": self.auto, "peer": self.peer, "teacher": self.teacher}


class Flags(_Strict):
    """Thresholds of the rater-quality flags."""

    outlier_distance: float = Field(default=20, gt=0, le=100)
    flat_min_sessions: int = Field(default=2, ge=2)


class ClassSettings(_Strict):
    """How a class's grades are put together (see the module docs)."""

    schema_: Literal["finsim/class-settings@1"] = Field("finsim/class-settings@1", alias="schema")
    peer_aggregation: PeerAggregation = "trimmed_mean"
    trim_min_raters: int = Field(default=5, ge=3)
    weights: Weights = Weights()
    step_weight: float = Field(default=0.3, ge=0, le=1)
    rubric: str | None = None
    flags: Flags = Flags()

    def to_store(self) -> dict[str, Any]:
        """Return the settings as the plain dict kept in the store."""
        return self.model_dump(mode="json", by_alias=True)

    @classmethod
    def from_store(cls, data: dict[str, Any] | None) -> ClassSettings:
        """Rebuild settings kept in the store (an empty dict gives the defaults)."""
        return cls.model_validate(dict(data or {}))

    def with_options(self, **changes: Any) -> ClassSettings:
        """Return a copy with the given (non-``None``) fields replaced, validated."""
        data = self.to_store()
        data.update({k: v for k, v in changes.items() if v is not None})
        return ClassSettings.model_validate(data)


def load_settings(path: Path) -> ClassSettings:
    """Read a ``finsim/class-settings@1`` file; errors name file, line and column."""
    settings, _ = load_versioned(path, ClassSettings, SETTINGS_SCHEMA)
    return settings
