"""A generated ledger for the benchmarks: employees with active plans and a year of
measurements arriving month by month, with corrections and target revisions among them."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from ledger.application import LedgerApp
from ledger.commands import Context
from ledger.domain import KpiDefinition, KraDefinition, MeasurementLog, Plan, Profile, Weights
from ledger.periods import add_months
from ledger.values import Aggregation, Direction, TargetSpec

HR = Context(actor="hr:bench")
CYCLE_ID = "FY2026"
START = date(2026, 4, 1)
KRAS = 4
KPIS_PER_KRA = 2
EVENTS_PER_EMPLOYEE_MONTH = 80
Progress = Callable[[int, int], None]


def plan_for(employee_id: str) -> Plan:
    plan = Plan.draft(employee_id, CYCLE_ID, actor=HR.actor)
    kra_weights = {f"kra-{k}": Decimal(25) for k in range(KRAS)}
    kpi_weights = {f"kpi-{k}-{n}": Decimal(50) for k in range(KRAS) for n in range(KPIS_PER_KRA)}
    for k in range(KRAS):
        kpis = {
            f"kpi-{k}-{n}": KpiDefinition(
                f"KPI {k}.{n}",
                "count",
                Direction.INCREASE if n == 0 else Direction.DECREASE,
                Aggregation.SUM if n == 0 else Aggregation.MEAN,
                Decimal(50),
                TargetSpec(Decimal(100) if n == 0 else Decimal(20)),
            )
            for n in range(KPIS_PER_KRA)
        }
        plan.define_kra(
            f"kra-{k}",
            KraDefinition(f"KRA {k}", Decimal(25)),
            actor=HR.actor,
            kpis=kpis,
            weights=Weights(
                {key: kra_weights[key] for key in list(kra_weights)[: k + 1]},
                {key: kpi_weights[key] for key in kpi_weights if int(key.split("-")[1]) <= k},
            ),
        )
    plan.activate(actor=HR.actor)
    return plan


def generate_ledger(app: LedgerApp, events: int, progress: Progress | None = None) -> int:
    """Write at least ``events`` events; returns the head position."""
    rng = random.Random(7)
    employees = max(1, events // (12 * EVENTS_PER_EMPLOYEE_MONTH))
    app.open_cycle(HR, CYCLE_ID, name="FY 2026-27", start_date=START)
    cycle = app.cycle(CYCLE_ID)
    plans, logs = {}, {}
    for number in range(employees):
        employee_id = f"G{number:06d}"
        app.register_employee(
            HR, employee_id, Profile(f"Person {number}", f"D{number % 7}", "Staff")
        )
        plans[employee_id] = plan_for(employee_id)
        logs[employee_id] = MeasurementLog.start(employee_id, CYCLE_ID, actor=HR.actor)
        app.save(plans[employee_id], logs[employee_id])
    written = 0
    for month in range(12):
        first = add_months(START, month)
        for employee_id, log in logs.items():
            plan = plans[employee_id]
            for _ in range(EVENTS_PER_EMPLOYEE_MONTH):
                kpi = plan.kpis[rng.randrange(len(plan.kpis))]
                day = first + timedelta(days=rng.randrange(28))
                value = Decimal(rng.randrange(5, 40))
                if log.measurements and rng.random() < 0.02:
                    target = log.measurements[rng.randrange(len(log.measurements))]
                    if not target.voided and target.value is not None:
                        log.correct(
                            target.measurement_id,
                            target.value + 1,
                            reason="late data",
                            actor=HR.actor,
                        )
                        continue
                log.record(
                    plan, cycle, kpi_id=kpi.kpi_id, value=value, effective_date=day, actor=HR.actor
                )
            if month == 6 and int(employee_id[1:]) % 10 == 0:
                plan.revise_target(
                    "kpi-0-0",
                    TargetSpec(Decimal(120)),
                    effective_from=f"{CYCLE_ID}-Q3",
                    reason="market grew",
                    approved_by="hr:bench",
                    actor=HR.actor,
                )
            app.save(plan, log)
            written += EVENTS_PER_EMPLOYEE_MONTH
            if progress is not None:
                progress(written, employees * 12 * EVENTS_PER_EMPLOYEE_MONTH)
    return app.head_position()
