"""Worlds for the access tests: an employee with a manager, a plan in force, a review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ledger.application import LedgerApp
from ledger.commands import Context
from ledger.domain import KpiDefinition, KraDefinition, Profile
from ledger.domain.access import Role
from ledger.values import Aggregation, Direction, TargetSpec
from tests.e2e.client import new_id

SETUP = Context(actor="admin:e2e-setup")


def kpi(name: str, weight: int) -> KpiDefinition:
    return KpiDefinition(
        name, "%", Direction.INCREASE, Aggregation.LAST, Decimal(weight), TargetSpec(Decimal(90))
    )


@dataclass(frozen=True)
class World:
    """An employee and their manager, each with a token; an active plan of two KRAs and three
    KPIs in a cycle of their own, one measurement, and a finalised review of Q1."""

    manager_id: str
    employee_id: str
    cycle_id: str
    spare_cycle_id: str
    """A cycle in which the employee has no plan yet."""
    measurement_id: str
    manager_token: str
    employee_token: str

    @property
    def values(self) -> dict[str, str]:
        return {
            "manager": self.manager_id,
            "employee": self.employee_id,
            "cycle": self.cycle_id,
            "spare_cycle": self.spare_cycle_id,
            "measurement": self.measurement_id,
            "plan": f"/employees/{self.employee_id}/plans/{self.cycle_id}",
            "q1": f"{self.cycle_id}-Q1",
            "q2": f"{self.cycle_id}-Q2",
        }


def build_world(ledger: LedgerApp) -> World:
    manager_id, employee_id, cycle_id, spare = new_id("M"), new_id("E"), new_id("FY"), new_id("FY")
    ledger.register_employee(SETUP, manager_id, Profile("Ravi Iyer", "Sales", "Manager"))
    profile = Profile("Ana Rao", "Sales", "Sales Executive", manager_id)
    ledger.register_employee(SETUP, employee_id, profile)
    ledger.open_cycle(SETUP, cycle_id, name="FY 2026-27", start_date=date(2026, 4, 1))
    ledger.open_cycle(SETUP, spare, name="FY 2027-28", start_date=date(2027, 4, 1))
    ledger.draft_plan(SETUP, employee_id, cycle_id)
    plan = (employee_id, cycle_id)
    ledger.define_kra(SETUP, *plan, "retention", KraDefinition("Client Retention", Decimal(50)))
    ledger.define_kra(SETUP, *plan, "growth", KraDefinition("Growth", Decimal(50)))
    ledger.define_kpi(SETUP, *plan, "retained", "retention", kpi("retained", 60))
    ledger.define_kpi(SETUP, *plan, "referrals", "retention", kpi("referrals", 40))
    ledger.define_kpi(SETUP, *plan, "deals", "growth", kpi("deals", 100))
    ledger.activate_plan(SETUP, *plan)
    measured = ledger.record_measurement(
        SETUP, *plan, "retained", value=Decimal(87), effective_date=date(2026, 6, 30)
    )
    ledger.finalize_review(SETUP, employee_id, f"{cycle_id}-Q1")
    manager = ledger.issue_token(SETUP, name="ravi", role=Role.MANAGER, employee_id=manager_id)
    employee = ledger.issue_token(SETUP, name="ana", role=Role.EMPLOYEE, employee_id=employee_id)
    return World(
        manager_id,
        employee_id,
        cycle_id,
        spare,
        measured.ids["measurement_id"],
        manager.token,
        employee.token,
    )
