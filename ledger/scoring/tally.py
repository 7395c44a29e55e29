"""What a KPI's counted measurements in one quarter come to, whatever its aggregation.

A tally holds the count, the exact total, the least and the greatest value and the latest
measurement of a set of measurements, and the exact totals of their numerators and
denominators (a rate's measurement has those instead of a value, and counts as a value of
0 for the rest; a value's counts 0 in both). Tallies merge: the tally of two disjoint sets is
the merge of theirs, in any order, because values have at most 21 significant digits and
the scoring context keeps 50, so every total is exact. The whole cycle is the merge of
its quarters, and a set that grows by one measurement merges in that one's tally.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache, reduce
from typing import Protocol, assert_never

from ledger.periods import QUARTERS, quarter_bounds
from ledger.scoring.precision import ZERO, exact
from ledger.values import Aggregation

ONE = Decimal(1)

Recency = tuple[date, int]
"""Later effective date first; among equal dates, the later recorded."""

TallyKey = tuple[str, int]
"""A KPI and a quarter of the cycle."""

Tallies = Mapping[TallyKey, "Tally"]
"""The tallies of a plan's measurements, by KPI and quarter; a KPI-quarter without
counted measurements has none."""


class Counted(Protocol):
    """A measurement at its latest value, as a tally counts it: a ``MeasurementFact``, or
    any record with the same fields."""

    @property
    def measurement_id(self) -> str: ...
    @property
    def kpi_id(self) -> str: ...
    @property
    def value(self) -> Decimal | None: ...
    @property
    def effective_date(self) -> date: ...
    @property
    def sequence(self) -> int: ...
    @property
    def voided(self) -> bool: ...
    @property
    def numerator(self) -> Decimal | None: ...
    @property
    def denominator(self) -> Decimal | None: ...


@dataclass(frozen=True)
class Tally:
    """A non-empty set of counted measurements, as every aggregation sees it."""

    count: int
    total: Decimal
    least: Decimal
    greatest: Decimal
    latest: Decimal
    latest_at: Recency
    numerator: Decimal = ZERO
    denominator: Decimal = ZERO

    @classmethod
    def of(cls, fact: Counted) -> Tally:
        value = _value(fact)
        recency = (fact.effective_date, fact.sequence)
        return cls(1, value, value, value, value, recency, *_parts(fact))

    @exact
    def merged(self, other: Tally) -> Tally:
        later = other if other.latest_at > self.latest_at else self
        return Tally(
            self.count + other.count,
            self.total + other.total,
            min(self.least, other.least),
            max(self.greatest, other.greatest),
            later.latest,
            later.latest_at,
            self.numerator + other.numerator,
            self.denominator + other.denominator,
        )

    @exact
    def actual(self, aggregation: Aggregation, scale: Decimal | None = None) -> Decimal | None:
        """The measurements combined by ``aggregation``; for a rate ``sum(numerator) *
        scale / sum(denominator)``, None when the denominators sum to 0."""
        match aggregation:
            case Aggregation.RATIO:
                if self.denominator == 0:
                    return None
                return self.numerator * (ONE if scale is None else scale) / self.denominator
            case Aggregation.SUM:
                return self.total
            case Aggregation.MEAN:
                return self.total / self.count
            case Aggregation.MIN:
                return self.least
            case Aggregation.MAX:
                return self.greatest
            case Aggregation.LAST:
                return self.latest
            case _:
                assert_never(aggregation)


@exact
def tally_of(facts: Iterable[Counted]) -> Tally | None:
    """The tally of the measurements that are not voided; None when there are none."""
    counted = [fact for fact in facts if not fact.voided]
    if not counted:
        return None
    values = [_value(fact) for fact in counted]
    latest = max(counted, key=_recency)
    return Tally(
        len(values),
        sum(values, ZERO),
        min(values),
        max(values),
        _value(latest),
        _recency(latest),
        sum((fact.numerator for fact in counted if fact.numerator is not None), ZERO),
        sum((fact.denominator for fact in counted if fact.denominator is not None), ZERO),
    )


@exact
def merged_all(tallies: Iterable[Tally | None]) -> Tally | None:
    """The merge of the tallies given; None when there are none."""
    present = [tally for tally in tallies if tally is not None]
    if not present:
        return None
    return reduce(Tally.merged, present)


def quarter_within(start: date, day: date) -> int | None:
    """The quarter of the cycle starting on ``start`` that holds ``day``; None outside."""
    for quarter, (first, last) in _bounds(start):
        if first <= day <= last:
            return quarter
    return None


@lru_cache(maxsize=64)
def _bounds(start: date) -> tuple[tuple[int, tuple[date, date]], ...]:
    return tuple((quarter, quarter_bounds(start, quarter)) for quarter in QUARTERS)


def tallies_of(facts: Iterable[Counted], start: date) -> dict[TallyKey, Tally]:
    """The tallies of ``facts`` by KPI and quarter of the cycle starting on ``start``;
    voided measurements and those outside the cycle are not counted."""
    grouped: dict[TallyKey, list[Counted]] = {}
    for fact in facts:
        if fact.voided:
            continue
        quarter = quarter_within(start, fact.effective_date)
        if quarter is not None:
            grouped.setdefault((fact.kpi_id, quarter), []).append(fact)
    tallies = {key: tally_of(group) for key, group in grouped.items()}
    return {key: tally for key, tally in tallies.items() if tally is not None}


def _recency(fact: Counted) -> Recency:
    return fact.effective_date, fact.sequence


def _value(fact: Counted) -> Decimal:
    return ZERO if fact.value is None else fact.value


def _parts(fact: Counted) -> tuple[Decimal, Decimal]:
    numerator, denominator = fact.numerator, fact.denominator
    return (
        ZERO if numerator is None else numerator,
        ZERO if denominator is None else denominator,
    )
