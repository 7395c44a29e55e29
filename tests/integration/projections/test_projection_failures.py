"""A handler error stops its view with the error and position on record; nothing skipped."""

from __future__ import annotations

from dataclasses import replace
from threading import Event

from ledger.application import LedgerApp
from ledger.domain.employee import Employee, Profile
from projections import Worker, view_status, wait_for
from tests.integration.projections.event_log import EventLog
from tests.integration.projections.projection_support import (
    FAST,
    HR,
    assert_exactly_the_ledger,
    contents,
    ledger_topics,
    new_id,
    register,
)


def test_a_failing_handler_stops_its_view_at_the_last_committed_page(
    own_app: LedgerApp, conninfo: str
) -> None:
    positions = register(own_app, 4)
    refused = new_id()
    bad = own_app.register_employee(HR, refused, Profile("Meera", "HR", "Partner")).position
    register(own_app, 4)
    view = EventLog(refuse=frozenset({Employee.create_id(refused)}))
    ended = Event()

    with Worker(own_app, [view], replace(FAST, page_size=3), stop_event=ended) as worker:
        assert ended.wait(timeout=30)

    assert worker.outcomes == {view.name: "failed"}
    [status] = view_status(own_app, [view])
    assert status.status == "failed"
    assert status.error_position == bad
    assert status.error is not None
    assert "HandlerBroke" in status.error
    assert status.position == positions[2]
    assert_exactly_the_ledger(contents(conninfo, view.name), conninfo, upto=positions[2])


def test_a_restarted_view_resumes_at_the_last_committed_page(
    own_app: LedgerApp, conninfo: str
) -> None:
    refused = new_id()
    register(own_app, 5)
    bad = own_app.register_employee(HR, refused, Profile("Meera", "HR", "Partner")).position
    head = register(own_app, 5)[-1]
    failing = EventLog(refuse=frozenset({Employee.create_id(refused)}))
    ended = Event()
    with Worker(own_app, [failing], FAST, stop_event=ended):
        assert ended.wait(timeout=30)

    with Worker(own_app, [EventLog()], FAST):
        assert wait_for(conninfo, failing.name, head, timeout=30)

    [status] = view_status(own_app)
    assert (status.status, status.position, status.error_position) == ("stopped", head, bad)
    assert_exactly_the_ledger(contents(conninfo, failing.name), conninfo)


def test_other_views_carry_on_when_one_fails(own_app: LedgerApp, conninfo: str) -> None:
    refused = new_id()
    own_app.register_employee(HR, refused, Profile("Meera", "HR", "Partner"))
    failing = EventLog("failing", refuse=frozenset({Employee.create_id(refused)}))
    healthy = EventLog("healthy")
    with Worker(own_app, [failing, healthy], FAST):
        head = register(own_app, 3)[-1]
        assert wait_for(conninfo, healthy.name, head, timeout=30)
        assert not wait_for(conninfo, failing.name, head, timeout=0.2)
    assert list(ledger_topics(conninfo)) == contents(conninfo, healthy.name).positions
