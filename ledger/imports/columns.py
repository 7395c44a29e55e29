"""The sheets an import reads and their columns, named as the API names its fields.

Each column says what kind of value its cells hold; a new column is one more line here
and one more field where the sheet's rows are read (``rows``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ledger.values import Aggregation, Direction


class Kind(Enum):
    KEY = "key"
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    CHOICE = "choice"


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    help: str

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column | None:
        return next((column for column in self.columns if column.name == name), None)


DIRECTIONS = tuple(direction.value for direction in Direction)
AGGREGATIONS = tuple(aggregation.value for aggregation in Aggregation)
TARGET_KINDS = ("revision", "adjustment")
YES_NO = ("yes", "no")

EMPLOYEES = Sheet(
    "employees",
    (
        Column("employee_id", Kind.KEY, required=True),
        Column("name", Kind.TEXT, required=True),
        Column("department", Kind.TEXT, required=True),
        Column("role", Kind.TEXT, required=True),
        Column("manager_id", Kind.KEY, help="the manager's employee_id, if any"),
    ),
    "One row per employee to register. A row equal to what the ledger holds is skipped.",
)
PLANS = Sheet(
    "plans",
    (
        Column("employee_id", Kind.KEY, required=True),
        Column("cycle_id", Kind.KEY, required=True, help="a cycle open in the ledger"),
        Column("kra_id", Kind.KEY, required=True),
        Column("kra_title", Kind.TEXT, required=True),
        Column("kra_description", Kind.TEXT),
        Column("kra_weight", Kind.NUMBER, required=True),
        Column("kpi_id", Kind.KEY, required=True),
        Column("kpi_name", Kind.TEXT, required=True),
        Column("unit", Kind.TEXT),
        Column("direction", Kind.CHOICE, required=True, choices=DIRECTIONS),
        Column("aggregation", Kind.CHOICE, required=True, choices=AGGREGATIONS),
        Column("kpi_weight", Kind.NUMBER, required=True),
        Column("target", Kind.NUMBER, required=True),
        Column("threshold", Kind.NUMBER),
        Column("stretch", Kind.NUMBER),
        Column("activate", Kind.CHOICE, choices=YES_NO, help="yes: activate after its rows"),
        Column("scale", Kind.NUMBER, help="aggregation ratio only, and required there: 1 or 100"),
    ),
    "One row per KPI; the KRA's columns repeat on each of its KPIs' rows. A plan is drafted"
    " when new; `activate` yes on any of its rows activates it after its last row.",
)
MEASUREMENTS = Sheet(
    "measurements",
    (
        Column("employee_id", Kind.KEY, required=True),
        Column("cycle_id", Kind.KEY, required=True),
        Column("kpi_id", Kind.KEY, required=True),
        Column("value", Kind.NUMBER, help="required, except for a KPI with aggregation ratio"),
        Column("effective_date", Kind.DATE, required=True, help="a date inside the cycle"),
        Column("source", Kind.TEXT),
        Column("note", Kind.TEXT),
        Column("numerator", Kind.NUMBER, help="a rate's (aggregation ratio), with denominator"),
        Column("denominator", Kind.NUMBER, help="a rate's (aggregation ratio): 0 or more"),
    ),
    "One row per measurement, against a KPI of an active plan: a value, or for a rate its"
    " numerator and denominator.",
)
TARGETS = Sheet(
    "targets",
    (
        Column("employee_id", Kind.KEY, required=True),
        Column("cycle_id", Kind.KEY, required=True),
        Column("kpi_id", Kind.KEY, required=True),
        Column("kind", Kind.CHOICE, required=True, choices=TARGET_KINDS),
        Column(
            "period",
            Kind.KEY,
            required=True,
            help="a quarter such as FY2026-Q3: a revision's effective_from, an adjustment's period",
        ),
        Column("target", Kind.NUMBER, required=True),
        Column("threshold", Kind.NUMBER),
        Column("stretch", Kind.NUMBER),
        Column("reason", Kind.TEXT, required=True),
        Column("approved_by", Kind.TEXT),
    ),
    "One row per target revision or adjustment of an active plan's KPI.",
)

SHEETS: dict[str, Sheet] = {
    sheet.name: sheet for sheet in (EMPLOYEES, PLANS, MEASUREMENTS, TARGETS)
}
ORDER = ("employees", "plans", "targets", "measurements")
"""The order sheets are applied in, whatever their order in the file: each may need the
ones before it."""
