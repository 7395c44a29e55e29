"""Where the database is, and creating the ledger's tables there once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment

from ledger.config import Settings
from ledger.store.database import APPLICATION_NAME, DatabaseAddress, library_env
from ledger.store.embedded import embedded_server


@contextmanager
def database_address(settings: Settings) -> Iterator[DatabaseAddress]:
    """The configured server; or, for the block, the embedded one in the data folder."""
    if settings.database_url:
        yield DatabaseAddress.from_url(settings.database_url)
        return
    with embedded_server(settings.data_dir) as address:
        yield address


def init_schema(address: DatabaseAddress, settings: Settings) -> None:
    """Create the events table, the chain, the idempotency keys and the guards (idempotent)."""
    env = Environment(APPLICATION_NAME, library_env(address, settings, create_table=True))
    factory = InfrastructureFactory.construct(env)
    try:
        factory.application_recorder()
    finally:
        factory.close()
