"""Measurements: recorded against an active plan, corrected and voided, never erased."""

from __future__ import annotations

from collections.abc import Sequence
from copy import deepcopy
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ledger.app.base import command
from ledger.app.loading import pick
from ledger.app.plans import PlanCommands, plan_label
from ledger.commands import Context, Written
from ledger.domain.cycle import ReviewCycle
from ledger.domain.measurements import DEFAULT_SOURCE, MeasurementLog
from ledger.domain.plan import Plan
from ledger.errors import NotFound
from ledger.ids import parse_measurement_id


@dataclass(frozen=True)
class Reading:
    """One value of a KPI in a report of several."""

    kpi_id: str
    value: Decimal
    effective_date: date
    source: str = DEFAULT_SOURCE
    note: str = ""


class MeasurementCommands(PlanCommands):
    @command
    def record_measurement(
        self,
        ctx: Context,
        employee_id: str,
        cycle_id: str,
        kpi_id: str,
        *,
        value: Decimal | None = None,
        effective_date: date,
        source: str = DEFAULT_SOURCE,
        note: str = "",
        numerator: Decimal | None = None,
        denominator: Decimal | None = None,
    ) -> Written:
        """A value of a KPI, or a rate's numerator and denominator."""
        plan, cycle, log = self.measuring(ctx, employee_id, cycle_id)
        measurement_id = log.record(
            plan,
            cycle,
            kpi_id=kpi_id,
            value=value,
            effective_date=effective_date,
            source=source,
            note=note,
            numerator=numerator,
            denominator=denominator,
            actor=ctx.actor,
        )
        ids = {"measurement_id": measurement_id}
        return self.commit(ctx, log, main=log, ids=ids, created=True)

    @command
    def record_report(
        self, ctx: Context, employee_id: str, cycle_id: str, readings: Sequence[Reading]
    ) -> Written:
        """Records several measurements of one plan at once: all of them, or none."""
        plan, cycle, log = self.measuring(ctx, employee_id, cycle_id)
        for reading in readings:
            log.record(
                plan,
                cycle,
                kpi_id=reading.kpi_id,
                value=reading.value,
                effective_date=reading.effective_date,
                source=reading.source,
                note=reading.note,
                actor=ctx.actor,
            )
        return self.commit(ctx, log, main=log, created=bool(readings))

    @command
    def correct_measurement(
        self,
        ctx: Context,
        measurement_id: str,
        *,
        value: Decimal | None = None,
        reason: str | None,
        numerator: Decimal | None = None,
        denominator: Decimal | None = None,
    ) -> Written:
        """A new value, or a rate's new numerator and denominator (both)."""
        log = self.log_of(measurement_id)
        self.check_version(ctx, log)
        log.correct(
            measurement_id,
            value,
            reason=reason,
            actor=ctx.actor,
            numerator=numerator,
            denominator=denominator,
        )
        return self.commit(ctx, log, main=log, ids={"measurement_id": measurement_id})

    @command
    def void_measurement(self, ctx: Context, measurement_id: str, *, reason: str | None) -> Written:
        log = self.log_of(measurement_id)
        self.check_version(ctx, log)
        log.void(measurement_id, reason=reason, actor=ctx.actor)
        return self.commit(ctx, log, main=log, ids={"measurement_id": measurement_id})

    def measuring(
        self, ctx: Context, employee_id: str, cycle_id: str
    ) -> tuple[Plan, ReviewCycle, MeasurementLog]:
        """The plan and the cycle to read, and a log of the command's own, in one read;
        StaleVersion unless the log is at the version If-Match names (0 before the first)."""
        keys = (
            Plan.create_id(employee_id, cycle_id),
            ReviewCycle.create_id(cycle_id),
            MeasurementLog.create_id(employee_id, cycle_id),
        )
        found = self.latest(*keys)
        plan = pick(found, Plan, keys[0], plan_label(employee_id, cycle_id))
        cycle = pick(found, ReviewCycle, keys[1], f"cycle {cycle_id}")
        log = found.get(keys[2])
        if isinstance(log, MeasurementLog):
            self.check_version(ctx, log)
            return plan, cycle, deepcopy(log)
        self.check_version(ctx, None)
        return plan, cycle, MeasurementLog.start(employee_id, cycle_id, actor=ctx.actor)

    def measurement_log(
        self, employee_id: str, cycle_id: str, version: int | None = None
    ) -> MeasurementLog | None:
        """The log, or None while nothing has been measured."""
        log_id = MeasurementLog.create_id(employee_id, cycle_id)
        label = f"measurements of employee {employee_id} in cycle {cycle_id}"
        if version is None:
            return self.find(MeasurementLog, log_id, label)
        return self.load(MeasurementLog, log_id, label, version)

    def log_of(self, measurement_id: str) -> MeasurementLog:
        employee_id, cycle_id = parse_measurement_id(measurement_id)
        log = self.measurement_log(employee_id, cycle_id)
        if log is None:
            raise NotFound(f"measurement {measurement_id!r} not found")
        log.measurement(measurement_id)
        return log
