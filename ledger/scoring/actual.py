"""The actual of a KPI over a span of days: its counted measurements, combined."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from ledger.scoring.inputs import MeasurementFact
from ledger.scoring.tally import tally_of
from ledger.values import Aggregation


def counted(
    facts: Iterable[MeasurementFact], first: date, last: date
) -> tuple[MeasurementFact, ...]:
    """The measurements that are not voided and fall between ``first`` and ``last``."""
    return tuple(fact for fact in facts if not fact.voided and first <= fact.effective_date <= last)


def combined(facts: Sequence[MeasurementFact], aggregation: Aggregation) -> Decimal | None:
    """The measurements combined by ``aggregation``; None when there are none."""
    tally = tally_of(facts)
    return None if tally is None else tally.actual(aggregation)
