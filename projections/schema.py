"""The ``projections`` schema: where read models and their tracking rows live."""

from __future__ import annotations

import hashlib

from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from projections.connection import session

SCHEMA = "projections"
SHADOW_SUFFIX = "__shadow"
CHANNEL = "projections"
TRACKING_TABLE = "tracking"

_NAMES = {"schema": sql.Identifier(SCHEMA), "tracking": sql.Identifier(TRACKING_TABLE)}
_LOCK = sql.SQL("SELECT pg_advisory_xact_lock(%s)")
_CREATE_TEMPLATES = [
    sql.SQL("CREATE SCHEMA IF NOT EXISTS {schema}"),
    sql.SQL(
        "CREATE TABLE IF NOT EXISTS {schema}.{tracking} ("
        " view_name text PRIMARY KEY,"
        " position bigint NOT NULL DEFAULT 0,"
        " version integer,"
        " status text NOT NULL"
        "  CHECK (status IN ('running', 'stopped', 'failed', 'rebuilding')),"
        " error text,"
        " error_position bigint,"
        " updated_at timestamptz NOT NULL DEFAULT clock_timestamp())"
    ),
]
_CREATE = [statement.format(**_NAMES) for statement in _CREATE_TEMPLATES]


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for a PostgreSQL advisory lock named ``name``."""
    digest = hashlib.sha256(f"{SCHEMA}:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def init_projections(target: PostgresDatastore | str) -> None:
    """Create the schema and the tracking table (idempotent, safe from several processes)."""
    with session(target) as conn, conn.transaction():
        conn.execute(_LOCK, (advisory_key("init"),))
        for statement in _CREATE:
            conn.execute(statement)
