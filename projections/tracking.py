"""The tracking table: how far each view has come, at which version, and how it fares.

Every function takes the cursor of the caller's transaction, so a view's rows and its
tracking row commit together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from psycopg import Cursor, sql
from psycopg.rows import DictRow

from projections.errors import TrackingConflict
from projections.schema import CHANNEL, SCHEMA, SHADOW_SUFFIX, TRACKING_TABLE
from projections.statements import composed

Status = Literal["running", "stopped", "failed", "rebuilding"]

_TABLE = sql.Identifier(SCHEMA, TRACKING_TABLE)
_COLUMNS = sql.SQL("view_name, position, version, status, error, error_position, updated_at")
_SELECT = sql.SQL("SELECT {} FROM {}").format(_COLUMNS, _TABLE)
_LOCK = composed(_SELECT + sql.SQL(" WHERE view_name = %s FOR UPDATE"))
_READ = _SELECT + sql.SQL(" WHERE view_name = %s")
_READ_ALL = _SELECT + sql.SQL(" ORDER BY view_name")
_EXISTS = sql.SQL("SELECT to_regclass(%s) IS NOT NULL AS present")
_START = sql.SQL(
    "INSERT INTO {} (view_name, position, version, status) VALUES (%s, %s, %s, %s)"
    " ON CONFLICT (view_name) DO UPDATE SET position = excluded.position,"
    " version = excluded.version, status = excluded.status, updated_at = clock_timestamp()"
).format(_TABLE)
_ADVANCE = composed(
    sql.SQL(
        "WITH moved AS (UPDATE {} SET position = %s, updated_at = clock_timestamp()"
        " WHERE view_name = %s AND position = %s RETURNING view_name)"
        " SELECT pg_notify(%s, %s) FROM moved"
    ).format(_TABLE)
)
_PASS = composed(
    sql.SQL(
        "WITH moved AS (UPDATE {} SET position = %s, updated_at = clock_timestamp()"
        " WHERE view_name = %s AND position = %s AND version = %s RETURNING view_name)"
        " SELECT pg_notify(%s, %s) FROM moved"
    ).format(_TABLE)
)
_NOTIFY = sql.SQL("SELECT pg_notify(%s, %s)")
_STATUS = sql.SQL(
    "UPDATE {} SET status = %s, updated_at = clock_timestamp() WHERE view_name = %s"
).format(_TABLE)
_FAILED = sql.SQL(
    "UPDATE {} SET status = 'failed', error = %s, error_position = %s,"
    " updated_at = clock_timestamp() WHERE view_name = %s"
).format(_TABLE)
_SWAPPED = sql.SQL(
    "UPDATE {} SET position = %s, version = %s, status = 'running',"
    " updated_at = clock_timestamp() WHERE view_name = %s"
).format(_TABLE)
_REQUEST_REBUILD = sql.SQL(
    "UPDATE {} SET version = NULL, updated_at = clock_timestamp() WHERE view_name = %s"
).format(_TABLE)
_DELETE = sql.SQL("DELETE FROM {} WHERE view_name = %s").format(_TABLE)
_POSITIONS_ALL = composed(sql.SQL("SELECT view_name, position FROM {}").format(_TABLE))
_POSITIONS = composed(
    sql.SQL("SELECT view_name, position FROM {} WHERE view_name = ANY(%s)").format(_TABLE)
)


@dataclass(frozen=True)
class TrackingRow:
    view_name: str
    position: int
    version: int | None
    status: Status
    error: str | None
    error_position: int | None
    updated_at: datetime

    @property
    def is_shadow(self) -> bool:
        return self.view_name.endswith(SHADOW_SUFFIX)


def shadow_key(view_name: str) -> str:
    """The tracking row of a rebuild in progress, beside the live view's row."""
    return f"{view_name}{SHADOW_SUFFIX}"


def _row(row: DictRow | None) -> TrackingRow | None:
    return None if row is None else TrackingRow(**row)


def lock(cursor: Cursor[DictRow], key: str) -> TrackingRow | None:
    return _row(cursor.execute(_LOCK, (key,), prepare=True).fetchone())


def read(cursor: Cursor[DictRow], key: str) -> TrackingRow | None:
    return _row(cursor.execute(_READ, (key,)).fetchone())


def read_all(cursor: Cursor[DictRow]) -> list[TrackingRow]:
    """Every row; none before ``init_projections`` has created the table."""
    found = cursor.execute(_EXISTS, (f"{SCHEMA}.{TRACKING_TABLE}",)).fetchone()
    if not (found and found["present"]):
        return []
    return [TrackingRow(**row) for row in cursor.execute(_READ_ALL).fetchall()]


def positions(cursor: Cursor[DictRow], keys: Sequence[str]) -> dict[str, int]:
    rows = cursor.execute(_POSITIONS, (list(keys),), prepare=True).fetchall()
    return {row["view_name"]: row["position"] for row in rows}


def positions_all(cursor: Cursor[DictRow]) -> dict[str, int]:
    rows = cursor.execute(_POSITIONS_ALL, prepare=True).fetchall()
    return {row["view_name"]: row["position"] for row in rows}


def start(cursor: Cursor[DictRow], key: str, position: int, version: int, status: Status) -> None:
    cursor.execute(_START, (key, position, version, status))


def advance(cursor: Cursor[DictRow], key: str, previous: int, position: int) -> None:
    """Move the position on, only from where it was read; tell the waiters (in the same
    statement: one round trip a page)."""
    payload = f"{key} {position}"
    cursor.execute(_ADVANCE, (position, key, previous, CHANNEL, payload), prepare=True)
    if cursor.rowcount != 1:
        raise TrackingConflict(f"{key}: the position moved on from {previous} meanwhile")


def pass_on(cursor: Cursor[DictRow], key: str, previous: int, position: int, version: int) -> bool:
    """Move the position on past events the view has nothing to do with, in one statement
    of its own; False (nothing done) unless it stood at ``previous`` at ``version``."""
    payload = f"{key} {position}"
    cursor.execute(_PASS, (position, key, previous, version, CHANNEL, payload), prepare=True)
    return cursor.rowcount == 1


def notify(cursor: Cursor[DictRow], key: str, position: int) -> None:
    cursor.execute(_NOTIFY, (CHANNEL, f"{key} {position}"), prepare=True)


def set_status(cursor: Cursor[DictRow], key: str, status: Status) -> None:
    cursor.execute(_STATUS, (status, key))


def record_failure(cursor: Cursor[DictRow], key: str, error: str, position: int | None) -> None:
    cursor.execute(_FAILED, (error, position, key))


def swapped(cursor: Cursor[DictRow], key: str, position: int, version: int) -> None:
    cursor.execute(_SWAPPED, (position, version, key))
    notify(cursor, key, position)


def request_rebuild(cursor: Cursor[DictRow], key: str) -> bool:
    """Forget the stored version, so the view's runner rebuilds it; False if untracked."""
    cursor.execute(_REQUEST_REBUILD, (key,))
    return cursor.rowcount == 1


def delete(cursor: Cursor[DictRow], key: str) -> None:
    cursor.execute(_DELETE, (key,))
