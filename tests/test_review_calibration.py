"""Calibration statistics on a hand-computed example, perfect agreement and no agreement."""

from __future__ import annotations

import pytest

from qa_toolkit.errors import QAError
from qa_toolkit.review.calibration import CriterionScale, Rating, Tolerance, krippendorff_alpha, report

SCALES = [CriterionScale("accuracy", tuple(float(p) for p in range(11)), "interval"),
          CriterionScale("greeting", (0.0, 1.0), "nominal")]


def hand_example() -> list[Rating]:
    """Gold g and reviewer a on three interactions (numbers worked out by hand in the test below)."""
    return [
        Rating("g", 1, 80.0, {"accuracy": 1, "greeting": 1}),
        Rating("g", 2, 50.0, {"accuracy": 2, "greeting": 0}),
        Rating("g", 3, 100.0, {"accuracy": 3, "greeting": 1}),
        Rating("a", 1, 85.0, {"accuracy": 1, "greeting": 1}),
        Rating("a", 2, 70.0, {"accuracy": 2, "greeting": 1}),
        Rating("a", 3, 100.0, {"accuracy": 4, "greeting": 1}),
    ]


def test_hand_computed_example() -> None:
    result = report(hand_example(), SCALES, gold="g")
    [a] = result.reviewers
    # overall deviations +5, +20, 0: two of three within ±10
    assert [e.deviation for e in result.evaluations] == [5.0, 20.0, 0.0]
    assert [e.agrees for e in result.evaluations] == [True, False, True]
    assert a.overall_agreement == 66.67 and result.overall_agreement == 66.67
    assert a.mean_deviation == pytest.approx(25 / 3, abs=1e-4) and a.mean_abs_deviation == pytest.approx(25 / 3, abs=1e-4)
    # criteria: accuracy within one point 3/3, greeting exact 2/3 -> 5/6
    assert a.criterion_agreement == 83.33
    assert a.criterion_deviation == {"accuracy": pytest.approx(1 / 3, abs=1e-4), "greeting": pytest.approx(1 / 3, abs=1e-4)}
    assert not a.calibrated and not result.calibrated
    by_key = {c.key: c for c in result.criteria}
    # interval alpha, values 1,1 | 2,2 | 3,4: D_o = 2/6, D_e = 82/30 -> alpha = 1 - (1/3)/(41/15) = 36/41
    assert by_key["accuracy"].alpha == pytest.approx(36 / 41, abs=1e-4)
    # nominal alpha, values 1,1 | 0,1 | 1,1: D_o = 2/6, D_e = 10/30 -> alpha = 0
    assert by_key["greeting"].alpha == pytest.approx(0.0, abs=1e-4)
    assert by_key["greeting"].agreement == 66.67 and by_key["accuracy"].agreement == 100.0
    # most disagreement first
    assert [c.key for c in result.criteria] == ["greeting", "accuracy"]


def test_perfect_agreement_is_calibrated_with_alpha_one() -> None:
    ratings = [Rating(who, i, 40.0 + 20 * i, {"accuracy": float(i * 3), "greeting": float(i % 2)})
               for who in ("g", "a", "b") for i in range(1, 4)]
    result = report(ratings, SCALES, gold="g")
    assert result.overall_agreement == 100.0 and result.criterion_agreement == 100.0 and result.calibrated
    assert all(r.calibrated and r.mean_abs_deviation == 0 for r in result.reviewers)
    assert [c.alpha for c in result.criteria] == [1.0, 1.0]
    assert result.overall_alpha == 1.0


def test_no_agreement_is_not_calibrated_and_alpha_at_most_zero() -> None:
    ratings = []
    for i in range(1, 5):
        ratings.append(Rating("g", i, 100.0, {"accuracy": 10.0, "greeting": 1.0}) if i % 2 else
                       Rating("g", i, 0.0, {"accuracy": 0.0, "greeting": 0.0}))
        ratings.append(Rating("a", i, 0.0, {"accuracy": 0.0, "greeting": 0.0}) if i % 2 else
                       Rating("a", i, 100.0, {"accuracy": 10.0, "greeting": 1.0}))
    result = report(ratings, SCALES, gold="g")
    assert result.overall_agreement == 0.0 and result.criterion_agreement == 0.0 and not result.calibrated
    assert result.reviewers[0].mean_abs_deviation == 100.0 and result.reviewers[0].mean_deviation == 0.0
    assert all(c.alpha is not None and c.alpha < 0 for c in result.criteria)


def test_na_agrees_only_with_na_and_tolerance_is_configurable() -> None:
    ratings = [Rating("g", 1, 70.0, {"accuracy": None, "greeting": 1.0}),
               Rating("a", 1, 78.0, {"accuracy": 5.0, "greeting": 1.0}),
               Rating("b", 1, 70.0, {"accuracy": None, "greeting": 1.0})]
    result = report(ratings, SCALES, gold="g", tolerance=Tolerance(overall_points=5, calibrated_percent=50))
    a, b = result.reviewers
    assert (a.overall_agreement, a.criterion_agreement) == (0.0, 50.0)
    assert (b.overall_agreement, b.criterion_agreement, b.calibrated) == (100.0, 100.0, True)


def test_alpha_undefined_without_variation() -> None:
    assert krippendorff_alpha([[3, 3], [3, 3]], "ordinal", (1, 2, 3, 4, 5)) is None
    assert krippendorff_alpha([[3, None], [None, 4]], "ordinal") is None


def test_ordinal_alpha_uses_the_scale_points() -> None:
    value = krippendorff_alpha([[1, 2, 3], [1, 2, 4]], "ordinal", (1, 2, 3, 4, 5))
    assert value is not None and 0 < value < 1


def test_gold_without_ratings_is_explained() -> None:
    with pytest.raises(QAError, match="gold participant 'zed' has not scored"):
        report(hand_example(), SCALES, gold="zed")
