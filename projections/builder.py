"""One view's shadow copy, built page by page from pages read for it, or for many views.

A builder holds the view's leadership session. Each page it is given lands in the view's
shadow tables in one transaction with the shadow tracking row, so every event is
applied exactly once, and an interrupted build resumes where its last page committed.
Once a page finds the ledger's head, the view settles what it left for later and the
shadow tables are swapped in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from threading import Event

from psycopg import sql

from projections import tracking
from projections.connection import Connection
from projections.errors import TrackingConflict, UnusableEvent, ViewFailed
from projections.page import Target, describe
from projections.source import EventSource, Page
from projections.swap import swap
from projections.view import LIVE, SHADOW, PositionedEvent, View

Progress = Callable[[int, int], None]
"""Told the events done and the events there are, after each page."""

_UNFLUSHED_COMMIT = sql.SQL("SET LOCAL synchronous_commit = off")
"""A shadow page need not wait for its commit to reach the disk: its rows and tracking row
commit as one, so a crash can only lose the latest pages whole, and the rebuild resumes
before them."""


QUIET_PAGES = 50
"""Pages without an event of the view it may pass before its tracking row moves."""


def begin(conn: Connection, view: View, target: Target) -> int:
    """Mark the view as rebuilding; start a shadow copy or resume the one begun before."""
    with conn.transaction():
        cursor = conn.cursor()
        if tracking.lock(cursor, view.name) is None:
            view.reset(cursor, LIVE)
            tracking.start(cursor, view.name, 0, view.version, "rebuilding")
        else:
            tracking.set_status(cursor, view.name, "rebuilding")
        shadow = tracking.lock(cursor, target.key)
        if shadow and shadow.version == view.version and not view.missing_tables(cursor, SHADOW):
            return shadow.position
        view.reset(cursor, SHADOW)
        tracking.start(cursor, target.key, 0, view.version, "rebuilding")
        return 0


def settle(conn: Connection, view: View, target: Target, stop: Event | None) -> bool:
    """Let the view finish what its pages left for later, a transaction at a time."""
    while True:
        with conn.transaction():
            cursor = conn.cursor()
            row = tracking.lock(cursor, target.key)
            if row is None or row.version != target.version:
                raise TrackingConflict(f"{target.key}: the shadow tracking row changed")
            if view.settle(cursor, target.tables, row.position):
                return True
        if stop is not None and stop.is_set():
            return False


def unread(error: Exception) -> Exception:
    """What a view stops with when its events could not be read for it."""
    if isinstance(error, UnusableEvent):
        return ViewFailed(describe(error), error.position)
    return error


def shadow_target(view: View) -> Target:
    return Target(tracking.shadow_key(view.name), SHADOW, view.version)


@dataclass(frozen=True)
class Applied:
    """What one page did to a build: events passed, and whether the shadow row was stale."""

    passed: int
    stale: bool = False


class Builder:
    """Builds ``view``'s shadow copy on ``conn``, which holds the view's leadership."""

    def __init__(self, conn: Connection, source: EventSource, view: View) -> None:
        self.conn = conn
        self.source = source
        self.view = view
        self.target = shadow_target(view)
        self.topics = frozenset(view.topics)
        self.position = 0
        self.reached = 0
        self.quiet = 0
        self.done = 0

    def begin(self) -> None:
        """Start or resume the shadow copy; ``done`` counts the events already behind it."""
        self.position = self.reached = begin(self.conn, self.view, self.target)
        self.quiet = 0
        self.done = self.source.count(self.conn.cursor(), 0, self.position)

    def total(self) -> int:
        cursor = self.conn.cursor()
        return self.source.count(cursor, 0, self.source.head(cursor))

    def apply(self, page: Page) -> Applied:
        """Apply the page's events of the view's topics past its position, in one
        transaction with the tracking row; raise ViewFailed if the view cannot.

        A page with none of the view's events moves the tracking row only now and then
        (and at the head): the next page that commits moves it past both.
        """
        if page.last_position <= self.reached:
            return Applied(0)
        events = self._wanted(page)
        passed = page.read
        if page.after < self.reached:
            passed = self.source.count(self.conn.cursor(), self.reached, page.last_position)
        self.quiet = 0 if events else self.quiet + 1
        if events or not page.full or self.quiet >= QUIET_PAGES:
            if not self._committed(events, page.last_position):
                return Applied(0, stale=True)
            self.position = page.last_position
        self.reached = page.last_position
        self.done += passed
        return Applied(passed)

    def _committed(self, events: Sequence[PositionedEvent], last_position: int) -> bool:
        try:
            return self._commit(events, last_position)
        except Exception as error:
            if self.conn.broken or self.conn.closed:
                raise
            raise self._located(events, error) from error

    def finish(self, stop: Event | None) -> bool:
        """Settle and swap in; False if stopped before the swap."""
        return settle(self.conn, self.view, self.target, stop) and swap(
            self.conn, self.view, self.target, stop
        )

    def _wanted(self, page: Page) -> list[PositionedEvent]:
        """The page's events of the view's topics past its position (a page read for
        several views together holds the others' too)."""
        reached, topics = self.reached, self.topics
        events: Sequence[PositionedEvent] = page.events
        if page.after < reached:
            events = [event for event in events if event.position > reached]
        return [event for event in events if event.topic in topics] if topics else list(events)

    def _commit(self, events: Sequence[PositionedEvent], last_position: int) -> bool:
        with self.conn.transaction():
            cursor = self.conn.cursor()
            cursor.execute(_UNFLUSHED_COMMIT)
            row = tracking.lock(cursor, self.target.key)
            if row is None or row.version != self.target.version:
                return False
            if row.position != self.position:
                raise TrackingConflict(f"{self.target.key}: the position moved meanwhile")
            if events:
                self.view.apply(cursor, events, self.target.tables)
            tracking.advance(cursor, self.target.key, row.position, last_position)
        return True

    def _located(self, events: Sequence[PositionedEvent], error: Exception) -> ViewFailed:
        """The failure, named by the first event of the page that fails on its own."""
        if isinstance(error, TrackingConflict):
            return ViewFailed(describe(error), None)
        if isinstance(error, UnusableEvent):
            return ViewFailed(describe(error), error.position)
        with self.conn.transaction(force_rollback=True):
            cursor = self.conn.cursor()
            for event in events:
                try:
                    self.view.apply(cursor, [event], self.target.tables)
                except Exception as single:
                    return ViewFailed(describe(single), event.position)
        return ViewFailed(describe(error), events[0].position if events else None)
