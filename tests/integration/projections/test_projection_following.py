"""A worker catches up and follows the ledger; its rows equal a rebuild; exactly once."""

from __future__ import annotations

from threading import Event

import psycopg

from ledger.application import LedgerApp
from projections import Worker, rebuild_view, view_status, wait_for
from tests.integration.projections.event_log import EventLog
from tests.integration.projections.projection_support import (
    FAST,
    assert_exactly_the_ledger,
    contents,
    register,
    register_and_promote,
)


def test_live_rows_equal_a_rebuild_from_zero(own_app: LedgerApp, conninfo: str) -> None:
    view = EventLog()
    register_and_promote(own_app, 30)
    with Worker(own_app, [view], FAST):
        register(own_app, 40)
        head = register_and_promote(own_app, 30)[-1]
        assert wait_for(conninfo, view.name, head, timeout=30)
    live = contents(conninfo, view.name)

    rebuild_view(own_app, view, page_size=37)

    assert contents(conninfo, view.name) == live
    assert_exactly_the_ledger(live, conninfo)


def test_a_restart_resumes_after_the_committed_position(own_app: LedgerApp, conninfo: str) -> None:
    view = EventLog()
    with Worker(own_app, [view], FAST):
        first = register(own_app, 70)[-1]
        assert wait_for(conninfo, view.name, first, timeout=30)
    register(own_app, 80)
    head = register(own_app, 5)[-1]

    with Worker(own_app, [view], FAST):
        assert wait_for(conninfo, view.name, head, timeout=30)

    assert_exactly_the_ledger(contents(conninfo, view.name), conninfo)


def test_a_view_reading_some_topics_still_reaches_the_head(
    own_app: LedgerApp, conninfo: str
) -> None:
    view = EventLog(topics=("ledger:Employee.Registered",))
    with Worker(own_app, [view], FAST):
        head = register_and_promote(own_app, 20)[-1]
        assert wait_for(conninfo, view.name, head, timeout=30)
    log = contents(conninfo, view.name)
    assert log.counts == {"ledger:Employee.Registered": 20}


def test_a_stopped_worker_leaves_its_views_stopped(own_app: LedgerApp, conninfo: str) -> None:
    view = EventLog()
    stopped = Event()
    worker = Worker(own_app, [view], FAST, stop_event=stopped)
    worker.start()
    head = register(own_app, 3)[-1]
    assert wait_for(conninfo, view.name, head, timeout=30)
    worker.stop()
    assert worker.outcomes == {view.name: "stopped"}
    [status] = view_status(own_app, [view])
    assert (status.status, status.position, status.lag, status.leader) == (
        "stopped",
        head,
        0,
        None,
    )


def test_a_runner_whose_session_is_cut_reconnects_and_carries_on(
    own_app: LedgerApp, conninfo: str
) -> None:
    view = EventLog()
    with Worker(own_app, [view], FAST):
        first = register(own_app, 5)[-1]
        assert wait_for(conninfo, view.name, first, timeout=30)
        with psycopg.connect(conninfo, autocommit=True) as conn:
            cut = conn.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name LIKE %s AND datname = current_database()",
                (f"projections {view.name} %",),
            ).fetchone()
        assert cut == (1,)
        head = register(own_app, 5)[-1]
        assert wait_for(conninfo, view.name, head, timeout=30)
    assert_exactly_the_ledger(contents(conninfo, view.name), conninfo)
