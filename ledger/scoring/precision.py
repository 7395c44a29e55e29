"""The decimal context scoring computes in, and how its figures are reported."""

from __future__ import annotations

from collections.abc import Callable
from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from functools import wraps
from typing import ParamSpec, TypeVar

PRECISION = 50
CENT = Decimal("0.01")
ZERO = Decimal(0)
HUNDRED = Decimal(100)

SCORING_CONTEXT = Context(
    prec=PRECISION,
    rounding=ROUND_HALF_EVEN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)

P = ParamSpec("P")
R = TypeVar("R")


def exact(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` in the scoring context, whatever context its caller is in."""

    @wraps(func)
    def in_scoring_context(*args: P.args, **kwargs: P.kwargs) -> R:
        with localcontext(SCORING_CONTEXT):
            return func(*args, **kwargs)

    return in_scoring_context


def reported(value: Decimal) -> Decimal:
    """``value`` as reported: two places, half up, and never a negative zero."""
    cents = value.quantize(CENT, rounding=ROUND_HALF_UP, context=SCORING_CONTEXT)
    return cents.copy_abs() if cents.is_zero() else cents


def reported_or_none(value: Decimal | None) -> Decimal | None:
    return None if value is None else reported(value)
