"""Which aggregates changed, and at which position: read in a thread that the ledger's
channel wakes up, so a process learns of other processes' writes within a notification.

The channel only wakes the thread; the events table is the truth. Positions appear in commit
order (every write takes the table lock), so reading every position after the last one read
misses nothing, whatever notifications were lost while the connection was down.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import cast
from uuid import UUID

import psycopg
from psycopg import sql

BATCH = 10_000
REMEMBERED = 100_000
"""How many aggregates' last change the feed remembers; older changes count as at ``floor``."""
WAKE_UP_SECONDS = 0.5
RECONNECT_SECONDS = 0.5


class ChangeFeed:
    def __init__(self, conninfo: str, schema: str, events_table: str, channel: str) -> None:
        self._conninfo = conninfo
        self._listen = sql.SQL("LISTEN {}").format(sql.Identifier(channel))
        self._head = sql.SQL("SELECT coalesce(max(notification_id), 0) FROM {}.{}").format(
            sql.Identifier(schema), sql.Identifier(events_table)
        )
        self._changes = sql.SQL(
            "SELECT notification_id, originator_id FROM {}.{}"
            " WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
        ).format(sql.Identifier(schema), sql.Identifier(events_table))
        self._lock = threading.Lock()
        self._changed: OrderedDict[UUID, int] = OrderedDict()
        self._position: int | None = None
        self._floor = 0
        self._live = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        with self._lock:
            if self._thread is None and not self._stop.is_set():
                self._thread = threading.Thread(target=self._run, name="change feed", daemon=True)
                self._thread.start()

    def close(self) -> None:
        """Stop following: at once for ``position`` and ``changed_since``; the thread itself
        ends, closing its connection, within ``WAKE_UP_SECONDS``."""
        self._stop.set()
        self._set_live(False)

    def position(self) -> int | None:
        """Every change up to here is known, while the feed is live; None while it is not."""
        with self._lock:
            return self._position if self._live else None

    def changed_since(self, aggregate_id: UUID, position: int) -> bool:
        """Whether the aggregate may have changed after ``position`` (True when unsure)."""
        with self._lock:
            if not self._live or self._position is None:
                return True
            return self._changed.get(aggregate_id, self._floor) > position

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as conn:
                    conn.execute(self._listen)
                    self._follow(conn)
            except psycopg.Error:
                self._set_live(False)
                self._stop.wait(RECONNECT_SECONDS)
        self._set_live(False)

    def _follow(self, conn: psycopg.Connection[tuple[object, ...]]) -> None:
        if self._position is None:
            row = cast("tuple[int] | None", conn.execute(self._head).fetchone())
            self._start_at(row[0] if row else 0)
        while not self._stop.is_set():
            self._read(conn)
            self._set_live(True)
            for _ in conn.notifies(timeout=WAKE_UP_SECONDS, stop_after=1):
                pass

    def _read(self, conn: psycopg.Connection[tuple[object, ...]]) -> None:
        while True:
            assert self._position is not None
            fetched = conn.execute(self._changes, (self._position, BATCH)).fetchall()
            rows = cast("list[tuple[int, UUID]]", fetched)
            if rows:
                self._note(rows, rows[-1][0])
            if len(rows) < BATCH:
                return

    def _start_at(self, position: int) -> None:
        with self._lock:
            self._position = self._floor = position

    def _note(self, changes: list[tuple[int, UUID]], upto: int) -> None:
        with self._lock:
            for position, aggregate_id in changes:
                self._changed[aggregate_id] = position
                self._changed.move_to_end(aggregate_id)
            while len(self._changed) > REMEMBERED:
                _, forgotten = self._changed.popitem(last=False)
                self._floor = max(self._floor, forgotten)
            self._position = upto

    def _set_live(self, live: bool) -> None:
        with self._lock:
            self._live = live and not self._stop.is_set()
