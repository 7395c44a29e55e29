"""Plans as the ``plans`` view has them: definitions and the targets in force per quarter."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from psycopg import sql
from psycopg.rows import DictRow

from ledger.domain.plan import PlanStatus
from ledger.values import Aggregation, Direction, TargetSpec
from projections.queries.documents import loaded, required_decimal, spec
from projections.queries.reading import Source, reading, select
from projections.views.plans import PLANS, PlansView

VIEW = PlansView.name


@dataclass(frozen=True)
class PeriodTarget:
    """The target, threshold and stretch in force for a KPI in one quarter."""

    period: str
    target: Decimal
    threshold: Decimal | None
    stretch: Decimal | None


@dataclass(frozen=True)
class PlanKpi:
    kpi_id: str
    name: str
    description: str
    unit: str
    direction: Direction
    aggregation: Aggregation
    weight: Decimal
    definition: TargetSpec
    targets: tuple[PeriodTarget, ...]
    scale: Decimal | None = None
    """A rate's scale; None for any other aggregation."""


@dataclass(frozen=True)
class PlanKra:
    kra_id: str
    title: str
    description: str
    weight: Decimal
    kpis: tuple[PlanKpi, ...]


@dataclass(frozen=True)
class PlanRow:
    employee_id: str
    cycle_id: str
    status: PlanStatus
    version: int
    """The plan's aggregate version: what an If-Match names."""
    position: int
    """The position of the plan's last event."""
    kras: tuple[PlanKra, ...]


_SELECT = select(PLANS.name, ("employee_id", "cycle_id", "status", "version", "position", "kras"))
_ONE = _SELECT + sql.SQL(" WHERE employee_id = %s AND cycle_id = %s")


_OF_EMPLOYEE = _SELECT + sql.SQL(" WHERE employee_id = %s ORDER BY cycle_id")


def plan(source: Source, employee_id: str, cycle_id: str) -> PlanRow | None:
    with reading(source) as cursor:
        row = cursor.execute(_ONE, (employee_id, cycle_id)).fetchone()
    return None if row is None else _plan(row)


def plans_of(source: Source, employee_id: str) -> list[PlanRow]:
    """An employee's plans, one per cycle, by cycle id."""
    with reading(source) as cursor:
        return [_plan(row) for row in cursor.execute(_OF_EMPLOYEE, (employee_id,)).fetchall()]


def _plan(row: DictRow) -> PlanRow:
    kras = tuple(_kra(document) for document in loaded(row["kras"]))
    return PlanRow(
        employee_id=row["employee_id"],
        cycle_id=row["cycle_id"],
        status=row["status"],
        version=row["version"],
        position=row["position"],
        kras=kras,
    )


def _kra(document: dict[str, Any]) -> PlanKra:
    return PlanKra(
        kra_id=document["kra_id"],
        title=document["title"],
        description=document["description"],
        weight=required_decimal(document["weight"]),
        kpis=tuple(_kpi(kpi) for kpi in document["kpis"]),
    )


def _kpi(document: dict[str, Any]) -> PlanKpi:
    return PlanKpi(
        kpi_id=document["kpi_id"],
        name=document["name"],
        description=document["description"],
        unit=document["unit"],
        direction=Direction(document["direction"]),
        aggregation=Aggregation(document["aggregation"]),
        weight=required_decimal(document["weight"]),
        definition=spec(document["definition"]),
        targets=tuple(_target(target) for target in document["targets"]),
        scale=None if document.get("scale") is None else Decimal(document["scale"]),
    )


def _target(document: dict[str, Any]) -> PeriodTarget:
    in_force = spec(document)
    return PeriodTarget(document["period"], in_force.target, in_force.threshold, in_force.stretch)
