from __future__ import annotations

from decimal import Context, Decimal, localcontext

import pytest

from ledger.scoring import achievement
from ledger.scoring.precision import reported
from ledger.values import Direction, TargetSpec

INCREASE = Direction.INCREASE
DECREASE = Direction.DECREASE


def percent(
    direction: Direction,
    actual: str,
    target: str,
    *,
    threshold: str | None = None,
    stretch: str | None = None,
    cap: str = "150",
) -> Decimal:
    spec = TargetSpec(
        Decimal(target),
        None if threshold is None else Decimal(threshold),
        None if stretch is None else Decimal(stretch),
    )
    return reported(achievement(Decimal(actual), spec, direction, Decimal(cap)))


def test_increase_at_or_below_the_threshold_scores_zero() -> None:
    assert percent(INCREASE, "50", "100", threshold="50") == Decimal("0.00")
    assert percent(INCREASE, "40", "100", threshold="50") == Decimal("0.00")


def test_increase_between_threshold_and_target_is_linear_from_the_threshold() -> None:
    assert percent(INCREASE, "75", "100", threshold="50") == Decimal("50.00")


def test_increase_without_threshold_measures_from_zero() -> None:
    assert percent(INCREASE, "87", "90") == Decimal("96.67")


def test_increase_without_threshold_scores_zero_for_nothing_or_less() -> None:
    assert percent(INCREASE, "0", "90") == Decimal("0.00")
    assert percent(INCREASE, "-5", "90") == Decimal("0.00")


def test_increase_at_target_scores_one_hundred() -> None:
    assert percent(INCREASE, "100", "100", threshold="50", stretch="120") == Decimal("100.00")


def test_increase_above_target_with_stretch_earns_the_cap_at_the_stretch() -> None:
    assert percent(INCREASE, "110", "100", stretch="120") == Decimal("125.00")
    assert percent(INCREASE, "120", "100", stretch="120") == Decimal("150.00")


def test_increase_beyond_the_stretch_is_clamped_to_the_cap() -> None:
    assert percent(INCREASE, "130", "100", stretch="120") == Decimal("150.00")


def test_increase_without_stretch_continues_the_line_above_target() -> None:
    assert percent(INCREASE, "110", "100", threshold="50") == Decimal("120.00")
    assert percent(INCREASE, "105", "100") == Decimal("105.00")


def test_increase_without_stretch_is_clamped_to_the_cap() -> None:
    assert percent(INCREASE, "200", "100") == Decimal("150.00")


def test_the_cap_comes_from_the_policy() -> None:
    assert percent(INCREASE, "250", "100", cap="120") == Decimal("120.00")
    assert percent(INCREASE, "250", "100", cap="200") == Decimal("200.00")


def test_the_stretch_earns_the_policy_cap() -> None:
    assert percent(INCREASE, "110", "100", stretch="120", cap="200") == Decimal("150.00")
    assert percent(INCREASE, "110", "100", stretch="120", cap="120") == Decimal("110.00")


def test_decrease_with_threshold_scores_zero_violations_as_one_hundred() -> None:
    assert percent(DECREASE, "0", "0", threshold="3") == Decimal("100.00")


def test_decrease_with_threshold_is_linear_between_threshold_and_target() -> None:
    assert percent(DECREASE, "1", "0", threshold="3") == Decimal("66.67")
    assert percent(DECREASE, "2", "0", threshold="3") == Decimal("33.33")


def test_decrease_at_or_beyond_the_threshold_scores_zero() -> None:
    assert percent(DECREASE, "3", "0", threshold="3") == Decimal("0.00")
    assert percent(DECREASE, "5", "0", threshold="3") == Decimal("0.00")


def test_decrease_without_threshold_is_target_over_actual() -> None:
    assert percent(DECREASE, "20", "10") == Decimal("50.00")
    assert percent(DECREASE, "10", "10") == Decimal("100.00")


def test_decrease_below_target_with_stretch_earns_the_cap_at_the_stretch() -> None:
    assert percent(DECREASE, "7.5", "10", stretch="5") == Decimal("125.00")
    assert percent(DECREASE, "5", "10", stretch="5") == Decimal("150.00")
    assert percent(DECREASE, "2", "10", stretch="5") == Decimal("150.00")


def test_decrease_with_threshold_and_stretch_uses_both_segments() -> None:
    assert percent(DECREASE, "15", "10", threshold="20", stretch="5") == Decimal("50.00")
    assert percent(DECREASE, "7.5", "10", threshold="20", stretch="5") == Decimal("125.00")


def test_decrease_below_target_without_stretch_continues_the_threshold_line() -> None:
    assert percent(DECREASE, "8", "10", threshold="20") == Decimal("120.00")
    assert percent(DECREASE, "5", "10", threshold="20", cap="200") == Decimal("150.00")


def test_decrease_below_target_without_threshold_or_stretch_is_target_over_actual() -> None:
    assert percent(DECREASE, "8", "10") == Decimal("125.00")


def test_decrease_without_threshold_scores_the_cap_for_an_actual_of_zero_or_less() -> None:
    assert percent(DECREASE, "0", "10") == Decimal("150.00")
    assert percent(DECREASE, "-1", "10", cap="120") == Decimal("120.00")


def test_increase_with_threshold_equal_to_target_scores_the_cap_above_it() -> None:
    assert percent(INCREASE, "101", "100", threshold="100") == Decimal("150.00")
    assert percent(INCREASE, "100", "100", threshold="100") == Decimal("0.00")


def test_increase_with_stretch_equal_to_target_scores_the_cap_above_it() -> None:
    assert percent(INCREASE, "101", "100", stretch="100") == Decimal("150.00")


def test_increase_with_target_zero_and_no_threshold_scores_the_cap_above_zero() -> None:
    assert percent(INCREASE, "1", "0") == Decimal("150.00")
    assert percent(INCREASE, "0", "0") == Decimal("0.00")


def test_decrease_with_threshold_equal_to_target_scores_the_cap_below_it() -> None:
    assert percent(DECREASE, "9", "10", threshold="10") == Decimal("150.00")
    assert percent(DECREASE, "10", "10", threshold="10") == Decimal("0.00")


def test_decrease_with_stretch_equal_to_target_scores_the_cap_below_it() -> None:
    assert percent(DECREASE, "9", "10", stretch="10") == Decimal("150.00")


@pytest.mark.parametrize("direction", [INCREASE, DECREASE])
def test_achievement_is_kept_unrounded_to_fifty_digits(direction: Direction) -> None:
    spec = TargetSpec(Decimal(90) if direction is INCREASE else Decimal(87))
    actual = Decimal(87) if direction is INCREASE else Decimal(90)

    result = achievement(actual, spec, direction, Decimal(150))

    assert result == Decimal("96.666666666666666666666666666666666666666666666667")


def test_achievement_is_exact_whatever_the_callers_decimal_context() -> None:
    with localcontext(Context(prec=3)):
        result = achievement(Decimal(87), TargetSpec(Decimal(90)), INCREASE, Decimal(150))

    assert reported(result) == Decimal("96.67")
