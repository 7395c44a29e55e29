"""Employees and review cycles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from ledger.app.base import LedgerBase, command
from ledger.commands import Context, Written
from ledger.domain.cycle import ReviewCycle
from ledger.domain.employee import Employee, Profile
from ledger.values import RatingBand

LEFT_TOPIC = "ledger:Employee.Left"


class PeopleCommands(LedgerBase):
    @command
    def register_employee(self, ctx: Context, employee_id: str, profile: Profile) -> Written:
        employee = Employee.register(employee_id, profile, actor=ctx.actor)
        label = f"employee {employee_id}"
        return self.commit(ctx, employee, main=employee, created=True, label=label)

    @command
    def change_profile(
        self,
        ctx: Context,
        employee_id: str,
        profile: Profile,
        *,
        effective_date: date,
        reason: str | None,
    ) -> Written:
        employee = self.employee(employee_id)
        self.check_version(ctx, employee)
        employee.change_profile(
            profile, effective_date=effective_date, reason=reason, actor=ctx.actor
        )
        return self.commit(ctx, employee, main=employee)

    @command
    def record_leaving(
        self, ctx: Context, employee_id: str, *, effective_date: date, reason: str | None
    ) -> Written:
        employee = self.employee(employee_id)
        self.check_version(ctx, employee)
        employee.leave(effective_date=effective_date, reason=reason, actor=ctx.actor)
        return self.commit(ctx, employee, main=employee)

    @command
    def erase_employee(
        self, ctx: Context, employee_id: str, *, reason: str | None, legal_basis: str | None
    ) -> Written:
        """Record the erasure; the store destroys the employee's data key in the same
        transaction, and this process forgets the key and every state holding their data."""
        employee = self.employee(employee_id)
        self.check_version(ctx, employee)
        employee.erase(reason=reason, legal_basis=legal_basis, actor=ctx.actor)
        written = self.commit(ctx, employee, main=employee)
        self.keyring.forget(employee_id)
        return written

    def erasures_due(self, today: date, retention_days: int) -> list[tuple[str, date]]:
        """The employees who left more than ``retention_days`` before ``today`` and are not
        erased yet, with the day they left, in that order."""
        cutoff = today - timedelta(days=retention_days)
        due: list[tuple[str, date]] = []
        for stored in self.records.events_of_topic(LEFT_TOPIC):
            employee = self.read(Employee, UUID(str(stored.originator_id)), "employee")
            if not employee.erased and employee.left_on is not None and employee.left_on < cutoff:
                due.append((employee.employee_id, employee.left_on))
        return sorted(due, key=lambda item: (item[1], item[0]))

    def has_employee(self, employee_id: str) -> bool:
        label = f"employee {employee_id}"
        return self.find(Employee, Employee.create_id(employee_id), label) is not None

    def employee(self, employee_id: str, version: int | None = None) -> Employee:
        label = f"employee {employee_id}"
        return self.load(Employee, Employee.create_id(employee_id), label, version)

    @command
    def open_cycle(
        self,
        ctx: Context,
        cycle_id: str,
        *,
        name: str,
        start_date: date,
        end_date: date | None = None,
        achievement_cap: Decimal | None = None,
        rating_scale: Sequence[RatingBand] | None = None,
    ) -> Written:
        options: dict[str, Any] = {}
        if achievement_cap is not None:
            options["achievement_cap"] = achievement_cap
        if rating_scale is not None:
            options["rating_scale"] = rating_scale
        cycle = ReviewCycle.open(
            cycle_id,
            name=name,
            start_date=start_date,
            end_date=end_date,
            actor=ctx.actor,
            **options,
        )
        return self.commit(ctx, cycle, main=cycle, created=True, label=f"cycle {cycle_id}")

    @command
    def revise_policy(
        self,
        ctx: Context,
        cycle_id: str,
        *,
        achievement_cap: Decimal | None = None,
        rating_scale: Sequence[RatingBand] | None = None,
        reason: str | None,
    ) -> Written:
        cycle = self.cycle(cycle_id)
        self.check_version(ctx, cycle)
        cycle.revise_policy(
            achievement_cap=achievement_cap,
            rating_scale=rating_scale,
            reason=reason,
            actor=ctx.actor,
        )
        return self.commit(ctx, cycle, main=cycle)

    def cycle(self, cycle_id: str, version: int | None = None) -> ReviewCycle:
        label = f"cycle {cycle_id}"
        return self.load(ReviewCycle, ReviewCycle.create_id(cycle_id), label, version)
