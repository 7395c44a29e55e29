"""A handler error stops its view with the error and position on record; nothing skipped."""

from __future__ import annotations

from dataclasses import replace
from threading import Event
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from ledger.application import LedgerApp
from ledger.domain.employee import Employee, Profile
from projections import ViewFailed, Worker, rebuild_view, view_status, wait_for
from projections.catalog import all_views
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


def test_an_event_that_cannot_be_decoded_stops_the_views_that_read_it_at_its_position(
    own_app: LedgerApp, conninfo: str
) -> None:
    """A chained event whose topic no code knows: every view that asks for it stops there,
    naming it; a view of other topics never decodes it and carries on."""
    register(own_app, 3)
    unknown = StoredEvent(uuid4(), 1, "ledger:Plan.NeverDefined", b"{}")
    own_app.recorder.insert_events([unknown])
    bad = own_app.head_position()
    head = register(own_app, 2)[-1]
    [audit] = [view for view in all_views(own_app) if view.name == "audit_trail"]
    [employees] = [view for view in all_views(own_app) if view.name == "employees"]

    with pytest.raises(ViewFailed, match="not decoded") as failed:
        rebuild_view(own_app, audit, page_size=2)
    rebuild_view(own_app, employees, page_size=2)

    assert failed.value.position == bad
    assert wait_for(conninfo, employees.name, head, timeout=5)
