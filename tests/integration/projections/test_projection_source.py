"""Pages of events: in position order, decoded, with recorded time and hash, across holes."""

from __future__ import annotations

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent
from psycopg.rows import dict_row

from ledger.application import LedgerApp
from ledger.domain.employee import Employee
from projections import EventSource, PositionedEvent, Worker, wait_for
from tests.integration.projections.event_log import EventLog
from tests.integration.projections.projection_support import (
    FAST,
    assert_exactly_the_ledger,
    contents,
    ledger_topics,
    register,
    register_and_promote,
)


def make_a_hole(app: LedgerApp) -> None:
    """A refused insert consumes a position that no event will ever have."""
    taken = app.recorder.select_notifications(start=1, limit=1)[0]
    stored = StoredEvent(taken.originator_id, 1, taken.topic, b"{}")
    with pytest.raises(IntegrityError):
        app.recorder.insert_events([stored])


def read_all(app: LedgerApp, conninfo: str, limit: int) -> list[PositionedEvent]:
    source = EventSource.of(app)
    events: list[PositionedEvent] = []
    after = 0
    with psycopg.connect(conninfo, row_factory=dict_row) as conn:
        while True:
            page = source.read(conn.cursor(), after, limit)
            events.extend(page.events)
            after = page.last_position
            if not page.full:
                return events


def test_pages_hold_every_event_in_order_across_holes(own_app: LedgerApp, conninfo: str) -> None:
    register_and_promote(own_app, 3)
    make_a_hole(own_app)
    head = register(own_app, 3)[-1]

    events = read_all(own_app, conninfo, limit=2)

    assert [event.position for event in events] == list(ledger_topics(conninfo))
    assert events[-1].position == head
    assert len(events) < head
    times = [event.recorded_at for event in events]
    assert times == sorted(times)
    first = events[0]
    assert isinstance(first.event, Employee.Registered)
    assert (first.originator_id, first.originator_version) == (first.event.originator_id, 1)
    assert first.topic == "ledger:Employee.Registered"
    assert len(bytes.fromhex(first.event_hash)) == 32


def test_a_page_short_of_its_limit_stands_at_the_head(own_app: LedgerApp, conninfo: str) -> None:
    head = register(own_app, 3)[-1]
    source = EventSource.of(own_app)
    with psycopg.connect(conninfo, row_factory=dict_row) as conn:
        topics = ("ledger:Employee.ProfileChanged",)
        page = source.read(conn.cursor(), 0, 10, topics)
    assert (page.events, page.last_position, page.full) == ((), head, False)


def test_a_view_follows_across_holes(own_app: LedgerApp, conninfo: str) -> None:
    view = EventLog()
    register(own_app, 2)
    with Worker(own_app, [view], FAST):
        make_a_hole(own_app)
        head = register(own_app, 2)[-1]
        assert wait_for(conninfo, view.name, head, timeout=30)
    assert_exactly_the_ledger(contents(conninfo, view.name), conninfo)
