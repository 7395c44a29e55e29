"""Loads the demo's history up to today: the completed FY2025 cycle and the current FY2026
one, month by month, with what happened in each, in the order it happened."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial

from ledger.application import LedgerApp
from web.demo.calendar import (
    CURRENT,
    CYCLES,
    PAST,
    REPORTED_AFTER,
    REVIEWED_AFTER,
    DemoCycle,
    Happening,
    in_order,
)
from web.demo.episodes import episodes
from web.demo.organisation import HR, Organisation, activate_plan, register_people
from web.demo.results import report_month
from web.demo.reviews import calibrate, finalize_all

OPENED_BEFORE = 12
"""A cycle is opened, and its plans agreed, this many days before it starts."""
CURRENT_TARGETS = {"quarterly-revenue": Decimal(11_000_000)}
"""The current cycle's targets that differ from the examples'."""


@dataclass
class DemoSummary:
    today: date
    cycle_id: str = CURRENT.cycle_id
    cycles: tuple[str, ...] = tuple(cycle.cycle_id for cycle in CYCLES)
    managers: dict[str, str] = field(default_factory=dict)
    employees: dict[str, str] = field(default_factory=dict)
    measurements: int = 0
    head: int = 0


def load_demo(app: LedgerApp, *, seed: int = 2026, today: date | None = None) -> DemoSummary:
    """Build the demo organisation and its history up to ``today`` (default: the real date):
    nothing effective after it, no review of a period that has not ended. In December 2026
    that is about 1,100 events."""
    summary = DemoSummary(today or date.today())
    rng = random.Random(seed)
    organisation = register_people(app, rng)
    summary.managers = dict(organisation.managers)
    summary.employees = {
        person.employee_id: person.kpis[0].department for person in organisation.people.values()
    }
    for happening in in_order(calendar(app, rng, organisation, summary), summary.today):
        happening.act()
    summary.head = app.head_position()
    return summary


def calendar(
    app: LedgerApp, rng: random.Random, organisation: Organisation, summary: DemoSummary
) -> list[Happening]:
    happenings: list[Happening] = []
    for cycle in CYCLES:
        happenings += opening(app, organisation, cycle)
        happenings += months(app, rng, organisation, cycle, summary)
        happenings += closings(app, organisation, cycle)
    return happenings + episodes(app, organisation)


def opening(app: LedgerApp, organisation: Organisation, cycle: DemoCycle) -> list[Happening]:
    targets = CURRENT_TARGETS if cycle is CURRENT else {}

    def open_cycle() -> None:
        app.open_cycle(HR, cycle.cycle_id, name=cycle.name, start_date=cycle.start)
        for person in organisation.people.values():
            activate_plan(app, person, cycle.cycle_id, targets)

    return [Happening(date.fromordinal(cycle.start.toordinal() - OPENED_BEFORE), open_cycle)]


def months(
    app: LedgerApp,
    rng: random.Random,
    organisation: Organisation,
    cycle: DemoCycle,
    summary: DemoSummary,
) -> list[Happening]:
    def report(month_end: date) -> None:
        for person in organisation.people.values():
            summary.measurements += report_month(app, rng, person, cycle.cycle_id, month_end)

    return [Happening(end + REPORTED_AFTER, partial(report, end)) for end in cycle.month_ends()]


def closings(app: LedgerApp, organisation: Organisation, cycle: DemoCycle) -> list[Happening]:
    """Every quarter's reviews once it ended, and the year's once the cycle did; each time
    HR's panel calibrates one of them."""
    people = list(organisation.people.values())
    periods = [*cycle.quarter_ends(), (cycle.cycle_id, cycle.end)]
    turn = 0 if cycle is PAST else len(periods)

    def close(period: str, number: int) -> None:
        kind = "annual" if period == cycle.cycle_id else "quarterly"
        finalize_all(app, people, period, f"{kind} review {period}")
        calibrate(app, people[(3 * number + 1) % len(people)].employee_id, period, number)

    return [
        Happening(end + REVIEWED_AFTER, partial(close, period, turn + number))
        for number, (period, end) in enumerate(periods)
    ]
