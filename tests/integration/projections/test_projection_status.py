"""Status: each view's position, the ledger's head, lag, version, status and leader."""

from __future__ import annotations

import os

import psycopg
from psycopg.rows import dict_row

from ledger.application import LedgerApp
from projections import Worker, tracking, view_status, wait_for
from tests.integration.projections.event_log import EventLog
from tests.integration.projections.projection_support import FAST, register


def test_a_view_that_never_ran_is_new_and_lags_by_the_whole_ledger(
    own_app: LedgerApp, conninfo: str
) -> None:
    head = register(own_app, 4)[-1]
    [status] = view_status(own_app, [EventLog()])
    assert (status.status, status.position, status.head, status.lag) == ("new", 0, head, head)
    assert (status.version, status.code_version, status.leader) == (None, 1, None)


def test_status_before_the_projections_schema_exists_names_the_views_as_new(
    own_app: LedgerApp,
) -> None:
    head = register(own_app, 1)[-1]
    [status] = view_status(own_app, [EventLog()])
    assert (status.status, status.lag) == ("new", head)


def test_a_running_view_shows_its_position_version_and_leader(
    own_app: LedgerApp, conninfo: str
) -> None:
    view = EventLog(version=3)
    with Worker(own_app, [view], FAST):
        head = register(own_app, 4)[-1]
        assert wait_for(conninfo, view.name, head, timeout=30)
        [status] = view_status(own_app, [view])
    assert (status.status, status.position, status.head, status.lag) == ("running", head, head, 0)
    assert (status.version, status.error, status.error_position) == (3, None, None)
    assert status.leader is not None
    assert status.leader.endswith(f":{os.getpid()}")


def test_a_view_recorded_as_running_without_a_leader_shows_as_stopped(
    own_app: LedgerApp, conninfo: str
) -> None:
    view = EventLog()
    head = register(own_app, 2)[-1]
    with psycopg.connect(conninfo) as conn, conn.cursor(row_factory=dict_row) as cursor:
        tracking.start(cursor, view.name, head, view.version, "running")
    [status] = view_status(own_app, [view])
    assert (status.status, status.leader, status.position) == ("stopped", None, head)


def test_a_failed_view_without_a_leader_stays_failed(own_app: LedgerApp, conninfo: str) -> None:
    view = EventLog()
    head = register(own_app, 2)[-1]
    with psycopg.connect(conninfo) as conn, conn.cursor(row_factory=dict_row) as cursor:
        tracking.start(cursor, view.name, head, view.version, "running")
        tracking.record_failure(cursor, view.name, "ValueError: bad event", head)
    [status] = view_status(own_app, [view])
    assert (status.status, status.error_position) == ("failed", head)


def test_a_view_standing_past_the_head_says_so_and_asks_for_a_rebuild(
    own_app: LedgerApp, conninfo: str
) -> None:
    head = register(own_app, 3)[-1]
    view = EventLog()
    with Worker(own_app, [view], FAST):
        assert wait_for(conninfo, view.name, head, timeout=30)

    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute("DELETE FROM ledger_events_chain WHERE position = %s", (head,))
        conn.execute("DELETE FROM ledger_events WHERE notification_id = %s", (head,))

    [status] = view_status(own_app, [view])

    assert (status.status, status.position, status.lag) == ("ahead", head, 0)
    assert status.head < status.position
    assert status.error is not None
    assert "rebuild" in status.error
