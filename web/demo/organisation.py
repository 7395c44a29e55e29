"""Loads a demo organisation: people in every department, one cycle, active plans, a year of
measurements, and the revisions, adjustments, corrections and reviews an auditor would ask
about, each with its reason."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ledger.application import LedgerApp
from ledger.commands import Context
from ledger.domain import KpiDefinition, KraDefinition, Profile
from ledger.periods import add_months
from ledger.values import Aggregation, Direction, TargetSpec
from web.demo.examples import ExampleKpi, by_department, read_examples

HR = Context(actor="hr:priya")
CYCLE_ID = "FY2026"
CYCLE_START = date(2026, 4, 1)
FIRST_NAMES = ["Asha", "Vikram", "Meera", "Rohan", "Kavya", "Arjun", "Nisha", "Dev", "Isha"]
LAST_NAMES = ["Iyer", "Sharma", "Nair", "Gupta", "Reddy", "Menon", "Bose", "Kapoor", "Das"]


@dataclass
class DemoSummary:
    cycle_id: str = CYCLE_ID
    managers: dict[str, str] = field(default_factory=dict)
    employees: dict[str, str] = field(default_factory=dict)
    measurements: int = 0
    head: int = 0


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:64]


def load_demo(app: LedgerApp, *, seed: int = 2026, months: int = 12) -> DemoSummary:
    """Build the demo organisation; takes a few seconds and writes a few thousand events."""
    rng = random.Random(seed)
    summary = DemoSummary()
    app.open_cycle(HR, CYCLE_ID, name="Financial year 2026-27", start_date=CYCLE_START)
    people = _register_people(app, rng, summary)
    for employee_id, kpis in people.items():
        _activate_plan(app, employee_id, kpis)
    for month in range(months):
        for employee_id, kpis in people.items():
            summary.measurements += _measure_month(app, rng, employee_id, kpis, month)
        _events_of_the_month(app, people, month)
    summary.head = app.head_position()
    return summary


def _register_people(
    app: LedgerApp, rng: random.Random, summary: DemoSummary
) -> dict[str, list[ExampleKpi]]:
    people: dict[str, list[ExampleKpi]] = {}
    names = (f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES)
    shuffled = list(names)
    rng.shuffle(shuffled)
    for index, (department, kpis) in enumerate(sorted(by_department(read_examples()).items())):
        manager_id = f"M{100 + index}"
        role = kpis[0].role
        app.register_employee(
            HR, manager_id, Profile(shuffled.pop(), department, f"Head of {department}")
        )
        summary.managers[department] = manager_id
        for number in range(2):
            employee_id = f"E{1000 + 10 * index + number}"
            profile = Profile(shuffled.pop(), department, role, manager_id)
            app.register_employee(HR, employee_id, profile)
            summary.employees[employee_id] = department
            people[employee_id] = kpis
    return people


def _activate_plan(app: LedgerApp, employee_id: str, kpis: list[ExampleKpi]) -> None:
    app.draft_plan(HR, employee_id, CYCLE_ID)
    for example, weight in zip(kpis, even_weights(len(kpis)), strict=True):
        kra_id = slug(example.kra)
        app.define_kra(
            HR,
            employee_id,
            CYCLE_ID,
            kra_id,
            KraDefinition(example.kra, weight, description=example.note),
        )
        definition = KpiDefinition(
            example.kpi,
            example.unit,
            example.direction,
            example.aggregation,
            Decimal(100),
            example.spec,
        )
        app.define_kpi(HR, employee_id, CYCLE_ID, slug(example.kpi), kra_id, definition)
    app.activate_plan(HR, employee_id, CYCLE_ID)


def even_weights(count: int) -> list[Decimal]:
    """Weights of two places that sum to exactly 100; the last takes the remainder."""
    share = (Decimal(100) / count).quantize(Decimal("0.01"))
    return [share] * (count - 1) + [Decimal(100) - share * (count - 1)]


def _observed(rng: random.Random, example: ExampleKpi) -> Decimal:
    target = example.target
    if example.aggregation is Aggregation.SUM:
        target = target / 3
    if target == 0:
        return Decimal(rng.choice([0, 0, 0, 1, 2]))
    low, high = (0.8, 1.15) if example.direction is Direction.INCREASE else (0.85, 1.3)
    value = Decimal(str(round(float(target) * rng.uniform(low, high), 2)))
    return value if example.unit not in {"count", "days"} else value.quantize(Decimal(1))


def _measure_month(
    app: LedgerApp, rng: random.Random, employee_id: str, kpis: list[ExampleKpi], month: int
) -> int:
    manager = Context(actor=f"manager:{app.employee(employee_id).profile.manager_id}")
    day = add_months(CYCLE_START, month + 1).replace(day=1)
    effective = date.fromordinal(day.toordinal() - 1)
    for example in kpis:
        app.record_measurement(
            manager,
            employee_id,
            CYCLE_ID,
            slug(example.kpi),
            value=_observed(rng, example),
            effective_date=effective,
            source="monthly report",
        )
    return len(kpis)


def _events_of_the_month(app: LedgerApp, people: dict[str, list[ExampleKpi]], month: int) -> None:
    actions: dict[int, Callable[[], None]] = {
        2: lambda: _close_quarter(app, people, 1),
        4: lambda: _revise_sales_target(app),
        5: lambda: _close_quarter(app, people, 2),
        6: lambda: _adjust_engineering_target(app),
        7: lambda: _correct_late_data(app),
        8: lambda: _close_quarter(app, people, 3),
    }
    action = actions.get(month)
    if action is not None:
        action()


def _close_quarter(app: LedgerApp, people: dict[str, list[ExampleKpi]], quarter: int) -> None:
    period = f"{CYCLE_ID}-Q{quarter}"
    for employee_id in people:
        app.finalize_review(HR, employee_id, period, comments=f"quarterly review {period}")
    first = next(iter(people))
    card = app.scorecard(first, period)
    if card.rating is not None and card.rating < 5:
        app.calibrate_review(
            HR,
            first,
            period,
            rating=card.rating + 1,
            reason="calibration panel: key client escalation handled outside the KPIs",
        )


def _revise_sales_target(app: LedgerApp) -> None:
    app.revise_target(
        Context(actor="manager:M103"),
        "E1030",
        CYCLE_ID,
        "quarterly-revenue",
        TargetSpec(Decimal(12_000_000)),
        effective_from=f"{CYCLE_ID}-Q3",
        reason="territory expanded to two new cities",
        approved_by="hr:priya",
    )


def _adjust_engineering_target(app: LedgerApp) -> None:
    app.adjust_target(
        Context(actor="manager:M100"),
        "E1000",
        CYCLE_ID,
        "production-bug-rate",
        TargetSpec(Decimal(2)),
        period=f"{CYCLE_ID}-Q3",
        reason="platform migration quarter: higher bug rate agreed in advance",
        approved_by="hr:priya",
    )


def _correct_late_data(app: LedgerApp) -> None:
    log = app.measurement_log("E1040", CYCLE_ID)
    if log is None:
        return
    first = log.measurements[0]
    assert first.value is not None, "the demo's first measurement is a value"
    app.correct_measurement(
        Context(actor="manager:M104"),
        first.measurement_id,
        value=first.value + 1,
        reason="late tickets from the regional queue were missing from the first report",
    )
    app.void_measurement(
        Context(actor="manager:M104"),
        log.measurements[1].measurement_id,
        reason="duplicate of the April report entered twice",
    )
