"""How each view fares: position, the ledger's head, lag, version, status, last error."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from eventsourcing.application import Application
from psycopg import Cursor, sql
from psycopg.rows import DictRow

from projections import tracking
from projections.schema import advisory_key
from projections.source import EventSource, ledger_recorder
from projections.tracking import TrackingRow
from projections.view import View

_LEADER = sql.SQL(
    "SELECT a.application_name AS leader FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
    " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
    " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    " AND l.classid = %s::bigint::oid AND l.objid = %s::bigint::oid"
)


_LED = frozenset({"running", "rebuilding"})
"""Statuses that only a runner holding the view's lock keeps true."""


@dataclass(frozen=True)
class ViewStatus:
    """``lag`` counts positions behind the head (positions may have holes).

    ``status`` is "new" for a view in the code that never ran, and "stopped" for one whose
    tracking row says it runs or rebuilds while no runner holds it (its runner died);
    ``leader`` names the session of the runner holding the view, if any;
    ``rebuild_position`` is how far a rebuild in progress has come.
    """

    name: str
    position: int
    head: int
    lag: int
    version: int | None
    code_version: int | None
    status: str
    error: str | None
    error_position: int | None
    updated_at: datetime | None
    leader: str | None
    rebuild_position: int | None


def view_status(app: Application[UUID], views: Sequence[View] = ()) -> list[ViewStatus]:
    """Every tracked view, and every given view not tracked yet, by name."""
    source = EventSource.of(app)
    code = {view.name: view.version for view in views}
    with ledger_recorder(app).datastore.transaction(commit=False) as cursor:
        head = source.head(cursor)
        rows = {row.view_name: row for row in tracking.read_all(cursor)}
        names = sorted({name for name in rows if not rows[name].is_shadow} | set(code))
        return [_status(cursor, name, rows, head, code.get(name)) for name in names]


def _status(
    cursor: Cursor[DictRow],
    name: str,
    rows: dict[str, TrackingRow],
    head: int,
    code_version: int | None,
) -> ViewStatus:
    row = rows.get(name)
    shadow = rows.get(tracking.shadow_key(name))
    position = row.position if row else 0
    leader = _leader(cursor, name)
    ahead = position > head
    return ViewStatus(
        name=name,
        position=position,
        head=head,
        lag=max(head - position, 0),
        version=row.version if row else None,
        code_version=code_version,
        status="ahead" if ahead else _shown(row, leader),
        error=_ahead(position, head) if ahead else row.error if row else None,
        error_position=row.error_position if row else None,
        updated_at=row.updated_at if row else None,
        leader=leader,
        rebuild_position=shadow.position if shadow else None,
    )


def _ahead(position: int, head: int) -> str:
    return (
        f"the view stands at position {position}, past the ledger's head {head}: it holds"
        " events the ledger no longer has; rebuild it"
    )


def _shown(row: TrackingRow | None, leader: str | None) -> str:
    """The recorded status, unless it claims a runner that is not there."""
    if row is None:
        return "new"
    if row.status in _LED and leader is None:
        return "stopped"
    return row.status


def _leader(cursor: Cursor[DictRow], name: str) -> str | None:
    key = advisory_key(name)
    row = cursor.execute(_LEADER, ((key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF)).fetchone()
    return str(row["leader"]) if row else None
