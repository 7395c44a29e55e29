from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ledger.scoring.actual import combined, counted
from ledger.scoring.inputs import MeasurementFact
from ledger.values import Aggregation

DAY = date(2025, 5, 15)


def fact(
    value: str, day: date = DAY, sequence: int = 1, *, voided: bool = False
) -> MeasurementFact:
    return MeasurementFact(f"m{sequence}", "k", Decimal(value), day, sequence, voided)


VALUES = (fact("4", sequence=1), fact("1", sequence=2), fact("7", sequence=3))


@pytest.mark.parametrize(
    ("aggregation", "expected"),
    [
        (Aggregation.SUM, Decimal(12)),
        (Aggregation.MEAN, Decimal(4)),
        (Aggregation.MIN, Decimal(1)),
        (Aggregation.MAX, Decimal(7)),
    ],
)
def test_measurements_are_combined_by_the_kpis_aggregation(
    aggregation: Aggregation, expected: Decimal
) -> None:
    assert combined(VALUES, aggregation) == expected


def test_mean_is_not_rounded() -> None:
    mean = combined((fact("1"), fact("1"), fact("2")), Aggregation.MEAN)

    assert mean == Decimal("1.3333333333333333333333333333333333333333333333333")


def test_last_is_the_measurement_with_the_latest_effective_date() -> None:
    facts = (fact("5", date(2025, 6, 1), 1), fact("9", date(2025, 4, 1), 2))

    assert combined(facts, Aggregation.LAST) == Decimal(5)


def test_last_among_equal_dates_is_the_later_recorded() -> None:
    facts = (fact("5", DAY, 7), fact("9", DAY, 3))

    assert combined(facts, Aggregation.LAST) == Decimal(5)


@pytest.mark.parametrize("aggregation", list(Aggregation))
def test_no_measurement_gives_no_actual(aggregation: Aggregation) -> None:
    assert combined((), aggregation) is None


def test_voided_measurements_are_left_out() -> None:
    kept = fact("1", sequence=1)

    assert counted((kept, fact("2", sequence=2, voided=True)), DAY, DAY) == (kept,)


def test_measurements_on_the_bounds_are_counted_and_outside_them_ignored() -> None:
    first, last = date(2025, 4, 1), date(2025, 6, 30)
    inside = (fact("1", first, 1), fact("2", last, 2))
    outside = (fact("3", date(2025, 3, 31), 3), fact("4", date(2025, 7, 1), 4))

    assert counted(inside + outside, first, last) == inside
