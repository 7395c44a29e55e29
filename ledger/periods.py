"""Review cycles are divided into quarters Q1..Q4 from their start date."""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ledger.errors import InvalidInput
from ledger.ids import KEY_PATTERN, KEY_RULE

QUARTERS = (1, 2, 3, 4)
LAST_CYCLE_START = date(date.max.year, 1, 1)
"""The latest start of a cycle whose twelve months end by ``date.max``."""
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


@lru_cache(maxsize=1 << 12)
def quarter_id(cycle_id: str, quarter: int) -> str:
    """``FY2026``, 3 -> ``FY2026-Q3`` (kept: the audit trail names one per measurement)."""
    return Period(cycle_id, quarter).id


def parse_period(period_id: str, cycle_id: str | None = None) -> Period:
    """``FY2026-Q3`` -> quarter 3 of FY2026; ``FY2026`` -> the whole cycle.

    Raises InvalidInput when the cycle part is not a key, or not ``cycle_id`` when given.
    """
    match = _PERIOD.match(period_id)
    period = Period(match["cycle"], int(match["quarter"])) if match else Period(period_id)
    if not KEY_PATTERN.fullmatch(period.cycle_id):
        message = f"must be <cycle_id> or <cycle_id>-Q1 .. -Q4, the cycle_id {KEY_RULE}"
        raise InvalidInput(f"period {message}", {"period": message})
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


def last_day(first: date, months: int) -> date:
    """The last day of ``months`` months that begin with ``first``'s month.

    Reckoned without the first day after them, which may lie beyond ``date.max``.
    """
    month = add_months(first.replace(day=1), months - 1)
    return month.replace(day=monthrange(month.year, month.month)[1])


def cycle_end(start: date) -> date:
    """The last day of a twelve-month cycle starting on ``start``."""
    return last_day(start, 12)


def quarter_bounds(start: date, quarter: int) -> tuple[date, date]:
    """First and last day of quarter ``quarter`` of a cycle starting on ``start``."""
    first = add_months(start, 3 * (quarter - 1))
    return first, last_day(first, 3)


def quarter_of(start: date, day: date) -> int:
    """The quarter of the cycle starting on ``start`` that contains ``day``."""
    months = (day.year - start.year) * 12 + day.month - start.month
    return months // 3 + 1
