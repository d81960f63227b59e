"""The score formula: the README's worked example, then properties (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_toolkit.scoring.formula import CriterionInput, normalize, pass_rate, quality_score, score


def worked_example(identity: float | None = None) -> list[CriterionInput]:
    """The README example: communication, empathy (all N/A), resolution with a bonus, compliance."""
    return [
        CriterionInput("greeting", "communication", 1, 0, 1),
        CriterionInput("tone", "communication", 4, 1, 5),
        CriterionInput("acknowledged", "empathy", None, 0, 1),
        CriterionInput("resolved", "resolution", 1, 0, 1, weight=2),
        CriterionInput("first_contact", "resolution", 0, 0, 1),
        CriterionInput("extra_mile", "resolution", 1, 0, 1, bonus=10),
        CriterionInput("identity", "compliance", identity, 0, 1, critical="fail_all"),
    ]


WEIGHTS = {"communication": 1, "empathy": 1.5, "resolution": 2, "compliance": 1.5}


def test_worked_example_from_the_readme() -> None:
    result = score(worked_example(), WEIGHTS)
    assert result.normalized["tone"] == 75.0
    assert result.categories["communication"] == 87.5
    assert result.categories["empathy"] is None
    assert result.categories["resolution"] == pytest.approx(200 / 3 + 10)
    assert result.categories["compliance"] is None
    assert result.score == pytest.approx((87.5 * 1 + (200 / 3 + 10) * 2) / 3)
    assert round(result.score, 2) == 80.28
    assert result.critical_failed is False


def test_worked_example_with_identity_verified_counts_compliance() -> None:
    result = score(worked_example(identity=1), WEIGHTS)
    assert result.score == pytest.approx((87.5 + (200 / 3 + 10) * 2 + 100 * 1.5) / 4.5)


def test_failed_critical_fail_all_zeroes_the_evaluation() -> None:
    result = score(worked_example(identity=0), WEIGHTS)
    assert (result.score, result.critical_failed, result.critical_failures) == (0.0, True, ("identity",))
    assert result.categories["communication"] == 87.5  # categories still tell what went right


def test_failed_critical_fail_section_zeroes_only_its_category() -> None:
    criteria = [CriterionInput("greeting", "communication", 1), CriterionInput("language", "communication", 0,
                                                                               critical="fail_section"),
                CriterionInput("resolved", "resolution", 1)]
    result = score(criteria)
    assert result.categories == {"communication": 0.0, "resolution": 100.0}
    assert (result.score, result.critical_failed) == (50.0, False)


def test_critical_threshold_is_configurable() -> None:
    on_scale = [CriterionInput("tone", "c", 3, 1, 5, critical="fail_all", threshold=60)]  # 50 < 60
    assert score(on_scale).score == 0.0
    assert score([CriterionInput("tone", "c", 3, 1, 5, critical="fail_all")]).score == 50.0  # 50 >= 50


def test_all_na_gives_no_score_not_zero() -> None:
    result = score([CriterionInput("a", "x", None), CriterionInput("b", "y", None)])
    assert result.score is None
    assert result.categories == {"x": None, "y": None}


def test_bonus_is_capped_at_100() -> None:
    result = score([CriterionInput("a", "x", 1), CriterionInput("bonus", "x", 1, bonus=20)])
    assert result.categories["x"] == 100.0 and result.score == 100.0


def test_bonus_alone_does_not_create_a_score() -> None:
    assert score([CriterionInput("bonus", "x", 1, bonus=20)]).score is None


def test_normalize_and_quality_and_pass_rate() -> None:
    assert normalize(7, 0, 10) == 70.0
    assert normalize(None, 0, 10) is None
    assert normalize(12, 0, 10) == 100.0
    assert quality_score([80, None, 100, 60]) == 80.0
    assert quality_score([None]) is None
    assert pass_rate([80, 79.9, 100, None]) == pytest.approx(2 / 3)
    assert pass_rate([70, 90], pass_mark=70) == 1.0


values = st.one_of(st.none(), st.integers(min_value=1, max_value=5).map(float))
criteria_lists = st.lists(
    st.tuples(values, st.sampled_from(["a", "b", "c"]), st.floats(min_value=0.1, max_value=5),
              st.sampled_from(["none", "none", "fail_all", "fail_section"]), st.sampled_from([0.0, 0.0, 10.0])),
    min_size=1, max_size=8)


def _build(items: list) -> list[CriterionInput]:  # type: ignore[type-arg]
    return [CriterionInput(f"k{i}", cat, v, 1, 5, w, crit if not bonus else "none", 50, bonus)
            for i, (v, cat, w, crit, bonus) in enumerate(items)]


@settings(max_examples=150, deadline=None)
@given(criteria_lists, st.dictionaries(st.sampled_from(["a", "b", "c"]), st.floats(min_value=0.1, max_value=3)))
def test_score_is_within_bounds_or_none(items: list, weights: dict) -> None:  # type: ignore[type-arg]
    result = score(_build(items), weights)
    assert result.score is None or 0.0 <= result.score <= 100.0
    for value in result.categories.values():
        assert value is None or 0.0 <= value <= 100.0
    scored = [i for i in items if i[0] is not None and not i[4]]
    assert (result.score is None) == (not scored)


@settings(max_examples=150, deadline=None)
@given(criteria_lists, st.data())
def test_raising_a_value_never_lowers_the_score(items: list, data: st.DataObject) -> None:  # type: ignore[type-arg]
    index = data.draw(st.integers(min_value=0, max_value=len(items) - 1))
    value = items[index][0]
    if value is None or value == 5:
        return
    higher = list(items)
    higher[index] = (data.draw(st.integers(min_value=int(value) + 1, max_value=5).map(float)), *items[index][1:])
    before, after = score(_build(items)).score, score(_build(higher)).score
    assert (before is None) == (after is None)  # only N/A-ness decides whether there is a score
    if before is not None and after is not None:
        assert after >= before - 1e-9


@settings(max_examples=150, deadline=None)
@given(criteria_lists, st.data())
def test_adding_an_na_criterion_never_changes_the_score(items: list, data: st.DataObject) -> None:  # type: ignore[type-arg]
    category = data.draw(st.sampled_from(["a", "b", "c", "d"]))
    with_na = [*_build(items), CriterionInput("extra", category, None, 1, 5, 3.0, "fail_all")]
    assert score(with_na).score == score(_build(items)).score


@settings(max_examples=100, deadline=None)
@given(criteria_lists, st.floats(min_value=0.1, max_value=10))
def test_scaling_all_weights_changes_nothing(items: list, factor: float) -> None:  # type: ignore[type-arg]
    scaled = [CriterionInput(c.key, c.category, c.value, c.scale_min, c.scale_max, c.weight * factor, c.critical,
                             c.threshold, c.bonus) for c in _build(items)]
    before, after = score(_build(items)).score, score(scaled).score
    assert (before is None) == (after is None)
    if before is not None:
        assert after == pytest.approx(before)


@settings(max_examples=100, deadline=None)
@given(criteria_lists)
def test_a_failed_fail_all_criterion_always_gives_zero(items: list) -> None:  # type: ignore[type-arg]
    failing = [*_build(items), CriterionInput("critical", "z", 1, 1, 5, 1.0, "fail_all")]
    result = score(failing)
    assert result.score == 0.0 and result.critical_failed
