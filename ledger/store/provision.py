"""Where the database is, and creating the ledger's tables there once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment
from psycopg import sql

from ledger.config import Settings
from ledger.store.database import (
    APPLICATION_NAME,
    EVENTS_TABLE,
    SCHEMA,
    SNAPSHOTS,
    DatabaseAddress,
    connect,
    library_env,
)
from ledger.store.embedded import embedded_server
from ledger.store.schema import backfill_function_name


@contextmanager
def database_address(settings: Settings) -> Iterator[DatabaseAddress]:
    """The configured server; or, for the block, the embedded one in the data folder."""
    if settings.database_url:
        yield DatabaseAddress.from_url(settings.database_url)
        return
    with embedded_server(settings.data_dir) as address:
        yield address


def init_schema(address: DatabaseAddress, settings: Settings) -> None:
    """Create the events table, the chain, the idempotency keys, the guards and the snapshots
    table (idempotent)."""
    env = Environment(APPLICATION_NAME, library_env(address, settings, create_table=True))
    factory = InfrastructureFactory.construct(env)
    try:
        factory.application_recorder()
        factory.aggregate_recorder(purpose=SNAPSHOTS)
    finally:
        factory.close()
    grow_tree(address)


def grow_tree(address: DatabaseAddress) -> int:
    """Add the Merkle tree's leaves of events recorded before the tree existed; how many."""
    statement = sql.SQL("SELECT {}.{}()").format(
        sql.Identifier(SCHEMA), sql.Identifier(backfill_function_name(EVENTS_TABLE))
    )
    with connect(address) as conn:
        row = conn.execute(statement).fetchone()
    return int(str(row[0])) if row else 0
