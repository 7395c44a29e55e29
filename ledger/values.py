"""Value types shared by the domain model and the scoring engine."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum

from ledger.errors import InvalidInput

MAX_INTEGER_DIGITS = 15
MAX_FRACTION_DIGITS = 6


class Direction(Enum):
    INCREASE = "increase"
    DECREASE = "decrease"


class Aggregation(Enum):
    SUM = "sum"
    MEAN = "mean"
    LAST = "last"
    MIN = "min"
    MAX = "max"
    RATIO = "ratio"
    """A rate: the sum of numerators over the sum of denominators, times the KPI's scale."""


RATIO_SCALES = (Decimal(1), Decimal(100))
"""The scales a rate may have: a fraction, or a percentage."""


@dataclass(frozen=True)
class TargetSpec:
    """A target with its optional threshold and stretch; they always travel together."""

    target: Decimal
    threshold: Decimal | None = None
    stretch: Decimal | None = None


@dataclass(frozen=True)
class TargetChange:
    """A target revision or a quarterly adjustment.

    For a revision ``quarter`` is the quarter it is effective from; for an adjustment it
    is the one quarter it overrides. ``sequence`` is the recording order: larger means
    recorded later.
    """

    quarter: int
    sequence: int
    spec: TargetSpec


@dataclass(frozen=True)
class RatingBand:
    min_score: Decimal
    rating: int
    label: str


DEFAULT_ACHIEVEMENT_CAP = Decimal(150)

DEFAULT_RATING_SCALE: tuple[RatingBand, ...] = (
    RatingBand(Decimal(0), 1, "Unsatisfactory"),
    RatingBand(Decimal(60), 2, "Needs improvement"),
    RatingBand(Decimal(80), 3, "Meets expectations"),
    RatingBand(Decimal(100), 4, "Exceeds expectations"),
    RatingBand(Decimal(120), 5, "Outstanding"),
)


def to_decimal(value: object, field: str) -> Decimal:
    """A finite decimal within what the ledger stores, or an InvalidInput naming the field."""
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal, float)):
        raise InvalidInput(f"{field} must be a number", {field: "must be a number"})
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise InvalidInput(f"{field} is not a number", {field: "not a number"}) from None
    check_decimal(number, field)
    return number


def check_decimal(number: Decimal, field: str) -> None:
    if not number.is_finite():
        raise InvalidInput(f"{field} must be finite", {field: "must be finite"})
    _, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    fraction = max(0, -exponent)
    integer = max(0, len(digits) + exponent)
    if integer > MAX_INTEGER_DIGITS or fraction > MAX_FRACTION_DIGITS:
        message = (
            f"at most {MAX_INTEGER_DIGITS} digits before the point "
            f"and {MAX_FRACTION_DIGITS} after it"
        )
        raise InvalidInput(f"{field}: {message}", {field: message})
