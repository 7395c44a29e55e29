"""The decimal context scoring computes in, and how its figures are reported."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
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


_IN_SCORING = ContextVar("in_scoring", default=False)
"""Whether an ``exact`` call is under way: the calls it makes are in the context already."""


def exact(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` in the scoring context, whatever context its caller is in."""

    @wraps(func)
    def in_scoring_context(*args: P.args, **kwargs: P.kwargs) -> R:
        if _IN_SCORING.get():
            return func(*args, **kwargs)
        entered = _IN_SCORING.set(True)
        try:
            with localcontext(SCORING_CONTEXT):
                return func(*args, **kwargs)
        finally:
            _IN_SCORING.reset(entered)

    return in_scoring_context


def reported(value: Decimal) -> Decimal:
    """``value`` as reported: two places, half up, and never a negative zero."""
    cents = value.quantize(CENT, rounding=ROUND_HALF_UP, context=SCORING_CONTEXT)
    return cents.copy_abs() if cents.is_zero() else cents


def reported_or_none(value: Decimal | None) -> Decimal | None:
    return None if value is None else reported(value)
