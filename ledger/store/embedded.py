"""The embedded default: a private PostgreSQL server from the ``pgserver`` wheel.

pgserver lists, in the data folder, the processes using its server, and the last one to let
go stops it. A process killed outright never lets go, and its pid would keep the server
running for good; so the dead are struck off the list as a process joins and as it leaves:
the next process to use the folder adopts the server a killed one left running, and stops
it when done. What the folder's ``postmaster.pid`` says is checked first (``postmaster``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, cast

import psycopg
from psycopg import sql

from ledger.store.database import DatabaseAddress
from ledger.store.postmaster import running, settle_pid_file

if TYPE_CHECKING:
    from pgserver.postgres_server import PostgresServer

EMBEDDED_DATABASE = "ledger"
USERS_FILE = ".handle_pids.json"  # pgserver's list of the processes using the server


def start_embedded(data_dir: Path, dbname: str = EMBEDDED_DATABASE) -> DatabaseAddress:
    """Start (or join) the server in ``data_dir/postgres``, stopped when this process exits
    unless another still uses it, and make sure ``dbname`` exists."""
    return database_on(join(data_dir), dbname)


@contextmanager
def embedded_server(data_dir: Path, dbname: str = EMBEDDED_DATABASE) -> Iterator[DatabaseAddress]:
    """The server in ``data_dir/postgres`` for the block: started or joined on entry; on
    leaving, stopped unless another process (or an enclosing block) still uses it."""
    with join(data_dir) as server:
        try:
            yield database_on(server, dbname)
        finally:
            with lock():
                forget_dead_users(server.pgdata)


def join(data_dir: Path) -> PostgresServer:
    from pgserver.postgres_server import get_server  # only needed when no URL is configured

    pgdata = (data_dir / "postgres").resolve()
    pgdata.mkdir(parents=True, exist_ok=True)
    with lock():
        forget_dead_users(pgdata)
        settle_pid_file(pgdata)
    return get_server(pgdata)


def lock() -> AbstractContextManager[object]:
    """The lock pgserver holds while it starts, joins and stops a server, across processes."""
    from pgserver.postgres_server import PostgresServer

    return cast(AbstractContextManager[object], PostgresServer._lock)


def forget_dead_users(pgdata: Path) -> None:
    from pgserver.utils import DiskList

    users = DiskList(pgdata / USERS_FILE)
    alive = [pid for pid in users.get() if running(pid)]
    if alive != users.get():
        users.put(alive)


def database_on(server: PostgresServer, dbname: str) -> DatabaseAddress:
    admin = DatabaseAddress.from_url(server.get_uri())
    ensure_database(admin, dbname)
    return DatabaseAddress(dbname, admin.host, admin.port, admin.user, admin.password)


def ensure_database(admin: DatabaseAddress, dbname: str) -> None:
    with psycopg.connect(admin.conninfo(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
