"""Connections of the projections' own: dedicated sessions beside the ledger's pool."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from eventsourcing.postgres import PostgresDatastore
from psycopg.conninfo import make_conninfo
from psycopg.rows import DictRow, dict_row

Connection = psycopg.Connection[DictRow]


def conninfo_of(datastore: PostgresDatastore) -> str:
    """The connection string of the datastore's pool, for sessions of our own."""
    pool = datastore.pool
    conninfo = pool.conninfo() if callable(pool.conninfo) else pool.conninfo
    given = pool.kwargs() if callable(pool.kwargs) else pool.kwargs
    kwargs: dict[str, Any] = {k: v for k, v in (given or {}).items() if k != "row_factory"}
    return make_conninfo(conninfo, **kwargs)


def connect(conninfo: str, application_name: str = "projections") -> Connection:
    """An autocommit session with dict rows; transactions are opened explicitly."""
    return psycopg.connect(
        conninfo, autocommit=True, row_factory=dict_row, application_name=application_name
    )


@contextmanager
def session(target: PostgresDatastore | str) -> Iterator[Connection]:
    """A connection from the datastore's pool, or a new one from a connection string."""
    if isinstance(target, PostgresDatastore):
        with target.get_connection() as conn:
            yield conn
        return
    with connect(target) as own:
        yield own
