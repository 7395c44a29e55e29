"""The embedded default: a private PostgreSQL server from the ``pgserver`` wheel."""

from __future__ import annotations

from pathlib import Path

import psycopg
from psycopg import sql

from ledger.store.database import DatabaseAddress

EMBEDDED_DATABASE = "ledger"


def start_embedded(data_dir: Path, dbname: str = EMBEDDED_DATABASE) -> DatabaseAddress:
    """Start (or reuse) the server in ``data_dir/postgres`` and make sure ``dbname`` exists."""
    from pgserver.postgres_server import get_server  # only needed when no URL is configured

    data_dir.mkdir(parents=True, exist_ok=True)
    server = get_server(str((data_dir / "postgres").resolve()))
    admin = DatabaseAddress.from_url(server.get_uri())
    ensure_database(admin, dbname)
    return DatabaseAddress(dbname, admin.host, admin.port, admin.user, admin.password)


def ensure_database(admin: DatabaseAddress, dbname: str) -> None:
    with psycopg.connect(admin.conninfo(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
