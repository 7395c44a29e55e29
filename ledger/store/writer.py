"""The one connection a process appends through.

Every write takes the events table's exclusive lock, so a process's writes run one at a time
whatever it does. Taking a pooled connection per write spreads them over every backend of the
pool, first in first out, and each one has to be woken and warmed again; one connection kept
for writing stays warm. A thread that finds it taken writes through the pool instead and
waits at the table lock, never here: a lock held in Python would also be held while its
thread waits for the interpreter. A connection found broken is dropped and the next write
opens another.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from eventsourcing.persistence import (
    DatabaseError,
    DataError,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    PersistenceError,
    ProgrammingError,
)
from eventsourcing.postgres import PostgresDatastore
from psycopg.conninfo import make_conninfo
from psycopg.rows import DictRow, dict_row


class WriteTimeout(PersistenceError):
    """The table lock stayed held past the lock timeout.

    Not an OperationalError, so the library does not retry it: waiting again as long would
    only make the caller wait longer for the same answer.
    """


# The library's family, as PostgresDatastore.get_connection translates psycopg's: the first
# class an error is an instance of decides, subclasses before their bases.
LIBRARY_ERRORS: tuple[tuple[type[psycopg.Error], type[PersistenceError]], ...] = (
    (psycopg.errors.LockNotAvailable, WriteTimeout),
    (psycopg.InterfaceError, InterfaceError),
    (psycopg.OperationalError, OperationalError),
    (psycopg.DataError, DataError),
    (psycopg.IntegrityError, IntegrityError),
    (psycopg.InternalError, InternalError),
    (psycopg.ProgrammingError, ProgrammingError),
    (psycopg.NotSupportedError, NotSupportedError),
    (psycopg.DatabaseError, DatabaseError),
    (psycopg.Error, PersistenceError),
)


def library_error(error: psycopg.Error) -> PersistenceError:
    """The library's exception for ``error``, so a write raises the same on either path."""
    kind = next(kind for raised, kind in LIBRARY_ERRORS if isinstance(error, raised))
    return kind(str(error))


class WriteConnection:
    def __init__(self, datastore: PostgresDatastore) -> None:
        self._datastore = datastore
        self._lock = threading.Lock()
        self._connection: psycopg.Connection[DictRow] | None = None

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[DictRow]]:
        """The warm write connection if no other thread of the process holds it, else one
        from the pool: a thread never waits here for another, only at the table lock.

        Either way a psycopg error leaves as the library's (see ``library_error``):
        WriteTimeout when the table lock stays held past the lock timeout, OperationalError
        or InterfaceError when the connection fails, DataError for a value out of range.
        """
        if self._lock.acquire(blocking=False):
            try:
                with self._translated(warm=True):
                    yield self._open()
            finally:
                self._lock.release()
        else:
            with self._datastore.get_connection() as pooled, self._translated(warm=False):
                yield pooled

    def close(self) -> None:
        with self._lock:
            self._drop()

    @contextmanager
    def _translated(self, *, warm: bool) -> Iterator[None]:
        try:
            yield
        except psycopg.Error as exc:
            if warm and self._lost():
                self._drop()
            raise library_error(exc) from exc

    def _open(self) -> psycopg.Connection[DictRow]:
        if self._connection is None or self._connection.closed:
            connection = psycopg.connect(self._conninfo(), row_factory=dict_row)
            self._datastore.after_connect_func()(connection)
            self._connection = connection
        return self._connection

    def _conninfo(self) -> str:
        """The pool's own connection parameters, as one string."""
        pool = self._datastore.pool
        kwargs = pool.kwargs if isinstance(pool.kwargs, dict) else {}
        params = {k: v for k, v in kwargs.items() if isinstance(v, str | int)}
        return make_conninfo(str(pool.conninfo or ""), **params)

    def _lost(self) -> bool:
        """Closed under us: psycopg counts a connection that broke as closed."""
        return self._connection is not None and self._connection.closed

    def _drop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
