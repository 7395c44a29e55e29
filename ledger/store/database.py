"""From a PostgreSQL URL to the library's settings; connections for the ledger's own SQL."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

import psycopg
from psycopg.conninfo import conninfo_to_dict

from ledger.config import Settings
from ledger.errors import InvalidInput

APPLICATION_NAME = "Ledger"
EVENTS_TABLE = "ledger_events"
SCHEMA = "public"
SNAPSHOTS = "snapshots"
"""The purpose naming the snapshots table (``ledger_snapshots``): derived, not append-only."""


@dataclass(frozen=True)
class DatabaseAddress:
    dbname: str
    host: str
    port: str
    user: str
    password: str

    @classmethod
    def from_url(cls, url: str) -> DatabaseAddress:
        try:
            parts = conninfo_to_dict(url)
        except psycopg.ProgrammingError as exc:
            message = f"not a PostgreSQL URL: {exc}"
            raise InvalidInput(message, {"LEDGER_DATABASE_URL": message}) from None
        return cls(
            dbname=str(parts.get("dbname") or "postgres"),
            host=str(parts.get("host") or "127.0.0.1"),
            port=str(parts.get("port") or "5432"),
            user=str(parts.get("user") or "postgres"),
            password=str(parts.get("password") or ""),
        )

    def url(self) -> str:
        """The address as a ``postgresql://`` URL (a socket folder goes in ``?host=``)."""
        credentials = quote(self.user) + (f":{quote(self.password)}" if self.password else "")
        if self.host.startswith("/"):
            query = urlencode({"host": self.host, "port": self.port})
            return f"postgresql://{credentials}@/{quote(self.dbname)}?{query}"
        return f"postgresql://{credentials}@{self.host}:{self.port}/{quote(self.dbname)}"

    def conninfo(self) -> str:
        return psycopg.conninfo.make_conninfo(
            dbname=self.dbname,
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
        )


def library_env(
    address: DatabaseAddress, settings: Settings, *, create_table: bool
) -> dict[str, str]:
    """A complete environment for the library: nothing left to the process environment."""
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "APPLICATION_RECORDER_TOPIC": "ledger.store.recorder:LedgerRecorder",
        "POSTGRES_DBNAME": address.dbname,
        "POSTGRES_HOST": address.host,
        "POSTGRES_PORT": address.port,
        "POSTGRES_USER": address.user,
        "POSTGRES_PASSWORD": address.password,
        "POSTGRES_POOL_SIZE": str(settings.pool_size),
        "POSTGRES_MAX_OVERFLOW": str(settings.max_overflow),
        "POSTGRES_LOCK_TIMEOUT": str(settings.lock_timeout_seconds),
        "POSTGRES_CONNECT_TIMEOUT": "30",
        "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "30",
        "POSTGRES_PRE_PING": "n",
        "POSTGRES_SCHEMA": SCHEMA,
        "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
        "ORIGINATOR_ID_TYPE": "uuid",
        "CREATE_TABLE": "y" if create_table else "n",
        # The application keeps its own latest states and snapshots (see ledger.app.states):
        # the library's repository only rebuilds given versions from the events.
        "IS_SNAPSHOTTING_ENABLED": "n",
    }


def connect(
    address: DatabaseAddress, *, autocommit: bool = True
) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(address.conninfo(), autocommit=autocommit)
