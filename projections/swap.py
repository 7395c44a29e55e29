"""The swap: shadow tables take the live names, with the tracking row, in one transaction."""

from __future__ import annotations

import logging
from threading import Event

import psycopg
from psycopg import Cursor, sql
from psycopg.rows import DictRow

from projections import tracking
from projections.connection import Connection
from projections.errors import TrackingConflict
from projections.page import Target
from projections.schema import SHADOW_SUFFIX
from projections.view import LIVE, SHADOW, TableNames, View

log = logging.getLogger(__name__)

_DEPENDENTS = sql.SQL(
    "SELECT c.relname AS name, c.relkind AS kind FROM pg_class c"
    " WHERE c.relnamespace = %(schema)s::regnamespace AND ("
    "  c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = %(table)s::regclass)"
    "  OR c.oid IN (SELECT objid FROM pg_depend WHERE refobjid = %(table)s::regclass"
    "   AND classid = 'pg_class'::regclass AND deptype IN ('a', 'i')))"
    " AND c.relkind IN ('i', 'S')"
)
_SWAP_LOCK_TIMEOUT = sql.SQL("SET LOCAL lock_timeout = '2s'")
_KINDS = {"i": sql.SQL("INDEX"), "S": sql.SQL("SEQUENCE")}


def swap(conn: Connection, view: View, target: Target, stop: Event | None) -> bool:
    """Swap, without queueing readers for long behind a reader that holds a live table."""
    while True:
        try:
            _swap_once(conn, view, target)
        except psycopg.errors.LockNotAvailable:
            log.info("view %s: a reader holds a live table; swapping again", view.name)
            if stop is not None and stop.is_set():
                return False
        else:
            return True


def _swap_once(conn: Connection, view: View, target: Target) -> None:
    with conn.transaction():
        cursor = conn.cursor()
        cursor.execute(_SWAP_LOCK_TIMEOUT)
        tracking.lock(cursor, view.name)
        shadow = tracking.lock(cursor, target.key)
        if shadow is None:
            raise TrackingConflict(f"{target.key}: the shadow tracking row vanished")
        for table in view.tables:
            _swap_table(cursor, table)
        tracking.swapped(cursor, view.name, shadow.position, view.version)
        tracking.delete(cursor, target.key)


def _swap_table(cursor: Cursor[DictRow], table: str) -> None:
    cursor.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(LIVE[table]))
    cursor.execute(
        sql.SQL("ALTER TABLE {} RENAME TO {}").format(SHADOW[table], sql.Identifier(table))
    )
    _rename_dependents(cursor, LIVE, table)


def _rename_dependents(cursor: Cursor[DictRow], tables: TableNames, table: str) -> None:
    """Indexes and sequences keep their shadow names through a rename: drop the suffix."""
    qualified = sql.Identifier(tables.schema, table).as_string(cursor)
    params = {"schema": tables.schema, "table": qualified}
    for row in cursor.execute(_DEPENDENTS, params).fetchall():
        name: str = row["name"]
        if SHADOW_SUFFIX not in name:
            continue
        cursor.execute(
            sql.SQL("ALTER {} {} RENAME TO {}").format(
                _KINDS[row["kind"]],
                sql.Identifier(tables.schema, name),
                sql.Identifier(name.replace(SHADOW_SUFFIX, "")),
            )
        )
