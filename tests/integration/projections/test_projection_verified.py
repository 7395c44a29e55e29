"""Views take only verified events: a row written behind the ledger's back stops them, at
its position and with the reason on record, and none of it reaches a read model."""

from __future__ import annotations

from collections.abc import Callable
from threading import Event

import psycopg
import pytest

from ledger.application import LedgerApp
from projections import Worker, view_status
from tests.integration.projections.event_log import EventLog
from tests.integration.projections.projection_support import (
    FAST,
    contents,
    register,
)

Forgery = Callable[[psycopg.Connection[tuple[object, ...]], int], None]


def copied_event(conn: psycopg.Connection[tuple[object, ...]], position: int) -> None:
    """A copy of the event at ``position`` as a new event, without any chain row."""
    conn.execute(
        "INSERT INTO ledger_events (originator_id, originator_version, topic, state)"
        " SELECT originator_id, originator_version + 1000, topic, state"
        " FROM ledger_events WHERE notification_id = %s",
        (position,),
    )


def copied_event_with_a_chain_row(
    conn: psycopg.Connection[tuple[object, ...]], position: int
) -> None:
    """The same, with a chain row whose hashes are made up rather than linked."""
    copied_event(conn, position)
    conn.execute(
        "INSERT INTO ledger_events_chain (position, recorded_at, event_hash, chain_hash)"
        " SELECT max(notification_id), now(), sha256('forged'), sha256('forged')"
        " FROM ledger_events"
    )


def changed_bytes(conn: psycopg.Connection[tuple[object, ...]], position: int) -> None:
    """The stored bytes of an event changed in place (its department: the name is sealed)."""
    conn.execute(
        "UPDATE ledger_events SET state = convert_to(replace(convert_from(state, 'UTF8'),"
        " '\"Sales\"', '\"Legal\"'), 'UTF8') WHERE notification_id = %s",
        (position,),
    )


@pytest.mark.parametrize(
    "forge",
    [copied_event, copied_event_with_a_chain_row, changed_bytes],
    ids=["event without a chain row", "event with a forged chain row", "changed bytes"],
)
def test_a_view_stops_at_an_event_that_does_not_verify(
    own_app: LedgerApp, conninfo: str, forge: Forgery
) -> None:
    positions = register(own_app, 6)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")
        forge(conn, positions[2])
    register(own_app, 2)  # genuine events after it: the forgery lies before the head
    view = EventLog()
    ended = Event()
    with Worker(own_app, [view], FAST, stop_event=ended) as worker:
        assert ended.wait(timeout=30)

    assert worker.outcomes == {view.name: "failed"}
    [status] = view_status(own_app, [view])
    assert status.status == "failed"
    assert status.error is not None
    assert status.error.startswith("EventUnverified: event at position")
    assert status.error_position is not None
    applied = contents(conninfo, view.name).positions
    assert status.error_position > positions[1]
    assert all(position < status.error_position for position in applied)
