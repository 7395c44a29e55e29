"""``plans``: each plan's current KRAs and KPIs, with the target in force in each quarter."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from psycopg import Cursor
from psycopg.rows import DictRow

from ledger.domain.definitions import Kpi, Kra
from ledger.domain.personal import ERASURE_TOPIC
from ledger.domain.plan import Plan
from ledger.periods import QUARTERS, Period
from ledger.scoring import target_in_force
from ledger.scoring.aggregates import kpi_plan
from ledger.values import TargetSpec
from projections.view import PositionedEvent, Statement, TableNames, View
from projections.views.documents import Json, dumps, plain
from projections.views.erasure import PersonalColumns, erase_rows, erased_in
from projections.views.history import History
from projections.views.states import DEFAULT_CAPACITY, AggregateStates
from projections.views.tables import Column, Index, Table, upsert
from projections.views.topics import topics_of

PLANS = Table(
    "plans",
    columns=(
        Column("employee_id", "text"),
        Column("cycle_id", "text"),
        Column("plan_uuid", "uuid", required=True),
        Column("status", "text", required=True),
        Column("version", "integer", required=True),
        Column("kras", "jsonb", required=True),
        Column("position", "bigint", required=True),
    ),
    key=("employee_id", "cycle_id"),
    indexes=(Index("plans_by_cycle", ("cycle_id", "employee_id")),),
)


def kras_document(plan: Plan) -> list[Json]:
    """The KRAs in order, each with its KPIs and their targets in force per quarter."""
    return [
        {
            **_kra_fields(kra),
            "kpis": [kpi_document(plan.cycle_id, kpi) for kpi in plan.kpis_of(kra.kra_id)],
        }
        for kra in plan.kras
    ]


def _kra_fields(kra: Kra) -> dict[str, Json]:
    return {
        "kra_id": kra.kra_id,
        "title": kra.title,
        "description": kra.description,
        "weight": plain(kra.weight),
    }


def kpi_document(cycle_id: str, kpi: Kpi) -> dict[str, Json]:
    scored = kpi_plan(kpi)
    targets: list[Json] = [
        {"period": Period(cycle_id, quarter).id, **spec_document(target_in_force(scored, quarter))}
        for quarter in QUARTERS
    ]
    return {
        "kpi_id": kpi.kpi_id,
        "name": kpi.name,
        "description": kpi.description,
        "unit": kpi.unit,
        "direction": kpi.direction.value,
        "aggregation": kpi.aggregation.value,
        "weight": plain(kpi.weight),
        "definition": spec_document(kpi.definition),
        "targets": targets,
        **({} if kpi.scale is None else {"scale": plain(kpi.scale)}),
    }


def spec_document(spec: TargetSpec) -> dict[str, Json]:
    return {
        "target": plain(spec.target),
        "threshold": plain(spec.threshold),
        "stretch": plain(spec.stretch),
    }


def plan_row(plan: Plan, position: int) -> tuple[object, ...]:
    return (
        plan.employee_id,
        plan.cycle_id,
        plan.id,
        plan.status,
        plan.version,
        dumps(kras_document(plan)),
        position,
    )


PLANS_PERSONAL = PersonalColumns(
    PLANS.name, key=("employee_id", "cycle_id"), json={"kras": frozenset({"description"})}
)


class PlansView(View):
    name = "plans"
    version = 2
    tables = (PLANS.name,)
    topics = (*topics_of(Plan), ERASURE_TOPIC)

    def __init__(self, history: History, capacity: int = DEFAULT_CAPACITY) -> None:
        self.states = AggregateStates(history, capacity)

    def ddl(self, tables: TableNames) -> Sequence[Statement]:
        return PLANS.ddl(tables)

    def apply(
        self, cursor: Cursor[DictRow], page: Sequence[PositionedEvent], tables: TableNames
    ) -> None:
        erased = erased_in(page)
        page = [event for event in page if event.topic != ERASURE_TOPIC]
        if page:
            self._upsert(cursor, page, tables)
        for employee_id in erased:
            erase_rows(cursor, tables, PLANS_PERSONAL, employee_id)
            self.states.clear()

    def _upsert(
        self, cursor: Cursor[DictRow], page: Sequence[PositionedEvent], tables: TableNames
    ) -> None:
        states = self.states.page(cursor, page)
        ids: dict[UUID, None] = dict.fromkeys(event.originator_id for event in page)
        states.take(ids)
        for event in page:
            states.advance(event)
        rows = []
        for plan_id in ids:
            plan = states.get(plan_id, Plan)
            assert plan is not None
            rows.append(plan_row(plan, states.position(plan_id)))
        upsert(cursor, PLANS, tables, rows)
        self.states.keep(states)
