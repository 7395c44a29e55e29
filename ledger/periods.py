"""Review cycles are divided into quarters Q1..Q4 from their start date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ledger.errors import InvalidInput

QUARTERS = (1, 2, 3, 4)
_PERIOD = re.compile(r"^(?P<cycle>.+)-Q(?P<quarter>[1-4])$")


@dataclass(frozen=True, order=True)
class Period:
    """A quarter of a cycle, or the whole cycle when ``quarter`` is None."""

    cycle_id: str
    quarter: int | None = None

    @property
    def id(self) -> str:
        return self.cycle_id if self.quarter is None else f"{self.cycle_id}-Q{self.quarter}"

    @property
    def is_whole_cycle(self) -> bool:
        return self.quarter is None


def parse_period(period_id: str, cycle_id: str | None = None) -> Period:
    """``FY2026-Q3`` -> quarter 3 of FY2026; ``FY2026`` -> the whole cycle."""
    match = _PERIOD.match(period_id)
    period = Period(match["cycle"], int(match["quarter"])) if match else Period(period_id)
    if cycle_id is not None and period.cycle_id != cycle_id:
        message = f"period {period_id!r} is not a period of cycle {cycle_id!r}"
        raise InvalidInput(message, {"period": message})
    return period


def parse_quarter(label: str) -> int:
    """``Q3`` or ``FY2026-Q3`` -> 3."""
    match = re.fullmatch(r"(?:.+-)?Q([1-4])", label)
    if not match:
        message = f"{label!r} is not a quarter (Q1..Q4 or <cycle>-Q<n>)"
        raise InvalidInput(message, {"period": message})
    return int(match[1])


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later; only used with first-of-month days."""
    index = day.month - 1 + months
    return day.replace(year=day.year + index // 12, month=index % 12 + 1)


def cycle_end(start: date) -> date:
    """The last day of a twelve-month cycle starting on ``start``."""
    return add_months(start, 12) - timedelta(days=1)


def quarter_bounds(start: date, quarter: int) -> tuple[date, date]:
    """First and last day of quarter ``quarter`` of a cycle starting on ``start``."""
    first = add_months(start, 3 * (quarter - 1))
    return first, add_months(first, 3) - timedelta(days=1)


def quarter_of(start: date, day: date) -> int:
    """The quarter of the cycle starting on ``start`` that contains ``day``."""
    months = (day.year - start.year) * 12 + day.month - start.month
    return months // 3 + 1
