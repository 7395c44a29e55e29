"""The demo's calendar: its two cycles, and what happened on which day."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from ledger.periods import QUARTERS, add_months, cycle_end, last_day, quarter_bounds

REPORTED_AFTER = timedelta(days=1)
"""A month's results are reported this long after the month ends."""
REVIEWED_AFTER = timedelta(days=6)
"""A period's reviews are finalised this long after it ends."""


@dataclass(frozen=True)
class DemoCycle:
    cycle_id: str
    name: str
    start: date

    @property
    def end(self) -> date:
        return cycle_end(self.start)

    def month_ends(self) -> list[date]:
        return [last_day(add_months(self.start, month), 1) for month in range(12)]

    def month(self, number: int) -> tuple[str, date]:
        """The cycle's id and the last day of its month ``number`` (from 0)."""
        return self.cycle_id, self.month_ends()[number]

    def quarter_ends(self) -> list[tuple[str, date]]:
        """Each quarter's period id and last day."""
        return [(f"{self.cycle_id}-Q{q}", quarter_bounds(self.start, q)[1]) for q in QUARTERS]


PAST = DemoCycle("FY2025", "Financial year 2025-26", date(2025, 4, 1))
CURRENT = DemoCycle("FY2026", "Financial year 2026-27", date(2026, 4, 1))
CYCLES = (PAST, CURRENT)


@dataclass(frozen=True)
class Happening:
    """Something done on ``day``; the demo does it only when that day is not after today."""

    day: date
    act: Callable[[], None]


def in_order(happenings: list[Happening], today: date) -> list[Happening]:
    """What happened by ``today``, by day (the same day: in the order given)."""
    return sorted((h for h in happenings if h.day <= today), key=lambda h: h.day)
