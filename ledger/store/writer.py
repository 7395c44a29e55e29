"""The one connection a process appends through.

Every write takes the events table's exclusive lock, so a process's writes run one at a time
whatever it does. Taking a pooled connection per write spreads them over every backend of the
pool, first in first out, and each one has to be woken and warmed again; one connection kept
for writing stays warm, and writers queue on a lock here rather than on the table's in the
server. A connection found broken is dropped and the next write opens another.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError, PersistenceError
from eventsourcing.postgres import PostgresDatastore
from psycopg.conninfo import make_conninfo
from psycopg.rows import DictRow, dict_row


class WriteTimeout(PersistenceError):
    """The table lock, or this process's write connection, stayed busy past the lock timeout.

    Not an OperationalError, so the library does not retry it: waiting again as long would
    only make the caller wait longer for the same answer.
    """


class WriteConnection:
    def __init__(self, datastore: PostgresDatastore) -> None:
        self._datastore = datastore
        self._wait_seconds = float(datastore.lock_timeout or -1)
        self._lock = threading.Lock()
        self._connection: psycopg.Connection[DictRow] | None = None

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[DictRow]]:
        """The write connection, held by the caller alone until the block ends.

        Raises WriteTimeout when it, or the table lock, stays busy longer than the lock
        timeout, and the library's OperationalError when the connection fails (then dropped).
        """
        if not self._lock.acquire(timeout=self._wait_seconds):
            raise WriteTimeout("timed out waiting for this process's write connection")
        try:
            yield self._open()
        except psycopg.errors.LockNotAvailable as exc:
            raise WriteTimeout(str(exc)) from exc
        except psycopg.OperationalError as exc:
            self._drop()
            raise OperationalError(str(exc)) from exc
        except psycopg.InterfaceError as exc:
            self._drop()
            raise InterfaceError(str(exc)) from exc
        finally:
            self._lock.release()

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _open(self) -> psycopg.Connection[DictRow]:
        if self._connection is None or self._connection.closed:
            connection = psycopg.connect(self._conninfo(), row_factory=dict_row)
            self._datastore.after_connect_func()(connection)
            if self._wait_seconds > 0:
                timeout = f"{int(self._wait_seconds * 1000)}ms"
                connection.execute("SELECT set_config('lock_timeout', %s, false)", (timeout,))
            self._connection = connection
        return self._connection

    def _conninfo(self) -> str:
        """The pool's own connection parameters, as one string."""
        pool = self._datastore.pool
        kwargs = pool.kwargs if isinstance(pool.kwargs, dict) else {}
        params = {k: v for k, v in kwargs.items() if isinstance(v, str | int)}
        return make_conninfo(str(pool.conninfo or ""), **params)

    def _drop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
