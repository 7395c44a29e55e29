"""Employees as their profiles stand: listed by id, filtered, with who left and why."""

from __future__ import annotations

from datetime import date

import psycopg

from ledger.application import LedgerApp
from ledger.domain import Profile
from projections.queries import employee, employees
from tests.integration.views.support import HR, project

Reader = psycopg.Connection[tuple[object, ...]]


def register(app: LedgerApp, employee_id: str, department: str, manager_id: str | None) -> None:
    app.register_employee(HR, employee_id, Profile("Asha Rao", department, "Analyst", manager_id))


def test_employees_are_listed_by_id_with_filters_and_pages(
    own_app: LedgerApp, reader: Reader
) -> None:
    register(own_app, "E1001", "Sales", None)
    register(own_app, "E1003", "Sales", "E1001")
    register(own_app, "E1002", "Finance", "E1001")
    register(own_app, "E1004", "Sales", "E1001")
    project(own_app)

    first = employees(reader, department="Sales", limit=2)
    rest = employees(reader, department="Sales", after=first.next, limit=2)
    managed = employees(reader, manager_id="E1001")

    assert [row.employee_id for row in first.items] == ["E1001", "E1003"]
    assert [row.employee_id for row in rest.items] == ["E1004"]
    assert rest.next is None
    assert [row.employee_id for row in managed.items] == ["E1002", "E1003", "E1004"]


def test_an_employee_shows_their_latest_profile_and_when_and_why_they_left(
    own_app: LedgerApp, reader: Reader
) -> None:
    register(own_app, "E1001", "Sales", None)
    own_app.change_profile(
        HR,
        "E1001",
        Profile("Asha Rao", "Finance", "Lead", "E0007"),
        effective_date=date(2026, 7, 1),
        reason="promoted",
    )
    left = own_app.record_leaving(
        HR, "E1001", effective_date=date(2026, 12, 31), reason="resigned"
    ).position
    project(own_app)

    row = employee(reader, "E1001")

    assert row is not None
    assert (row.department, row.role, row.manager_id) == ("Finance", "Lead", "E0007")
    assert (row.left_on, row.leaving_reason) == (date(2026, 12, 31), "resigned")
    assert (row.version, row.position) == (3, left)
    assert employee(reader, "E9999") is None


def test_employees_are_found_by_part_of_their_name_or_id_in_any_case(
    own_app: LedgerApp, reader: Reader
) -> None:
    own_app.register_employee(HR, "E1001", Profile("Asha Rao", "Sales", "Analyst"))
    own_app.register_employee(HR, "E1002", Profile("Ravi Iyer", "Sales", "Lead"))
    own_app.register_employee(HR, "X_100", Profile("Mei 100% Lin", "Ops", "Analyst"))
    project(own_app)

    def found(q: str, department: str | None = None) -> list[str]:
        rows = employees(reader, q=q, department=department).items
        return [row.employee_id for row in rows]

    assert found("rao") == ["E1001"]
    assert found("e100") == ["E1001", "E1002"]
    assert found("IYER", department="Sales") == ["E1002"]
    assert found("iyer", department="Ops") == []
    assert found("100%") == ["X_100"]
    assert found("_1") == ["X_100"]
    assert found("%") == ["X_100"]
