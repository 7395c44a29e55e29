"""Read your writes: wait, bounded, until views have reached a ledger position.

Runners NOTIFY the ``projections`` channel after each committed page ("<view> <position>");
that only wakes the waiter up early. The tracking table is the truth, read again at least
every ``poll_interval`` seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from threading import Condition, Event, Thread
from time import monotonic

import psycopg
from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from ledger.store.writer import library_error
from projections import tracking
from projections.connection import Connection, connect, conninfo_of
from projections.schema import CHANNEL

log = logging.getLogger(__name__)

_LISTEN = sql.SQL("LISTEN {}").format(sql.Identifier(CHANNEL))
_SLICE = 0.1

Views = str | Sequence[str]


def wait_for(
    target: PostgresDatastore | str,
    views: Views,
    position: int,
    timeout: float,
    *,
    poll_interval: float = 0.5,
) -> bool:
    """True once every named view has reached ``position``; False after ``timeout`` seconds.

    A fault of the database (a lost connection, say) leaves as the library's exception, as
    the event store's do: OperationalError or InterfaceError, for the caller to retry.
    """
    names = _names(views)
    deadline = monotonic() + timeout
    conninfo = target if isinstance(target, str) else conninfo_of(target)
    try:
        with connect(conninfo, "projections wait") as conn:
            conn.execute(_LISTEN)
            while not _reached(tracking.positions(conn.cursor(), names), names, position):
                remaining = deadline - monotonic()
                if remaining <= 0:
                    return False
                for _ in conn.notifies(timeout=min(remaining, poll_interval), stop_after=1):
                    break
    except psycopg.Error as error:
        raise library_error(error) from error
    return True


class Waiter:
    """Many waiters on one listening session, for a server answering many requests.

    Positions only move forward (a rebuild swaps in a position at least as far), so a
    position seen here is a safe lower bound.
    """

    def __init__(self, target: PostgresDatastore | str, *, poll_interval: float = 0.5) -> None:
        self.conninfo = target if isinstance(target, str) else conninfo_of(target)
        self.poll_interval = poll_interval
        self._positions: dict[str, int] = {}
        self._changed = Condition()
        self._closing = Event()
        self._thread: Thread | None = None

    def wait_for(self, views: Views, position: int, timeout: float) -> bool:
        names = _names(views)
        deadline = monotonic() + timeout
        with self._changed:
            self._start()
            while not _reached(self._positions, names, position):
                remaining = deadline - monotonic()
                if remaining <= 0 or self._closing.is_set():
                    return False
                self._changed.wait(remaining)
            return True

    def close(self) -> None:
        self._closing.set()
        with self._changed:
            self._changed.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join()

    def __enter__(self) -> Waiter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        if self._thread is None and not self._closing.is_set():
            self._thread = Thread(target=self._listen, name="projections waiter", daemon=True)
            self._thread.start()

    def _listen(self) -> None:
        while not self._closing.is_set():
            try:
                with connect(self.conninfo, "projections waiter") as conn:
                    conn.execute(_LISTEN)
                    self._follow(conn)
            except psycopg.Error as error:
                log.warning("waiter: session lost, reconnecting: %s", error)
                self._closing.wait(self.poll_interval)

    def _follow(self, conn: Connection) -> None:
        refreshed = float("-inf")
        while not self._closing.is_set():
            if monotonic() - refreshed >= self.poll_interval:
                self._replace(tracking.positions_all(conn.cursor()))
                refreshed = monotonic()
            for note in conn.notifies(timeout=_SLICE):
                name, _, reached = note.payload.rpartition(" ")
                if reached.isdigit():
                    self._raise(name, int(reached))

    def _replace(self, positions: dict[str, int]) -> None:
        """The table's positions: the truth, newer than any notification taken before."""
        with self._changed:
            self._positions = positions
            self._changed.notify_all()

    def _raise(self, name: str, position: int) -> None:
        """A notification may arrive after a newer reading of the table: keep the higher."""
        with self._changed:
            self._positions[name] = max(position, self._positions.get(name, position))
            self._changed.notify_all()


def _names(views: Views) -> list[str]:
    return [views] if isinstance(views, str) else list(views)


def _reached(positions: dict[str, int], names: Sequence[str], position: int) -> bool:
    return all(positions.get(name, -1) >= position for name in names)
