"""A measurement forged behind the ledger's back, with its value changed, stops every view at
its position; the scorecards and every other read model keep the values they had verified."""

from __future__ import annotations

from collections.abc import Callable
from threading import Event

import psycopg
import pytest

from ledger.application import LedgerApp
from ledger.domain import Profile
from projections import Worker, view_status
from projections.catalog import all_views
from projections.queries import scorecard
from tests.integration.views.support import (
    HR,
    SMALL_PAGES,
    caught_up,
    measure,
    open_cycle,
    seat,
    snapshot,
)

Connection = psycopg.Connection[tuple[object, ...]]
Forgery = Callable[[Connection, int], None]


def no_chain_row(conn: Connection, position: int) -> None:
    """Nothing beside the forged event."""


def made_up_chain_row(conn: Connection, position: int) -> None:
    conn.execute(
        "INSERT INTO ledger_events_chain (position, recorded_at, event_hash, chain_hash)"
        " VALUES (%s, now(), sha256('forged'), sha256('forged'))",
        (position,),
    )


def forged_measurement(conn: Connection, measured: int) -> int:
    """The measurement at ``measured`` again, as the next event of its log, with 135 for 87;
    its position."""
    row = conn.execute(
        "INSERT INTO ledger_events (originator_id, originator_version, topic, state)"
        " SELECT originator_id, originator_version + 1, topic,"
        " convert_to(replace(convert_from(state, 'UTF8'), '\"87\"', '\"135\"'), 'UTF8')"
        " FROM ledger_events WHERE notification_id = %s RETURNING notification_id",
        (measured,),
    ).fetchone()
    assert row is not None
    return int(str(row[0]))


@pytest.mark.parametrize(
    "chain_row", [no_chain_row, made_up_chain_row], ids=["no chain row", "made-up chain row"]
)
def test_a_forged_measurement_stops_every_view_and_the_scorecards_keep_their_verified_values(
    own_app: LedgerApp, conninfo: str, chain_row: Forgery
) -> None:
    open_cycle(own_app)
    employee = seat(own_app, "E7001")
    measure(own_app, employee, "87")
    measured = own_app.head_position()
    views = all_views(own_app)
    with Worker(own_app, views, SMALL_PAGES):
        assert caught_up(conninfo, views, measured)
    before = snapshot(conninfo, views)
    with psycopg.connect(conninfo) as reader:
        verified = scorecard(reader, employee.employee_id, employee.quarter(1))
    assert verified is not None
    assert verified.scorecard == own_app.scorecard(employee.employee_id, employee.quarter(1))

    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")
        forged = forged_measurement(conn, measured)
        chain_row(conn, forged)
    # A genuine event after it: the forgery lies before the chain's head.
    own_app.register_employee(HR, "E7002", Profile("Asha Iyer", "Sales", "Account Manager"))
    ended = Event()
    with Worker(own_app, views, SMALL_PAGES, stop_event=ended) as worker:
        assert ended.wait(timeout=60)

    assert set(worker.outcomes.values()) == {"failed"}
    for status in view_status(own_app, views):
        assert status.error is not None
        assert status.error.startswith("EventUnverified: event at position")
        assert status.error_position == forged
    assert snapshot(conninfo, views) == before
    with psycopg.connect(conninfo) as reader:
        assert scorecard(reader, employee.employee_id, employee.quarter(1)) == verified
