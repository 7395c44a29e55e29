"""One page, one transaction: a view's rows and its tracking position commit together."""

from __future__ import annotations

from dataclasses import dataclass

from projections import tracking
from projections.connection import Connection
from projections.errors import UnusableEvent, ViewFailed
from projections.source import EventSource, Page
from projections.view import TableNames, View


@dataclass(frozen=True)
class Target:
    """Where a page lands: a tracking row, the tables that move with it, and the version."""

    key: str
    tables: TableNames
    version: int


@dataclass(frozen=True)
class PageResult:
    applied: int
    position: int
    caught_up: bool
    stale: bool = False


def apply_next_page(
    conn: Connection,
    source: EventSource,
    view: View,
    target: Target,
    limit: int,
    known: int | None = None,
) -> PageResult:
    """Apply the events after the target's position; raise ViewFailed if the view cannot.

    A failed page is rolled back whole: the position stays where it was, nothing is
    skipped. A broken connection is not the view's failure and propagates as it is.
    ``known`` is where the caller last left the position: a page after it with none of
    the view's events only moves the position on, in one statement (see ``passed``).
    """
    try:
        read = None if known is None else passed(conn, source, view, target, limit, known)
        if isinstance(read, PageResult):
            return read
        return _apply(conn, source, view, target, limit, read)
    except Exception as error:
        if conn.broken or conn.closed:
            raise
        raise _located(conn, source, view, target, limit, error) from error


def _apply(
    conn: Connection,
    source: EventSource,
    view: View,
    target: Target,
    limit: int,
    read: Page | None = None,
) -> PageResult:
    """The page's transaction; ``read``, a page read before it, serves if it starts where
    the position stands (its events are there whenever it is read)."""
    with conn.transaction():
        cursor = conn.cursor()
        row = tracking.lock(cursor, target.key)
        if row is None or row.version != target.version:
            return PageResult(0, row.position if row else 0, caught_up=True, stale=True)
        page = read
        if page is None or page.after != row.position:
            page = source.read(cursor, row.position, limit, view.topics)
        if page.events:
            view.apply(cursor, page.events, target.tables)
        if page.last_position != row.position:
            tracking.advance(cursor, target.key, row.position, page.last_position)
    return PageResult(len(page.events), page.last_position, caught_up=not page.full)


def passed(
    conn: Connection, source: EventSource, view: View, target: Target, limit: int, known: int
) -> PageResult | Page | None:
    """The page after ``known``, passed without a transaction when the view has nothing to
    do with its events (a result); otherwise the page read, for the transaction to apply,
    or None when there is nothing new. Passing needs the position still at ``known`` at
    the target's version (not moved, no rebuild asked): if not, the transaction decides."""
    cursor = conn.cursor()
    page = source.read(cursor, known, limit, view.topics)
    if page.last_position == known:
        return None
    if page.events:
        return page
    if not tracking.pass_on(cursor, target.key, known, page.last_position, target.version):
        return None
    return PageResult(0, page.last_position, caught_up=not page.full)


def _located(
    conn: Connection,
    source: EventSource,
    view: View,
    target: Target,
    limit: int,
    error: Exception,
) -> ViewFailed:
    """The failure, named by the first event of the page that fails on its own."""
    if isinstance(error, UnusableEvent):
        return ViewFailed(describe(error), error.position)
    with conn.transaction(force_rollback=True):
        cursor = conn.cursor()
        row = tracking.read(cursor, target.key)
        page = source.read(cursor, row.position if row else 0, limit, view.topics)
        for event in page.events:
            try:
                view.apply(cursor, [event], target.tables)
            except Exception as single:
                return ViewFailed(describe(single), event.position)
    first = page.events[0].position if page.events else None
    return ViewFailed(describe(error), first)


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"
