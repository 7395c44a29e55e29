"""The ledger read for a long rebuild by a process of its own: the same pages, verified
there, its errors raised here, and nothing left running once it stops."""

from __future__ import annotations

import multiprocessing
import os
import signal
from threading import Event

import psycopg
import pytest

from ledger.application import LedgerApp
from projections import EventSource, ViewFailed, rebuild_views
from projections.apart import pages_apart
from projections.connection import connect, conninfo_of
from projections.errors import EventUnverified, ReaderLost
from projections.source import Verified, ledger_recorder
from tests.integration.projections.event_log import EventLog
from tests.integration.projections.projection_support import (
    assert_exactly_the_ledger,
    contents,
    register,
    register_and_promote,
)


def read_here(source: EventSource, conninfo: str, page_size: int) -> list[Verified]:
    pages, after = [], 0
    with connect(conninfo) as conn:
        while True:
            page = source.read_verified(conn.cursor(), after, page_size, ())
            pages.append(page)
            if not page.full:
                return pages
            after = page.last_position


def reader_of(app: LedgerApp) -> tuple[EventSource, str]:
    return EventSource.of(app), conninfo_of(ledger_recorder(app).datastore)


def test_the_reading_process_sends_the_pages_read_here(own_app: LedgerApp) -> None:
    register_and_promote(own_app, 12)
    source, conninfo = reader_of(own_app)

    apart = list(pages_apart(conninfo, source.names, (), 5, 0, Event()))

    assert apart == read_here(source, conninfo, 5)
    assert sum(len(page.rows) for page in apart) == own_app.head_position()
    assert not multiprocessing.active_children()


def test_views_rebuilt_from_a_reading_process_hold_every_event_once(
    own_app: LedgerApp, conninfo: str
) -> None:
    register_and_promote(own_app, 20)
    every, other = EventLog("every_event"), EventLog("other")

    rebuild_views(own_app, [every, other], page_size=7, apart_from=0)

    for view in (every, other):
        assert_exactly_the_ledger(contents(conninfo, view.name), conninfo)
    assert not multiprocessing.active_children()


def test_an_event_that_does_not_verify_there_stops_the_views_here(
    own_app: LedgerApp, conninfo: str
) -> None:
    positions = register(own_app, 8)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute(
            "UPDATE ledger_events SET state = convert_to(replace(convert_from(state, 'UTF8'),"
            " '\"Sales\"', '\"Legal\"'), 'UTF8') WHERE notification_id = %s",
            (positions[5],),
        )
    source, _ = reader_of(own_app)

    with pytest.raises(EventUnverified) as refused:
        list(pages_apart(conninfo, source.names, (), 3, 0, Event()))
    assert refused.value.position == positions[5]
    view = EventLog()
    with pytest.raises(ViewFailed, match="do not match their event hash") as failure:
        rebuild_views(own_app, [view], page_size=3, apart_from=0)

    assert failure.value.position == positions[5]
    assert all(position < positions[5] for position in contents(conninfo, view.name).positions)
    assert not multiprocessing.active_children()


def test_a_stopped_read_ends_its_process(own_app: LedgerApp) -> None:
    register(own_app, 30)
    source, conninfo = reader_of(own_app)
    stop = Event()
    pages = pages_apart(conninfo, source.names, (), 2, 0, stop)

    first = next(pages)
    stop.set()

    assert first.full
    assert list(pages) == []
    assert not multiprocessing.active_children()


def test_a_reading_process_killed_midway_is_an_error_not_an_end(own_app: LedgerApp) -> None:
    register(own_app, 300)  # more pages of one event than the pipe holds
    source, conninfo = reader_of(own_app)
    pages = pages_apart(conninfo, source.names, (), 1, 0, Event())
    next(pages)
    [reader] = multiprocessing.active_children()

    os.kill(reader.pid or 0, signal.SIGKILL)

    with pytest.raises(ReaderLost, match="ended without a word"):
        for _ in pages:
            pass
    assert not multiprocessing.active_children()
