"""Throw-away databases for the test suite and the benchmark.

The server is, in order: the one named by ``LEDGER_TEST_DATABASE_URL``; a PostgreSQL answering
on 127.0.0.1:5432; otherwise the embedded server from ``pgserver`` in a folder of its own.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import psycopg
from psycopg import sql

from ledger.config import test_database_url, test_server_embedded
from ledger.store.database import DatabaseAddress
from ledger.store.embedded import start_embedded

LOCAL_SERVER = DatabaseAddress("postgres", "127.0.0.1", "5432", "postgres", "")


def answers(address: DatabaseAddress) -> bool:
    try:
        with psycopg.connect(address.conninfo(), connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


def scratch_server(embedded_dir: Path) -> DatabaseAddress:
    """An address with the right to create databases."""
    url = test_database_url()
    if url:
        return DatabaseAddress.from_url(url)
    if not test_server_embedded() and answers(LOCAL_SERVER):
        return LOCAL_SERVER
    return start_embedded(embedded_dir, dbname="postgres")


def create_database(server: DatabaseAddress, prefix: str) -> DatabaseAddress:
    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(server.conninfo(), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return DatabaseAddress(name, server.host, server.port, server.user, server.password)


def drop_database(server: DatabaseAddress, database: DatabaseAddress) -> None:
    with psycopg.connect(server.conninfo(), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(database.dbname)
            )
        )
