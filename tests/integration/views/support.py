"""Helpers for the views' tests: seats with plans, running the views, reading tables whole."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import psycopg
from psycopg import sql

from ledger.application import LedgerApp
from ledger.commands import Context
from ledger.domain import KpiDefinition, KraDefinition, Profile
from projections import LIVE, RunnerOptions, View, rebuild_view, wait_for
from projections.catalog import all_views
from tests.integration.support import RETENTION

HR = Context(actor="hr:priya")
MANAGER = Context(actor="manager:ravi")
CYCLE_START = date(2026, 4, 1)
SMALL_PAGES = RunnerOptions(
    page_size=13, poll_interval=0.2, leadership_poll=0.05, reconnect_delay=0.1
)

Snapshot = dict[str, list[tuple[object, ...]]]


@dataclass(frozen=True)
class Seat:
    """One employee with an active plan of one KRA and one KPI, ``retention``."""

    employee_id: str
    cycle_id: str

    def quarter(self, quarter: int) -> str:
        return f"{self.cycle_id}-Q{quarter}"


def open_cycle(app: LedgerApp, cycle_id: str = "FY2026") -> str:
    app.open_cycle(HR, cycle_id, name=cycle_id, start_date=CYCLE_START)
    return cycle_id


def seat(
    app: LedgerApp,
    employee_id: str,
    cycle_id: str = "FY2026",
    *,
    department: str = "Sales",
    manager_id: str | None = None,
    kpi: KpiDefinition = RETENTION,
) -> Seat:
    profile = Profile(f"Person {employee_id}", department, "Account Manager", manager_id)
    app.register_employee(HR, employee_id, profile)
    return plan_for(app, employee_id, cycle_id, kpi)


def plan_for(
    app: LedgerApp, employee_id: str, cycle_id: str, kpi: KpiDefinition = RETENTION
) -> Seat:
    app.draft_plan(HR, employee_id, cycle_id)
    retention = KraDefinition("Client Retention", Decimal(100))
    app.define_kra(HR, employee_id, cycle_id, "client-retention", retention)
    app.define_kpi(HR, employee_id, cycle_id, "retention", "client-retention", kpi)
    app.activate_plan(HR, employee_id, cycle_id)
    return Seat(employee_id, cycle_id)


def measure(app: LedgerApp, seat: Seat, value: str, day: date = date(2026, 6, 30)) -> str:
    written = app.record_measurement(
        HR, seat.employee_id, seat.cycle_id, "retention", value=Decimal(value), effective_date=day
    )
    return written.ids["measurement_id"]


def project(app: LedgerApp, views: Sequence[View] | None = None, page_size: int = 500) -> None:
    """Build every view from zero up to the ledger's head."""
    for view in all_views(app) if views is None else views:
        rebuild_view(app, view, page_size=page_size)


def caught_up(conninfo: str, views: Sequence[View], position: int) -> bool:
    return wait_for(conninfo, [view.name for view in views], position, timeout=60)


def snapshot(conninfo: str, views: Sequence[View]) -> Snapshot:
    """Every row of every table of the views, in a stable order."""
    tables: Snapshot = {}
    with psycopg.connect(conninfo) as conn:
        for view in views:
            for table in view.tables:
                statement = sql.SQL("SELECT * FROM {} ORDER BY 1, 2").format(LIVE[table])
                tables[table] = conn.execute(statement).fetchall()
    return tables


def ledger_positions(conninfo: str) -> list[int]:
    with psycopg.connect(conninfo) as conn:
        rows = conn.execute("SELECT notification_id FROM ledger_events ORDER BY 1").fetchall()
    return [int(str(position)) for (position,) in rows]
