"""``employees``: one row per employee, as their profile stands now."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple, dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID

from psycopg import Cursor
from psycopg.rows import DictRow

from ledger.domain.employee import Employee
from ledger.domain.personal import ERASED
from projections.view import PositionedEvent, Statement, TableNames, View
from projections.views.tables import Column, Index, Table, rows_where, upsert
from projections.views.topics import topics_of

EMPLOYEES = Table(
    "employees",
    columns=(
        Column("employee_id", "text"),
        Column("employee_uuid", "uuid", required=True),
        Column("name", "text", required=True),
        Column("department", "text", required=True),
        Column("role", "text", required=True),
        Column("manager_id", "text"),
        Column("left_on", "date"),
        Column("leaving_reason", "text"),
        Column("version", "integer", required=True),
        Column("position", "bigint", required=True),
    ),
    key=("employee_id",),
    unique=(Index("employees_by_uuid", ("employee_uuid",)),),
    indexes=(
        Index("employees_by_department", ("department", "employee_id")),
        Index("employees_by_manager", ("manager_id", "employee_id")),
    ),
)


@dataclass(frozen=True)
class EmployeeRecord:
    """A row of ``employees``, in its column order."""

    employee_id: str
    employee_uuid: UUID
    name: str
    department: str
    role: str
    manager_id: str | None
    left_on: date | None
    leaving_reason: str | None
    version: int
    position: int


def applied(record: EmployeeRecord | None, event: PositionedEvent) -> EmployeeRecord:
    """The row after one event of the employee."""
    stamp: dict[str, Any] = {"version": event.originator_version, "position": event.position}
    match event.event:
        case Employee.Registered() as registered:
            return EmployeeRecord(
                employee_id=registered.employee_id,
                employee_uuid=event.originator_id,
                name=registered.name,
                department=registered.department,
                role=registered.role,
                manager_id=registered.manager_id,
                left_on=None,
                leaving_reason=None,
                **stamp,
            )
        case Employee.ProfileChanged() as changed:
            assert record is not None
            changes: dict[str, Any] = changed.changes
            return replace(record, **changes, **stamp)
        case Employee.Left() as left:
            assert record is not None
            return replace(record, left_on=left.effective_date, leaving_reason=left.reason, **stamp)
        case Employee.Erased():
            assert record is not None
            reason = None if record.leaving_reason is None else ERASED
            return replace(record, name=ERASED, leaving_reason=reason, **stamp)
    raise TypeError(f"not an event of an employee: {event.topic}")


def current(
    cursor: Cursor[DictRow], tables: TableNames, page: Sequence[PositionedEvent]
) -> dict[UUID, EmployeeRecord]:
    """The rows as they stand before the page, of the employees it changes."""
    ids = {event.originator_id for event in page if event.originator_version > 1}
    rows = rows_where(cursor, EMPLOYEES, tables, "employee_uuid", ids)
    return {row["employee_uuid"]: EmployeeRecord(**row) for row in rows}


class EmployeesView(View):
    name = "employees"
    version = 2
    tables = (EMPLOYEES.name,)
    topics = topics_of(Employee)

    def ddl(self, tables: TableNames) -> Sequence[Statement]:
        return EMPLOYEES.ddl(tables)

    def apply(
        self, cursor: Cursor[DictRow], page: Sequence[PositionedEvent], tables: TableNames
    ) -> None:
        records = current(cursor, tables, page)
        for event in page:
            records[event.originator_id] = applied(records.get(event.originator_id), event)
        upsert(cursor, EMPLOYEES, tables, [astuple(record) for record in records.values()])
