"""What a KPI's counted measurements in one quarter come to, whatever its aggregation.

A tally holds the count, the exact total, the least and the greatest value and the latest
measurement of a set of measurements. Tallies merge: the tally of two disjoint sets is
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
from typing import assert_never

from ledger.periods import QUARTERS, quarter_bounds
from ledger.scoring.inputs import MeasurementFact
from ledger.scoring.precision import exact
from ledger.values import Aggregation

Recency = tuple[date, int]
"""Later effective date first; among equal dates, the later recorded."""

TallyKey = tuple[str, int]
"""A KPI and a quarter of the cycle."""

Tallies = Mapping[TallyKey, "Tally"]
"""The tallies of a plan's measurements, by KPI and quarter; a KPI-quarter without
counted measurements has none."""


@dataclass(frozen=True)
class Tally:
    """A non-empty set of counted measurements, as every aggregation sees it."""

    count: int
    total: Decimal
    least: Decimal
    greatest: Decimal
    latest: Decimal
    latest_at: Recency

    @classmethod
    def of(cls, fact: MeasurementFact) -> Tally:
        value = fact.value
        return cls(1, value, value, value, value, (fact.effective_date, fact.sequence))

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
        )

    @exact
    def actual(self, aggregation: Aggregation) -> Decimal:
        """The measurements combined by ``aggregation``."""
        match aggregation:
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


def tally_of(facts: Iterable[MeasurementFact]) -> Tally | None:
    """The tally of the measurements that are not voided; None when there are none."""
    return merged_all(Tally.of(fact) for fact in facts if not fact.voided)


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


def tallies_of(facts: Iterable[MeasurementFact], start: date) -> dict[TallyKey, Tally]:
    """The tallies of ``facts`` by KPI and quarter of the cycle starting on ``start``;
    voided measurements and those outside the cycle are not counted."""
    tallies: dict[TallyKey, Tally] = {}
    for fact in facts:
        if fact.voided:
            continue
        quarter = quarter_within(start, fact.effective_date)
        if quarter is None:
            continue
        key = (fact.kpi_id, quarter)
        one = Tally.of(fact)
        held = tallies.get(key)
        tallies[key] = one if held is None else held.merged(one)
    return tallies
