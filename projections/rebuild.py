"""Rebuild without downtime: build shadow tables from zero, catch up, swap in one go.

Readers keep reading the live tables, frozen at the live position, while the shadow copy
is built. The swap drops the live tables, renames the shadow ones and moves the tracking
row to the shadow's position and the view's new version, all in one transaction.
Each shadow page commits with a tracking row of its own, so an interrupted rebuild
resumes where it stopped. A runner rebuilds its view on its own session; from here and
now, several views are rebuilt together from one read of the ledger (see ``together``).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from threading import Event
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.postgres import PostgresDatastore

from projections import tracking
from projections.builder import Builder, Progress
from projections.connection import Connection, conninfo_of, session
from projections.errors import LeadershipUnavailable
from projections.leadership import Leadership
from projections.schema import init_projections
from projections.source import EventSource, ledger_recorder
from projections.together import APART_FROM, build_together
from projections.view import LIVE, View, check_view

__all__ = ["Progress", "ensure", "rebuild", "rebuild_view", "rebuild_views", "request_rebuild"]


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

    The caller holds the view's leadership on ``conn``, which reads the pages too.
    """
    check_view(view)
    builder = Builder(conn, source, view)
    while True:
        builder.begin()
        total = builder.total()
        while True:
            page = source.read(conn.cursor(), builder.reached, page_size, view.topics)
            if builder.apply(page).stale:
                break
            if progress is not None:
                progress(builder.done, max(total, builder.done))
            if not page.full:
                return builder.finish(stop)
            if stop is not None and stop.is_set():
                return False


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
    if rebuild_views(app, [view], page_size=page_size, progress=progress, wait=wait):
        raise LeadershipUnavailable(f"view {view.name} is held by a running runner")


def rebuild_views(
    app: Application[UUID],
    views: Sequence[View],
    *,
    page_size: int = 2000,
    progress: Progress | None = None,
    wait: float = 0.0,
    stop: Event | None = None,
    apart_from: int = APART_FROM,
) -> list[str]:
    """Rebuild the views together, from one read of the ledger, each as its leader for
    the while; the names of those a runner elsewhere holds, left to it (see
    ``request_rebuild``). ``progress`` follows the view furthest behind; with
    ``apart_from`` events or more to read, they are read in a process of their own."""
    for view in views:
        check_view(view)
    conninfo = conninfo_of(ledger_recorder(app).datastore)
    init_projections(conninfo)
    source = EventSource.of(app)
    held: list[str] = []
    with ExitStack() as sessions:
        builders = []
        for view in views:
            conn = Leadership(conninfo, view.name).acquire(Event(), timeout=wait)
            if conn is None:
                held.append(view.name)
                continue
            builders.append(Builder(sessions.enter_context(conn), source, view))
        if builders:
            build_together(
                conninfo,
                builders,
                page_size=page_size,
                progress=progress,
                stop=stop,
                apart_from=apart_from,
            )
    return held


def request_rebuild(target: PostgresDatastore | str, view_name: str) -> bool:
    """Ask the view's runner, wherever it runs, to rebuild from zero; False if untracked."""
    with session(target) as conn, conn.transaction():
        cursor = conn.cursor()
        tracking.delete(cursor, tracking.shadow_key(view_name))
        return tracking.request_rebuild(cursor, view_name)
