"""Measurements: recorded against an active plan, corrected and voided, never erased."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ledger.app.base import command
from ledger.app.plans import PlanCommands
from ledger.commands import Context, Written
from ledger.domain.measurements import DEFAULT_SOURCE, MeasurementLog
from ledger.errors import NotFound
from ledger.ids import parse_measurement_id


class MeasurementCommands(PlanCommands):
    @command
    def record_measurement(
        self,
        ctx: Context,
        employee_id: str,
        cycle_id: str,
        kpi_id: str,
        *,
        value: Decimal,
        effective_date: date,
        source: str = DEFAULT_SOURCE,
        note: str = "",
    ) -> Written:
        plan = self.plan(employee_id, cycle_id)
        cycle = self.cycle(cycle_id)
        log = self.measurement_log(employee_id, cycle_id)
        self.check_version(ctx, log)
        if log is None:
            log = MeasurementLog.start(employee_id, cycle_id, actor=ctx.actor)
        measurement_id = log.record(
            plan,
            cycle,
            kpi_id=kpi_id,
            value=value,
            effective_date=effective_date,
            source=source,
            note=note,
            actor=ctx.actor,
        )
        ids = {"measurement_id": measurement_id}
        return self.commit(ctx, log, main=log, ids=ids, created=True)

    @command
    def correct_measurement(
        self, ctx: Context, measurement_id: str, *, value: Decimal, reason: str | None
    ) -> Written:
        log = self.log_of(measurement_id)
        self.check_version(ctx, log)
        log.correct(measurement_id, value, reason=reason, actor=ctx.actor)
        return self.commit(ctx, log, main=log, ids={"measurement_id": measurement_id})

    @command
    def void_measurement(self, ctx: Context, measurement_id: str, *, reason: str | None) -> Written:
        log = self.log_of(measurement_id)
        self.check_version(ctx, log)
        log.void(measurement_id, reason=reason, actor=ctx.actor)
        return self.commit(ctx, log, main=log, ids={"measurement_id": measurement_id})

    def measurement_log(
        self, employee_id: str, cycle_id: str, version: int | None = None
    ) -> MeasurementLog | None:
        """The log, or None while nothing has been measured."""
        log_id = MeasurementLog.create_id(employee_id, cycle_id)
        if version is None and log_id not in self.repository:
            return None
        label = f"measurements of employee {employee_id} in cycle {cycle_id}"
        return self.load(MeasurementLog, log_id, label, version)

    def log_of(self, measurement_id: str) -> MeasurementLog:
        employee_id, cycle_id = parse_measurement_id(measurement_id)
        log = self.measurement_log(employee_id, cycle_id)
        if log is None:
            raise NotFound(f"measurement {measurement_id!r} not found")
        log.measurement(measurement_id)
        return log
