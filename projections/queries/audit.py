"""The audit trail as the ``audit_trail`` view has it: filtered, paged by position."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime

from psycopg import sql
from psycopg.rows import DictRow

from projections.queries.documents import loaded
from projections.queries.reading import (
    Listing,
    Source,
    Where,
    check_limit,
    listing,
    reading,
    select,
)
from projections.view import LIVE
from projections.views.audit import AUDIT_TRAIL, AuditTrailView
from projections.views.documents import Json

VIEW = AuditTrailView.name
DEFAULT_LIMIT = 100


@dataclass(frozen=True)
class FieldChange:
    """One field's value before and after an event; JSON values, decimals as strings."""

    before: Json
    after: Json

    def as_json(self) -> dict[str, Json]:
        return {"from": self.before, "to": self.after}


@dataclass(frozen=True)
class AuditEntry:
    position: int
    recorded_at: datetime
    event_type: str
    """``Plan.TargetRevised`` and the like: the aggregate and the event."""
    actor: str | None
    reason: str | None
    approved_by: str | None
    employee_id: str | None
    cycle_id: str | None
    kra_id: str | None
    kpi_id: str | None
    measurement_id: str | None
    period: str | None
    effective_date: date | None
    changes: Mapping[str, FieldChange]
    event_hash: str
    """The hex sha256 of the event as stored, as the ledger's chain has it."""
    provenance: Mapping[str, Json] | None = None
    """For an imported event: its import_id, file_name, file_sha256, sheet and row."""


@dataclass(frozen=True)
class AuditFilter:
    """Entries matching every filter given; recorded in ``[recorded_from, recorded_to)``."""

    employee_id: str | None = None
    kpi_id: str | None = None
    actor: str | None = None
    event_type: str | None = None
    cycle_id: str | None = None
    recorded_from: datetime | None = None
    recorded_to: datetime | None = None

    def where(self) -> Where:
        return (
            Where()
            .equals("employee_id", self.employee_id)
            .equals("kpi_id", self.kpi_id)
            .equals("actor", self.actor)
            .equals("event_type", self.event_type)
            .equals("cycle_id", self.cycle_id)
            .compare("recorded_at", ">=", self.recorded_from)
            .compare("recorded_at", "<", self.recorded_to)
        )


_NAMES = tuple(field.name for field in fields(AuditEntry))
SELECT = select(AUDIT_TRAIL.name, _NAMES)
ORDER = sql.SQL(" ORDER BY position")
_NEWEST_FIRST = sql.SQL(" ORDER BY position DESC")
_LIMIT = sql.SQL(" LIMIT %s")
_EVENT_TYPES = sql.SQL(
    "SELECT DISTINCT event_type FROM {} WHERE employee_id = %s ORDER BY event_type"
).format(LIVE[AUDIT_TRAIL.name])


def entry(row: DictRow) -> AuditEntry:
    changes = {
        name: FieldChange(change["from"], change["to"])
        for name, change in loaded(row["changes"]).items()
    }
    return AuditEntry(**{**row, "changes": changes, "provenance": loaded(row["provenance"])})


def audit_trail(
    source: Source,
    filters: AuditFilter | None = None,
    *,
    after: int | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Listing[AuditEntry, int]:
    """Entries in position order after position ``after``; ``next`` is the position to pass."""
    check_limit(limit)
    where = (filters or AuditFilter()).where().compare("position", ">", after)
    with reading(source) as cursor:
        statement = SELECT + where.clause() + ORDER + _LIMIT
        found = [entry(row) for row in cursor.execute(statement, [*where.params, limit + 1])]
    return listing(found, limit, lambda row: row.position)


def audit_trail_newest_first(
    source: Source,
    filters: AuditFilter | None = None,
    *,
    before: int | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Listing[AuditEntry, int]:
    """Entries in reverse position order before position ``before``; ``next`` is the
    position to pass as ``before``."""
    check_limit(limit)
    where = (filters or AuditFilter()).where().compare("position", "<", before)
    with reading(source) as cursor:
        statement = SELECT + where.clause() + _NEWEST_FIRST + _LIMIT
        found = [entry(row) for row in cursor.execute(statement, [*where.params, limit + 1])]
    return listing(found, limit, lambda row: row.position)


def event_types_of(source: Source, employee_id: str) -> list[str]:
    """The event types in an employee's audit trail, by name."""
    with reading(source) as cursor:
        rows = cursor.execute(_EVENT_TYPES, (employee_id,)).fetchall()
    return [row["event_type"] for row in rows]
