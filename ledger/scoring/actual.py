"""The actual of a KPI over a span of days: its counted measurements, combined."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import assert_never

from ledger.scoring.averages import mean
from ledger.scoring.inputs import MeasurementFact
from ledger.scoring.precision import exact
from ledger.values import Aggregation


def counted(
    facts: Iterable[MeasurementFact], first: date, last: date
) -> tuple[MeasurementFact, ...]:
    """The measurements that are not voided and fall between ``first`` and ``last``."""
    return tuple(fact for fact in facts if not fact.voided and first <= fact.effective_date <= last)


@exact
def combined(facts: Sequence[MeasurementFact], aggregation: Aggregation) -> Decimal | None:
    """The measurements combined by ``aggregation``; None when there are none."""
    if not facts:
        return None
    values = [fact.value for fact in facts]
    match aggregation:
        case Aggregation.SUM:
            return sum(values, Decimal(0))
        case Aggregation.MEAN:
            return mean(values)
        case Aggregation.MIN:
            return min(values)
        case Aggregation.MAX:
            return max(values)
        case Aggregation.LAST:
            return max(facts, key=_recency).value
        case _:
            assert_never(aggregation)


def _recency(fact: MeasurementFact) -> tuple[date, int]:
    """Later effective date first; among equal dates, the later recorded."""
    return fact.effective_date, fact.sequence
