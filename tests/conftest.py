from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.store.database import DatabaseAddress
from ledger.store.master_key import generate_master_key_file
from ledger.store.provision import init_schema
from ledger.store.scratch import create_database, drop_database, scratch_server


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> DatabaseAddress:
    """A PostgreSQL server the tests may create databases on."""
    return scratch_server(tmp_path_factory.mktemp("embedded-postgres"))


@pytest.fixture(scope="session")
def master_key_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The session's master key; the ``ledger`` processes the tests start name it too."""
    path = tmp_path_factory.mktemp("keys") / "master-key"
    generate_master_key_file(path)
    before = os.environ.get("LEDGER_MASTER_KEY")
    os.environ["LEDGER_MASTER_KEY"] = str(path)
    yield path
    if before is None:
        del os.environ["LEDGER_MASTER_KEY"]
    else:
        os.environ["LEDGER_MASTER_KEY"] = before


@pytest.fixture(scope="session")
def settings(master_key_file: Path) -> Settings:
    return Settings(
        pool_size=2, max_overflow=4, lock_timeout_seconds=10, master_key=master_key_file
    )


@pytest.fixture(scope="session")
def database(pg_server: DatabaseAddress, settings: Settings) -> Iterator[DatabaseAddress]:
    """One database for the session, with the ledger's schema, dropped at the end."""
    address = create_database(pg_server, "ledger_test")
    init_schema(address, settings)
    yield address
    drop_database(pg_server, address)


@pytest.fixture
def fresh_database(pg_server: DatabaseAddress, settings: Settings) -> Iterator[DatabaseAddress]:
    """A database of the test's own, for tests that need a ledger nobody else writes to."""
    address = create_database(pg_server, "ledger_test_own")
    init_schema(address, settings)
    yield address
    drop_database(pg_server, address)


@pytest.fixture
def app(database: DatabaseAddress, settings: Settings) -> Iterator[LedgerApp]:
    """The application on the session's database; tests use random ids so they never collide."""
    ledger = LedgerApp(database, settings)
    yield ledger
    ledger.close()


@pytest.fixture
def own_app(fresh_database: DatabaseAddress, settings: Settings) -> Iterator[LedgerApp]:
    """The application on a database of the test's own."""
    ledger = LedgerApp(fresh_database, settings)
    yield ledger
    ledger.close()
