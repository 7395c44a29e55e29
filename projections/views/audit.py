"""``audit_trail``: one entry per event, with who, why, what about, and the change it made."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence, Set
from functools import cache
from typing import cast
from uuid import UUID

from eventsourcing.domain import Aggregate
from psycopg import Cursor, sql
from psycopg.rows import DictRow

from ledger.domain.cycle import ReviewCycle
from ledger.domain.employee import Employee
from ledger.domain.measurements import MeasurementLog
from ledger.domain.personal import PERSONAL_FIELDS
from ledger.domain.plan import Plan
from ledger.domain.review import Review
from ledger.imports.provenance import provenance_of
from projections.statements import composed
from projections.view import LIVE, PositionedEvent, Statement, TableNames, View
from projections.views.changes import Described, Lookup, Measured, describe, recorded_text
from projections.views.documents import Json, changes_text, compact
from projections.views.erasure import PersonalColumns, erase_rows, erased_in
from projections.views.history import History
from projections.views.ids import cycle_id_of, owner_of, plan_id
from projections.views.recordings import StoredRecording, stored_recordings
from projections.views.states import DEFAULT_CAPACITY, AggregateStates
from projections.views.tables import Column, Index, Table, appending, build_indexes
from projections.views.topics import (
    CHANGING_TOPICS,
    MEASURING_TOPICS,
    RECORDED,
    event_type,
    topics_of,
)

AUDIT_TRAIL = Table(
    "audit_trail",
    columns=(
        Column("position", "bigint"),
        Column("recorded_at", "timestamptz", required=True),
        Column("event_type", "text", required=True),
        Column("actor", "text"),
        Column("reason", "text"),
        Column("approved_by", "text"),
        Column("employee_id", "text"),
        Column("cycle_id", "text"),
        Column("kra_id", "text"),
        Column("kpi_id", "text"),
        Column("measurement_id", "text"),
        Column("period", "text"),
        Column("effective_date", "date"),
        Column("changes", "jsonb", required=True),
        Column("event_hash", "text", required=True),
        Column("aggregate_uuid", "uuid", required=True),
        Column("aggregate_version", "integer", required=True),
        Column("provenance", "jsonb"),
    ),
    key=("position",),
    indexes=(
        Index("audit_trail_by_employee", ("employee_id", "position")),
        Index("audit_trail_by_kpi", ("kpi_id", "position")),
        Index("audit_trail_by_actor", ("actor", "position")),
        Index("audit_trail_by_type", ("event_type", "position")),
        Index("audit_trail_by_cycle", ("cycle_id", "position")),
        Index("audit_trail_by_measurement", ("measurement_id", "position")),
        Index("audit_trail_by_time", ("recorded_at",)),
    ),
)
LOADING_INDEXES = ("audit_trail_by_measurement",)
"""What a rebuild's pages read the shadow table by: the other indexes come once loaded."""
TRACKED = frozenset(topics_of(Employee, ReviewCycle, Plan, Review))
"""Topics of the aggregates whose state before each event the trail compares with.

Measurement logs are not among them: they are the largest aggregates by far, and what a
correction or a void is compared with (the measurement's last value, its KPI and date)
is in the trail's own rows already.
"""
Measuring = (
    MeasurementLog.MeasurementRecorded
    | MeasurementLog.MeasurementCorrected
    | MeasurementLog.MeasurementVoided
)
RECORDED_TYPE = event_type(RECORDED)


def entry_row(event: PositionedEvent, described: Described) -> tuple[object, ...]:
    domain_event = event.event
    return (
        event.position,
        event.recorded_at,
        event_type(event.topic),
        getattr(domain_event, "actor", None),
        getattr(domain_event, "reason", None),
        getattr(domain_event, "approved_by", None),
        described.employee_id,
        described.cycle_id,
        described.kra_id,
        described.kpi_id,
        described.measurement_id,
        described.period,
        described.effective_date,
        _document(described.changes),
        event.event_hash,
        event.originator_id,
        event.originator_version,
        _provenance(domain_event),
    )


def recorded_row(
    event: PositionedEvent, recorded: StoredRecording, lookup: Lookup
) -> tuple[object, ...]:
    """The entry of a value's recording, the trail's commonest by far: the row
    ``entry_row`` makes of what ``describe`` says of the decoded event, made directly."""
    owner = lookup.owner(recorded.measurement_id)
    kpi_id, day = recorded.kpi_id, recorded.effective_date
    return (
        event.position,
        event.recorded_at,
        RECORDED_TYPE,
        recorded.actor,
        None,
        None,
        owner.employee_id,
        owner.cycle_id,
        owner.kra_of(kpi_id),
        kpi_id,
        recorded.measurement_id,
        owner.period_of(day),
        day,
        recorded_text(recorded.value, recorded.source, recorded.note),
        event.event_hash,
        event.originator_id,
        event.originator_version,
        None,
    )


def _document(changes: Mapping[str, dict[str, Json]] | str) -> str:
    return changes if isinstance(changes, str) else changes_text(changes)


def _provenance(domain_event: object) -> str | None:
    """Where an imported event came from (import, file, sheet, row); None for the others."""
    found = provenance_of(domain_event)
    return None if found is None else compact(found)


def context_of(
    page: Sequence[PositionedEvent], stored: Mapping[int, StoredRecording]
) -> Iterable[UUID]:
    """The plans and cycles of the page's measurements: their KRA and quarter."""
    pairs = {owner_of(recording.measurement_id) for recording in stored.values()}
    decoded = (e for e in page if e.topic in MEASURING_TOPICS and e.position not in stored)
    pairs.update(owner_of(cast(Measuring, e.event).measurement_id) for e in decoded)
    for employee_id, cycle_id in pairs:
        yield plan_id(employee_id, cycle_id)
        yield cycle_id_of(cycle_id)


def measurement_ids(
    page: Sequence[PositionedEvent], stored: Mapping[int, StoredRecording], topics: Set[str]
) -> Iterator[str]:
    """The measurements the page's events of ``topics`` name, from their stored state
    where it was read, from the decoded event otherwise."""
    for event in page:
        if event.topic in topics:
            recording = stored.get(event.position)
            if recording is not None:
                yield recording.measurement_id
            else:
                yield cast(Measuring, event.event).measurement_id


@cache
def _measurements(tables: TableNames) -> bytes:
    return composed(
        sql.SQL(
            "SELECT DISTINCT ON (measurement_id) measurement_id, kpi_id, effective_date,"
            " changes -> 'value' ->> 'to' AS value,"
            " changes -> 'numerator' ->> 'to' AS numerator,"
            " changes -> 'denominator' ->> 'to' AS denominator"
            " FROM {} WHERE measurement_id = ANY(%s)"
            " AND (changes -> 'value' IS NOT NULL OR changes -> 'numerator' IS NOT NULL)"
            " ORDER BY measurement_id, position DESC"
        ).format(tables[AUDIT_TRAIL.name])
    )


def measured_before(
    cursor: Cursor[DictRow],
    tables: TableNames,
    page: Sequence[PositionedEvent],
    stored: Mapping[int, StoredRecording],
) -> dict[str, Measured]:
    """The measurements the page corrects or voids but did not record, from earlier rows."""
    changed = list(measurement_ids(page, stored, CHANGING_TOPICS))
    if not changed:
        return {}
    recorded = set(measurement_ids(page, stored, {RECORDED}))
    wanted = [measurement_id for measurement_id in changed if measurement_id not in recorded]
    if not wanted:
        return {}
    rows = cursor.execute(_measurements(tables), (wanted,)).fetchall()
    return {
        row["measurement_id"]: Measured(
            row["kpi_id"],
            row["effective_date"],
            row["value"],
            row["numerator"],
            row["denominator"],
        )
        for row in rows
    }


def _types(topics: Iterable[str]) -> str:
    return ", ".join(f"'{event_type(topic)}'" for topic in topics)


AUDIT_PERSONAL = (
    PersonalColumns(
        AUDIT_TRAIL.name,
        key=("position",),
        texts=("reason",),
        json={"changes": frozenset({"description", "note", "comments"})},
        kept=f"event_type NOT IN ({_types(PERSONAL_FIELDS)})",
    ),
    PersonalColumns(
        AUDIT_TRAIL.name,
        key=("position",),
        json={"changes": frozenset({"name"})},
        kept=f"event_type NOT IN ({_types(t for t in PERSONAL_FIELDS if 'Employee.' in t)})",
    ),
)
"""The trail's personal texts: the sealed events' reasons and texts, employees' names."""


class AuditTrailView(View):
    name = "audit_trail"
    version = 3
    tables = (AUDIT_TRAIL.name,)
    topics = ()

    def __init__(self, history: History, capacity: int = DEFAULT_CAPACITY) -> None:
        self.states = AggregateStates(history, capacity)

    def ddl(self, tables: TableNames) -> Sequence[Statement]:
        if tables == LIVE:
            return AUDIT_TRAIL.ddl(tables)
        return AUDIT_TRAIL.loading_ddl(tables, LOADING_INDEXES)

    def settle(self, cursor: Cursor[DictRow], tables: TableNames, position: int) -> bool:
        """Index the shadow table, loaded with only what its pages read it by."""
        build_indexes(cursor, AUDIT_TRAIL, tables)
        return True

    def apply(
        self, cursor: Cursor[DictRow], page: Sequence[PositionedEvent], tables: TableNames
    ) -> None:
        states = self.states.page(cursor, page)
        states.take(dict.fromkeys(e.originator_id for e in page if e.topic in TRACKED))
        stored = stored_recordings(page)
        states.take(context_of(page, stored))
        lookup = Lookup(states, measured_before(cursor, tables, page, stored))
        with appending(cursor, AUDIT_TRAIL, tables) as write:
            for event in page:
                recording = stored.get(event.position)
                if recording is not None:
                    write(recorded_row(event, recording, lookup))
                    measured = Measured(recording.kpi_id, recording.effective_date, recording.value)
                    lookup.measurements[recording.measurement_id] = measured
                    continue
                domain_event = event.event
                tracked = event.topic in TRACKED
                before = states.get(event.originator_id, Aggregate) if tracked else None
                write(entry_row(event, describe(domain_event, before, lookup)))
                lookup.follow(domain_event)
                if tracked:
                    states.advance(event)
                    lookup.forget()
        self.states.keep(states)
        for employee_id in erased_in(page):
            for columns in AUDIT_PERSONAL:
                erase_rows(cursor, tables, columns, employee_id)
            self.states.clear()
