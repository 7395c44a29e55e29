from __future__ import annotations

import pytest

from ledger.store.database import DatabaseAddress
from projections import init_projections


@pytest.fixture
def conninfo(fresh_database: DatabaseAddress) -> str:
    """The test's own database, with the projections schema."""
    info = fresh_database.conninfo()
    init_projections(info)
    return info
