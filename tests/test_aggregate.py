"""Aggregation, agreement and rater-quality arithmetic."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finsim.classroom.aggregate import aggregate, blend, student_grade
from finsim.classroom.agreement import krippendorff_alpha, nominal, pearson, ranks, spearman
from finsim.classroom.quality import rater_quality
from finsim.classroom.settings import ClassSettings, Flags

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
# four observers, twelve units, missing values. Published: nominal .743, interval .849.
_KRIPPENDORFF = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}
UNITS = {u: {coder: values[u] for coder, values in _KRIPPENDORFF.items()} for u in range(12)}


def test_krippendorff_alpha_matches_the_published_example() -> None:
    assert krippendorff_alpha(UNITS) == pytest.approx(0.849, abs=5e-4)
    assert krippendorff_alpha(UNITS, nominal) == pytest.approx(0.743, abs=5e-4)


def test_alpha_edge_cases() -> None:
    assert (
        krippendorff_alpha({1: {"a": 3.0, "b": 3.0}, 2: {"a": 3.0, "b": 3.0}}) is None
    )  # no variation
    assert krippendorff_alpha({1: {"a": 1.0}}) is None  # nothing pairable
    assert krippendorff_alpha({1: {"a": 1.0, "b": 1.0}, 2: {"a": 5.0, "b": 5.0}}) == 1.0


def test_trimmed_mean_mean_median() -> None:
    values = [80, 80, 80, 100, 20]
    assert aggregate(values) == 80  # five raters: drop 100 and 20
    assert aggregate(values[:4]) == 85  # four raters: no trimming
    assert aggregate(values, "mean") == 72
    assert aggregate(values, "median") == 80
    assert aggregate([]) is None


def test_blend_renormalises_over_present_parts() -> None:
    weights = ClassSettings.from_store({}).weights.as_dict()
    assert blend({"auto": 70, "peer": 80, "teacher": 85}, weights)[0] == pytest.approx(80.5)
    value, used = blend({"auto": 70, "peer": None, "teacher": 85}, weights)
    assert value == pytest.approx((20 * 70 + 50 * 85) / 70)
    assert used == pytest.approx({"auto": 20 / 70, "teacher": 50 / 70})
    assert blend({"auto": None, "peer": None, "teacher": None}, weights) == (None, {})


def test_student_grade() -> None:
    assert student_grade(80.5, 75, 0.3) == pytest.approx(78.85)
    assert student_grade(80.5, None, 0.3) == 80.5
    assert student_grade(None, 75, 0.3) is None


def test_pearson_and_spearman() -> None:
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1)
    assert pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1)
    assert pearson([1, 2], [1, 2]) is None
    assert ranks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4]
    assert spearman([1, 2, 3, 4], [1, 4, 9, 16]) == pytest.approx(1)


def test_flat_and_outlier_raters() -> None:
    table = {
        1: {"a": 80, "b": 82, "c": 78, "flat": 60},
        2: {"a": 50, "b": 52, "c": 48, "flat": 60, "far": 100},
    }
    quality = rater_quality(table, Flags())
    assert quality["flat"].flags == ("flat",)  # |60-80| = 20, |60-62.5| = 2.5: mean 11.25
    assert quality["far"].flags == ("outlier",)  # |100 - 52.5| = 47.5
    assert quality["a"].flags == () and quality["far"].sessions == 1


@given(st.lists(st.floats(min_value=0, max_value=100), min_size=1, max_size=40))
def test_aggregates_stay_within_the_range(values: list[float]) -> None:
    for method in ("trimmed_mean", "mean", "median"):
        result = aggregate(values, method)  # type: ignore[arg-type]
        assert result is not None and min(values) - 1e-9 <= result <= max(values) + 1e-9


@given(
    st.dictionaries(st.sampled_from(["auto", "peer", "teacher"]), st.floats(0, 100), min_size=1),
    st.tuples(st.floats(0.1, 100), st.floats(0.1, 100), st.floats(0.1, 100)),
)
def test_blend_stays_between_its_parts(
    parts: dict[str, float], w: tuple[float, float, float]
) -> None:
    value, used = blend(parts, {"auto": w[0], "peer": w[1], "teacher": w[2]})
    assert value is not None and min(parts.values()) - 1e-9 <= value <= max(parts.values()) + 1e-9
    assert sum(used.values()) == pytest.approx(1)
