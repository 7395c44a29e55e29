"""Helpers shared by the integration tests: random ids, and an employee with an active plan."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from ledger.application import LedgerApp
from ledger.commands import Context, Written
from ledger.domain import KpiDefinition, KraDefinition, MeasurementLog, Profile
from ledger.store.database import DatabaseAddress
from ledger.values import Aggregation, Direction, TargetSpec

LEDGER = str(Path(sys.executable).with_name("ledger"))

HR = Context(actor="hr:priya")


def new_id(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(4)}"


RETENTION = KpiDefinition(
    name="retain existing clients",
    unit="%",
    direction=Direction.INCREASE,
    aggregation=Aggregation.LAST,
    weight=Decimal(100),
    spec=TargetSpec(Decimal(90)),
)
CONVERSION = KpiDefinition(
    name="conversion rate",
    unit="%",
    direction=Direction.INCREASE,
    aggregation=Aggregation.RATIO,
    weight=Decimal(100),
    spec=TargetSpec(Decimal(5)),
    scale=Decimal(100),
)
"""A rate: each measurement a numerator and a denominator, the quarter their sums' ratio."""


@dataclass(frozen=True)
class Seat:
    """One employee with an active one-KPI plan in a fresh cycle."""

    employee_id: str
    cycle_id: str

    @property
    def q1(self) -> str:
        return f"{self.cycle_id}-Q1"


def seat_with_active_plan(app: LedgerApp, kpi: KpiDefinition = RETENTION) -> Seat:
    seat = Seat(new_id("E"), new_id("FY"))
    app.register_employee(HR, seat.employee_id, Profile("Ana Rao", "Sales", "Sales Executive"))
    app.open_cycle(HR, seat.cycle_id, name="FY 2026-27", start_date=date(2026, 4, 1))
    app.draft_plan(HR, seat.employee_id, seat.cycle_id)
    app.define_kra(
        HR,
        seat.employee_id,
        seat.cycle_id,
        "client-retention",
        KraDefinition("Client Retention", Decimal(100)),
    )
    app.define_kpi(HR, seat.employee_id, seat.cycle_id, "retention", "client-retention", kpi)
    app.activate_plan(HR, seat.employee_id, seat.cycle_id)
    return seat


def recorded(
    app: LedgerApp, seat: Seat, value: str | int | Decimal, day: date = date(2026, 6, 30)
) -> Written:
    """A measurement of the seat's KPI, recorded by HR; the command's answer."""
    return app.record_measurement(
        HR, seat.employee_id, seat.cycle_id, "retention", value=Decimal(value), effective_date=day
    )


def measure(app: LedgerApp, seat: Seat, value: str, day: date = date(2026, 6, 30)) -> str:
    """The id of a new measurement of the seat's KPI."""
    return recorded(app, seat, value, day).ids["measurement_id"]


def run_ledger(
    address: DatabaseAddress, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The ``ledger`` command in a process of its own, on the database at ``address``."""
    env = {**os.environ, **(env or {}), "LEDGER_DATABASE_URL": address.url()}
    return subprocess.run(
        [LEDGER, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def saved_log(app: LedgerApp, seat: Seat, count: int, day: date = date(2026, 6, 30)) -> None:
    """A measurement log of ``count`` measurements of the seat's KPI, saved at once, as a
    bulk load would: no command, so no snapshot and nothing cached."""
    plan, cycle = app.plan(seat.employee_id, seat.cycle_id), app.cycle(seat.cycle_id)
    log = MeasurementLog.start(seat.employee_id, seat.cycle_id, actor=HR.actor)
    for value in range(count):
        log.record(
            plan,
            cycle,
            kpi_id="retention",
            value=Decimal(value),
            effective_date=day,
            actor=HR.actor,
        )
    app.save(log)
