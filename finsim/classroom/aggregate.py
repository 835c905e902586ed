"""The arithmetic of the grade book: peer aggregation, the weighted blend, students' grades.

All scores are on a 0–100 scale (a form's total over its maximum × 100), so
forms and rubrics of different sizes combine. ``None`` means *missing*, never
zero: a missing part drops out and the remaining weights are renormalised.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence

from finsim.classroom.settings import PeerAggregation


def percent(points: float, maximum: float) -> float | None:
    """Return ``points`` as a percentage of ``maximum`` (``None`` when there is no maximum)."""
    return 100.0 * points / maximum if maximum > 0 else None


def aggregate(
    values: Sequence[float], method: PeerAggregation = "trimmed_mean", trim_min: int = 5
) -> float | None:
    """Aggregate raters' values; ``None`` for no values.

    ``trimmed_mean`` drops the single highest and the single lowest value when
    there are at least ``trim_min`` values, then takes the mean (fewer values:
    the plain mean). ``mean`` and ``median`` are the usual ones.
    """
    if not values:
        return None
    if method == "median":
        return float(statistics.median(values))
    if method == "trimmed_mean" and len(values) >= trim_min:
        ordered = sorted(values)
        return statistics.fmean(ordered[1:-1])
    return statistics.fmean(values)


def blend(
    parts: Mapping[str, float | None], weights: Mapping[str, float]
) -> tuple[float | None, dict[str, float]]:
    """Weighted mean of the parts present; return it and the effective (renormalised) weights.

    ``final = Σ w_i·p_i / Σ w_i`` over the parts ``i`` that are present and
    weighted; the effective weights ``w_i / Σ w_i`` sum to 1. No part → ``None``.
    """
    present = {k: v for k, v in parts.items() if v is not None and weights.get(k, 0) > 0}
    total_weight = sum(weights[k] for k in present)
    if total_weight <= 0:
        return None, {}
    effective = {k: weights[k] / total_weight for k in present}
    return sum(effective[k] * value for k, value in present.items()), effective


def student_grade(group: float | None, steps: float | None, step_weight: float) -> float | None:
    """Return a student's grade: ``(1 − β)·G + β·S``, or ``G`` when ``S`` is missing.

    ``G`` is the group's final score, ``S`` the auto score of the steps the student
    managed (as a percentage of those steps' maximum), ``β`` the step weight.
    """
    if group is None:
        return None
    if steps is None:
        return group
    return (1 - step_weight) * group + step_weight * steps
