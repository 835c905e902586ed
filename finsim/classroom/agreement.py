"""Agreement statistics: Krippendorff's alpha (with missing data), Pearson and Spearman.

Krippendorff's alpha is ``1 − D_o / D_e`` where, over the *pairable* values
(those in units with at least two values; ``n`` of them),

* ``D_o = (1/n) Σ_u Σ_{i≠j ∈ u} δ(v_i, v_j) / (m_u − 1)`` — the observed
  disagreement within units (``m_u`` values in unit ``u``), and
* ``D_e = 1/(n(n−1)) Σ_{i≠j} δ(v_i, v_j)`` over all pairable values — the
  disagreement expected by chance.

``δ`` is the metric: ``(a − b)²`` for interval data, ``0``/``1`` for nominal.
This is the coincidence-matrix definition (Krippendorff 2011, "Computing
Krippendorff's Alpha-Reliability") written pair by pair.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TypeVar

Metric = Callable[[float, float], float]
Unit = TypeVar("Unit", bound=Hashable)
Coder = TypeVar("Coder", bound=Hashable)


def interval(a: float, b: float) -> float:
    """Return the interval metric ``(a − b)²``."""
    return (a - b) ** 2


def nominal(a: float, b: float) -> float:
    """Return the nominal metric: 0 when equal, else 1."""
    return 0.0 if a == b else 1.0


def _pair_sum(values: Sequence[float], metric: Metric) -> float:
    return sum(metric(a, b) for i, a in enumerate(values) for j, b in enumerate(values) if i != j)


def krippendorff_alpha(
    units: Mapping[Unit, Mapping[Coder, float | None]], metric: Metric = interval
) -> float | None:
    """Return alpha for ``units`` → {coder → value}; ``None`` values are missing.

    Returns ``None`` when alpha is undefined: fewer than two pairable values or
    no variation at all among them.
    """
    pairable = [
        vals
        for vals in ([v for v in unit.values() if v is not None] for unit in units.values())
        if len(vals) >= 2
    ]
    n = sum(len(vals) for vals in pairable)
    if n < 2:
        return None
    observed = sum(_pair_sum(vals, metric) / (len(vals) - 1) for vals in pairable) / n
    every = [v for vals in pairable for v in vals]
    expected = _pair_sum(every, metric) / (n * (n - 1))
    if expected == 0:
        return None
    return 1.0 - observed / expected


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Return Pearson's r; ``None`` with fewer than three pairs or no variation."""
    if len(xs) != len(ys) or len(xs) < 3:
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def ranks(values: Sequence[float]) -> list[float]:
    """Return 1-based ranks, ties sharing their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for k in range(start, end + 1):
            result[order[k]] = (start + end) / 2 + 1
        start = end + 1
    return result


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Return Spearman's rho (Pearson's r of the ranks, ties averaged)."""
    if len(xs) != len(ys) or len(xs) < 3:
        return None
    return pearson(ranks(xs), ranks(ys))
