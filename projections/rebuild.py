"""Rebuild without downtime: build shadow tables from zero, catch up, swap in one go.

Readers keep reading the live tables, frozen at the live position, while the shadow copy
is built. The swap drops the live tables, renames the shadow ones and moves the tracking
row to the shadow's position and the view's new version, all in one transaction.
Each shadow page commits with a tracking row of its own, so an interrupted rebuild
resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from threading import Event
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.postgres import PostgresDatastore

from projections import tracking
from projections.connection import Connection, conninfo_of, session
from projections.errors import LeadershipUnavailable, TrackingConflict
from projections.leadership import Leadership
from projections.page import Target, apply_next_page
from projections.schema import init_projections
from projections.source import EventSource, ledger_recorder
from projections.swap import swap
from projections.view import LIVE, SHADOW, View, check_view

Progress = Callable[[int, int], None]


def ensure(conn: Connection, view: View) -> bool:
    """Create a new view empty at position 0; True when the view can follow as it is.

    False means it needs a rebuild: its stored version differs from the code's, a rebuild
    was requested or interrupted, or its tables are gone.
    """
    with conn.transaction():
        cursor = conn.cursor()
        row = tracking.lock(cursor, view.name)
        if row is None:
            view.reset(cursor, LIVE)
            tracking.start(cursor, view.name, 0, view.version, "running")
            return True
        if row.version != view.version or view.missing_tables(cursor, LIVE):
            return False
        if tracking.read(cursor, tracking.shadow_key(view.name)) is not None:
            return False
        if row.status != "running":
            tracking.set_status(cursor, view.name, "running")
        return True


def rebuild(
    conn: Connection,
    source: EventSource,
    view: View,
    *,
    page_size: int = 2000,
    progress: Progress | None = None,
    stop: Event | None = None,
) -> bool:
    """Rebuild ``view`` from position 0 and swap it in; False if stopped before the swap.

    The caller holds the view's leadership on ``conn``.
    """
    check_view(view)
    target = Target(tracking.shadow_key(view.name), SHADOW, view.version)
    position = _begin(conn, view, target)
    total, done = _counts(conn, source, position)
    while True:
        result = apply_next_page(conn, source, view, target, page_size)
        if result.stale:
            position = _begin(conn, view, target)
            total, done = _counts(conn, source, position)
            continue
        done += _done(conn, source, view, result.applied, position, result.position)
        position = result.position
        if progress is not None:
            progress(done, max(total, done))
        if result.caught_up:
            break
        if stop is not None and stop.is_set():
            return False
    return _settle(conn, view, target, stop) and swap(conn, view, target, stop)


def _settle(conn: Connection, view: View, target: Target, stop: Event | None) -> bool:
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


def _begin(conn: Connection, view: View, target: Target) -> int:
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


def _counts(conn: Connection, source: EventSource, position: int) -> tuple[int, int]:
    cursor = conn.cursor()
    head = source.head(cursor)
    return source.count(cursor, 0, head), source.count(cursor, 0, position)


def _done(
    conn: Connection, source: EventSource, view: View, applied: int, before: int, after: int
) -> int:
    """Events passed by a page: those applied, or with a topic filter all those read past."""
    if not view.topics:
        return applied
    return source.count(conn.cursor(), before, after)


def rebuild_view(
    app: Application[UUID],
    view: View,
    *,
    page_size: int = 2000,
    progress: Progress | None = None,
    wait: float = 0.0,
) -> None:
    """Rebuild here and now, as the view's leader for the while (waiting ``wait`` seconds).

    Raises LeadershipUnavailable while a runner elsewhere holds the view: ask that runner
    with ``request_rebuild`` instead.
    """
    conninfo = conninfo_of(ledger_recorder(app).datastore)
    init_projections(conninfo)
    leadership = Leadership(conninfo, view.name)
    conn = leadership.acquire(Event(), timeout=wait)
    if conn is None:
        raise LeadershipUnavailable(f"view {view.name} is held by a running runner")
    with conn:
        rebuild(conn, EventSource.of(app), view, page_size=page_size, progress=progress)


def request_rebuild(target: PostgresDatastore | str, view_name: str) -> bool:
    """Ask the view's runner, wherever it runs, to rebuild from zero; False if untracked."""
    with session(target) as conn, conn.transaction():
        cursor = conn.cursor()
        tracking.delete(cursor, tracking.shadow_key(view_name))
        return tracking.request_rebuild(cursor, view_name)
