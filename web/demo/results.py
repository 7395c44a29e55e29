"""A month's results in the demo: one measurement per KPI, near its target, as a manager
reports them after the month ends."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from ledger.app.measuring import Reading
from ledger.application import LedgerApp
from ledger.commands import Context
from ledger.domain.measurements import Measurement
from ledger.values import Aggregation, Direction
from web.demo.examples import ExampleKpi
from web.demo.organisation import Person, slug

WHOLE_UNITS = frozenset({"count", "days"})
SOURCE = "monthly report"


def manager_of(person: Person) -> Context:
    return Context(actor=f"manager:{person.manager_id}")


def observed(rng: random.Random, example: ExampleKpi, form: float) -> Decimal:
    """A month's value: near the month's share of the target, better for a better ``form``."""
    target = example.target
    if example.aggregation is Aggregation.SUM:
        target = target / 3
    if target == 0:
        return Decimal(rng.choice([0, 0, 0, 1, 2]))
    increase = example.direction is Direction.INCREASE
    low, high = (0.8, 1.15) if increase else (0.85, 1.3)
    factor = rng.uniform(low, high) * (form if increase else 1 / form)
    value = Decimal(str(round(float(target) * factor, 2)))
    if example.unit == "%":
        value = min(value, Decimal(100))
    return value.quantize(Decimal(1)) if example.unit in WHOLE_UNITS else value


def report_month(
    app: LedgerApp, rng: random.Random, person: Person, cycle_id: str, month_end: date
) -> int:
    """Records the person's results of the month ending ``month_end``; how many."""
    readings = [
        Reading(slug(example.kpi), observed(rng, example, person.form), month_end, SOURCE)
        for example in person.kpis
    ]
    app.record_report(manager_of(person), person.employee_id, cycle_id, readings)
    return len(readings)


def measurement_of(
    app: LedgerApp, employee_id: str, cycle_id: str, kpi_id: str, effective_date: date
) -> Measurement:
    """The first measurement of a KPI on a date, as the log holds it now."""
    log = app.measurement_log(employee_id, cycle_id)
    found = log.measurements_of(kpi_id) if log is not None else ()
    for measurement in found:
        if measurement.effective_date == effective_date and not measurement.voided:
            return measurement
    raise LookupError(f"{employee_id} has no {kpi_id} measurement of {effective_date}")


def value_of(measurement: Measurement) -> Decimal:
    """The value of a measurement of a KPI that is not a rate."""
    if measurement.value is None:
        raise LookupError(f"measurement {measurement.measurement_id} is a rate, with no value")
    return measurement.value
