from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from ledger.store.database import DatabaseAddress
from projections import init_projections


@pytest.fixture
def conninfo(fresh_database: DatabaseAddress) -> str:
    """The test's own database, with the projections schema."""
    info = fresh_database.conninfo()
    init_projections(info)
    return info


@pytest.fixture
def reader(conninfo: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """A connection for the queries, as the API would hold one."""
    with psycopg.connect(conninfo) as conn:
        yield conn
