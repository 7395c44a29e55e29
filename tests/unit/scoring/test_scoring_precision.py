from __future__ import annotations

from decimal import Decimal, getcontext, localcontext

from ledger.scoring.precision import PRECISION, exact, reported


def test_reported_figures_have_two_places_rounded_half_up() -> None:
    assert str(reported(Decimal("0.125"))) == "0.13"
    assert str(reported(Decimal("-0.125"))) == "-0.13"
    assert str(reported(Decimal(7))) == "7.00"


def test_a_reported_figure_is_never_a_negative_zero() -> None:
    assert str(reported(Decimal("-0.004"))) == "0.00"


@exact
def _digits_of_a_third() -> int:
    return len(str(Decimal(1) / Decimal(3))) - 2


@exact
def _digits_inside_another_exact_call() -> tuple[int, int]:
    return _digits_of_a_third(), getcontext().prec


def test_exact_computes_in_the_scoring_context_whatever_the_caller_set_and_restores_it() -> None:
    with localcontext(prec=5):
        assert _digits_of_a_third() == PRECISION
        assert _digits_inside_another_exact_call() == (PRECISION, PRECISION)
        assert getcontext().prec == 5
