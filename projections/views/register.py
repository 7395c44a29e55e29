"""``target_revisions``: the register of every KPI target set, revised, adjusted or removed.

``previous`` is what was in force for the row's period before the event: for a revision
or an adjustment, the target in force in that quarter; for a definition changed before
activation, the definition it replaced. A removal has no period; its ``previous`` is the
target the KPI carried: its latest revision, else its definition.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from psycopg import Cursor
from psycopg.rows import DictRow

from ledger.domain.definitions import SPEC_FIELDS, Kpi
from ledger.domain.personal import ERASURE_TOPIC
from ledger.domain.plan import Plan
from ledger.periods import QUARTERS, Period
from ledger.scoring import target_in_force
from ledger.scoring.aggregates import kpi_plan
from ledger.values import TargetSpec
from projections.view import PositionedEvent, Statement, TableNames, View
from projections.views.changes import in_force
from projections.views.erasure import PersonalColumns, erase_rows, erased_in
from projections.views.history import History
from projections.views.states import DEFAULT_CAPACITY, AggregateStates
from projections.views.tables import Column, Index, Table, append
from projections.views.topics import topics_of

Kind = Literal["defined", "revised", "adjusted", "removed"]

TARGET_REVISIONS = Table(
    "target_revisions",
    columns=(
        Column("position", "bigint"),
        Column("kpi_id", "text"),
        Column("employee_id", "text", required=True),
        Column("cycle_id", "text", required=True),
        Column("kra_id", "text", required=True),
        Column("kind", "text", required=True),
        Column("period", "text"),
        Column("previous_target", "numeric"),
        Column("previous_threshold", "numeric"),
        Column("previous_stretch", "numeric"),
        Column("target", "numeric"),
        Column("threshold", "numeric"),
        Column("stretch", "numeric"),
        Column("actor", "text", required=True),
        Column("reason", "text"),
        Column("approved_by", "text"),
        Column("recorded_at", "timestamptz", required=True),
        Column("event_hash", "text", required=True),
    ),
    key=("position", "kpi_id"),
    indexes=(
        Index("target_revisions_by_cycle", ("cycle_id", "position")),
        Index("target_revisions_by_employee", ("employee_id", "position")),
        Index("target_revisions_by_kpi", ("kpi_id", "position")),
        Index("target_revisions_by_time", ("recorded_at",)),
    ),
)


@dataclass(frozen=True)
class Entry:
    kind: Kind
    kra_id: str
    kpi_id: str
    period: str | None
    previous: TargetSpec | None
    new: TargetSpec | None


def entries(plan: Plan, event: Plan.Event) -> list[Entry]:
    """The register's entries for one event of ``plan``, as the plan stood before it."""
    match event:
        case Plan.KpiDefined():
            new = TargetSpec(event.target, event.threshold, event.stretch)
            return [Entry("defined", event.kra_id, event.kpi_id, first_quarter(plan), None, new)]
        case Plan.KpiChanged() if SPEC_FIELDS & event.changes.keys():
            kpi = plan.kpi(event.kpi_id)
            redefined = kpi.changed(event.changes).definition
            period = first_quarter(plan)
            return [Entry("defined", kpi.kra_id, kpi.kpi_id, period, kpi.definition, redefined)]
        case Plan.TargetRevised():
            return [_target_entry(plan, event, "revised", event.effective_from)]
        case Plan.TargetAdjusted():
            return [_target_entry(plan, event, "adjusted", event.period)]
        case Plan.KpiRemoved():
            return [_removal(plan.kpi(event.kpi_id))]
        case Plan.KraRemoved():
            return [_removal(plan.kpi(kpi_id)) for kpi_id in event.kpi_ids]
    return []


def _target_entry(
    plan: Plan, event: Plan.TargetRevised | Plan.TargetAdjusted, kind: Kind, period: str
) -> Entry:
    kpi = plan.kpi(event.kpi_id)
    new = TargetSpec(event.target, event.threshold, event.stretch)
    return Entry(kind, kpi.kra_id, kpi.kpi_id, period, in_force(plan, kpi.kpi_id, period), new)


def first_quarter(plan: Plan) -> str:
    return Period(plan.cycle_id, QUARTERS[0]).id


def carried(kpi: Kpi) -> TargetSpec:
    """The KPI's target apart from one-quarter adjustments: its latest revision, or definition."""
    return target_in_force(replace(kpi_plan(kpi), adjustments=()), QUARTERS[-1])


def _removal(kpi: Kpi) -> Entry:
    return Entry("removed", kpi.kra_id, kpi.kpi_id, None, carried(kpi), None)


def register_row(
    event: PositionedEvent, plan: Plan, domain_event: Plan.Event, entry: Entry
) -> tuple[object, ...]:
    previous, new = entry.previous, entry.new
    return (
        event.position,
        entry.kpi_id,
        plan.employee_id,
        plan.cycle_id,
        entry.kra_id,
        entry.kind,
        entry.period,
        None if previous is None else previous.target,
        None if previous is None else previous.threshold,
        None if previous is None else previous.stretch,
        None if new is None else new.target,
        None if new is None else new.threshold,
        None if new is None else new.stretch,
        domain_event.actor,
        getattr(domain_event, "reason", None),
        getattr(domain_event, "approved_by", None),
        event.recorded_at,
        event.event_hash,
    )


REGISTER_PERSONAL = PersonalColumns(
    TARGET_REVISIONS.name, key=("position", "kpi_id"), texts=("reason",)
)


class TargetRevisionsView(View):
    name = "target_revisions"
    version = 2
    tables = (TARGET_REVISIONS.name,)
    topics = (*topics_of(Plan), ERASURE_TOPIC)

    def __init__(self, history: History, capacity: int = DEFAULT_CAPACITY) -> None:
        self.states = AggregateStates(history, capacity)

    def ddl(self, tables: TableNames) -> Sequence[Statement]:
        return TARGET_REVISIONS.ddl(tables)

    def apply(
        self, cursor: Cursor[DictRow], page: Sequence[PositionedEvent], tables: TableNames
    ) -> None:
        erased = erased_in(page)
        page = [event for event in page if event.topic != ERASURE_TOPIC]
        if page:
            self._append(cursor, page, tables)
        for employee_id in erased:
            erase_rows(cursor, tables, REGISTER_PERSONAL, employee_id)
            self.states.clear()

    def _append(
        self, cursor: Cursor[DictRow], page: Sequence[PositionedEvent], tables: TableNames
    ) -> None:
        states = self.states.page(cursor, page)
        states.take(dict.fromkeys(event.originator_id for event in page))
        rows: list[tuple[object, ...]] = []
        for event in page:
            plan = states.get(event.originator_id, Plan)
            domain_event = event.event
            assert isinstance(domain_event, Plan.Event)
            if plan is not None:
                rows.extend(
                    register_row(event, plan, domain_event, entry)
                    for entry in entries(plan, domain_event)
                )
            states.advance(event)
        append(cursor, TARGET_REVISIONS, tables, rows)
        self.states.keep(states)
