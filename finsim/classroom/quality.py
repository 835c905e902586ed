"""Rater quality: flat raters and raters far from the consensus.

* **flat** — a rater who rated at least ``flat_min_sessions`` groups and gave
  every one the same total: the marks carry no information about the groups.
* **outlier** — a rater whose mean leave-one-out distance exceeds
  ``outlier_distance`` points: for each session they rated that at least two
  other raters also rated, the distance is ``|x_r − mean(x_others)|`` (on the
  0–100 scale); the rater's distance is the mean over those sessions. Leaving
  the rater out keeps an extreme rater from pulling the consensus towards
  themselves.
"""

from __future__ import annotations

import statistics
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from finsim.classroom.settings import Flags

Unit = TypeVar("Unit", bound=Hashable)


@dataclass(frozen=True)
class RaterQuality:
    """What is known of one rater: how many sessions, their mean, distance and flags."""

    rater_id: str
    sessions: int
    mean: float
    distance: float | None
    flags: tuple[str, ...] = field(default_factory=tuple)


def leave_one_out_distance(rater: str, table: Mapping[Unit, Mapping[str, float]]) -> float | None:
    """Return the rater's mean distance from the others' mean, over sessions with ≥ 2 others."""
    distances = []
    for by_rater in table.values():
        if rater not in by_rater:
            continue
        others = [v for r, v in by_rater.items() if r != rater]
        if len(others) >= 2:
            distances.append(abs(by_rater[rater] - statistics.fmean(others)))
    return statistics.fmean(distances) if distances else None


def rater_quality(
    table: Mapping[Unit, Mapping[str, float]], flags: Flags
) -> dict[str, RaterQuality]:
    """Assess every rater in ``table`` (session → {rater → score on 0–100})."""
    by_rater: dict[str, list[float]] = {}
    for ratings in table.values():
        for rater, value in ratings.items():
            by_rater.setdefault(rater, []).append(value)
    result: dict[str, RaterQuality] = {}
    for rater, values in sorted(by_rater.items()):
        distance = leave_one_out_distance(rater, table)
        marks: list[str] = []
        if len(values) >= flags.flat_min_sessions and max(values) - min(values) < 1e-9:
            marks.append("flat")
        if distance is not None and distance > flags.outlier_distance:
            marks.append("outlier")
        result[rater] = RaterQuality(
            rater, len(values), statistics.fmean(values), distance, tuple(marks)
        )
    return result
