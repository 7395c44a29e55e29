"""Whose history an explanation or an evidence bundle reads: one employee in one period."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from ledger.domain.cycle import ReviewCycle
from ledger.domain.measurements import MeasurementLog
from ledger.domain.plan import Plan
from ledger.domain.review import Review
from ledger.ids import check_key
from ledger.periods import Period, parse_period


@dataclass(frozen=True)
class Subject:
    """An employee's plan, measurements, cycle policy and review for one period."""

    employee_id: str
    period: Period

    @classmethod
    def of(cls, employee_id: str, period_id: str) -> Subject:
        """Raises InvalidInput for a malformed employee id or period."""
        period = parse_period(period_id)
        check_key(period.cycle_id, "period")
        return cls(check_key(employee_id, "employee_id"), period)

    @property
    def cycle_id(self) -> str:
        return self.period.cycle_id

    @property
    def plan_id(self) -> UUID:
        return Plan.create_id(self.employee_id, self.cycle_id)

    @property
    def log_id(self) -> UUID:
        return MeasurementLog.create_id(self.employee_id, self.cycle_id)

    @property
    def cycle_uuid(self) -> UUID:
        return ReviewCycle.create_id(self.cycle_id)

    @property
    def review_id(self) -> UUID:
        return Review.create_id(self.employee_id, self.period.id)

    @property
    def originator_ids(self) -> list[UUID]:
        return [self.plan_id, self.log_id, self.cycle_uuid, self.review_id]
