"""What one measurement observes: a value, or a rate's numerator and denominator."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ledger.domain.checks import check_number
from ledger.errors import InvalidInput

RATE_FIELDS = ("numerator", "denominator")


@dataclass(frozen=True)
class Observation:
    """A value, or (for a KPI with aggregation ratio) a numerator and a denominator."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    @property
    def is_rate(self) -> bool:
        return self.numerator is not None


def check_observation(
    is_rate: bool,
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
) -> Observation:
    """A rate takes a numerator and a denominator (not below 0) and no value; anything else
    a value and neither of them. Raises InvalidInput naming the fields."""
    if not is_rate:
        given = [
            name
            for name, part in zip(RATE_FIELDS, (numerator, denominator), strict=True)
            if part is not None
        ]
        if given:
            message = "only a measurement of a KPI with aggregation ratio has one"
            raise InvalidInput(f"{' and '.join(given)}: {message}", dict.fromkeys(given, message))
        if value is None:
            raise InvalidInput("value is required", {"value": "required"})
        return Observation(value=check_number(value, "value"))
    if value is not None:
        message = "a rate is measured by numerator and denominator, not a value"
        raise InvalidInput(f"value: {message}", {"value": message})
    missing = [
        name
        for name, part in zip(RATE_FIELDS, (numerator, denominator), strict=True)
        if part is None
    ]
    if missing:
        message = "required for a KPI with aggregation ratio"
        raise InvalidInput(f"{' and '.join(missing)} {message}", dict.fromkeys(missing, message))
    assert numerator is not None
    assert denominator is not None
    check_number(numerator, "numerator")
    if check_number(denominator, "denominator") < 0:
        message = "must not be below 0"
        raise InvalidInput(f"denominator {message}", {"denominator": message})
    return Observation(numerator=numerator, denominator=denominator)
