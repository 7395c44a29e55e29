"""Employees as the ``employees`` view has them."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from psycopg import sql
from psycopg.rows import DictRow

from projections.queries.reading import (
    DEFAULT_LIMIT,
    Listing,
    Source,
    Where,
    check_limit,
    listing,
    reading,
    select,
)
from projections.view import LIVE
from projections.views.employees import EMPLOYEES, EmployeesView

VIEW = EmployeesView.name


@dataclass(frozen=True)
class EmployeeRow:
    employee_id: str
    name: str
    department: str
    role: str
    manager_id: str | None
    left_on: date | None
    leaving_reason: str | None
    version: int
    position: int
    """The position of the employee's last event."""


_COLUMNS = tuple(field.name for field in fields(EmployeeRow))
_SELECT = select(EMPLOYEES.name, _COLUMNS)
_ONE = _SELECT + sql.SQL(" WHERE employee_id = %s")
_ORDER = sql.SQL(" ORDER BY employee_id LIMIT %s")


def _row(row: DictRow) -> EmployeeRow:
    return EmployeeRow(**row)


def employee(source: Source, employee_id: str) -> EmployeeRow | None:
    with reading(source) as cursor:
        found = cursor.execute(_ONE, (employee_id,)).fetchone()
    return None if found is None else _row(found)


def employees(
    source: Source,
    *,
    department: str | None = None,
    manager_id: str | None = None,
    q: str | None = None,
    after: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Listing[EmployeeRow, str]:
    """Employees by id, after the ``after`` id; ``next`` is the id to pass on. ``q`` keeps
    those whose name or id holds it, ignoring case."""
    check_limit(limit)
    where = (
        Where()
        .equals("department", department)
        .equals("manager_id", manager_id)
        .contains(("employee_id", "name"), q)
        .compare("employee_id", ">", after)
    )
    with reading(source) as cursor:
        rows = cursor.execute(_SELECT + where.clause() + _ORDER, [*where.params, limit + 1])
        found = [_row(row) for row in rows.fetchall()]
    return listing(found, limit, lambda row: row.employee_id)


@dataclass(frozen=True)
class DepartmentRow:
    department: str
    employees: int
    """How many employees the department has, those who left included."""
    current: int
    """How many have not left."""


_DEPARTMENTS = sql.SQL(
    "SELECT department, count(*) AS employees, count(*) FILTER (WHERE left_on IS NULL)"
    " AS current FROM {} GROUP BY department ORDER BY department"
).format(LIVE[EMPLOYEES.name])


def departments(source: Source) -> list[DepartmentRow]:
    """Every department with its head counts, by name."""
    with reading(source) as cursor:
        return [DepartmentRow(**row) for row in cursor.execute(_DEPARTMENTS).fetchall()]
