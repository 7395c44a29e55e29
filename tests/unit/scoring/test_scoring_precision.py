from __future__ import annotations

from decimal import Decimal

from ledger.scoring.precision import reported


def test_reported_figures_have_two_places_rounded_half_up() -> None:
    assert str(reported(Decimal("0.125"))) == "0.13"
    assert str(reported(Decimal("-0.125"))) == "-0.13"
    assert str(reported(Decimal(7))) == "7.00"


def test_a_reported_figure_is_never_a_negative_zero() -> None:
    assert str(reported(Decimal("-0.004"))) == "0.00"
