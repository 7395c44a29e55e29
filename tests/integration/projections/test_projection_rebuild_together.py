"""Views rebuilt together from one read: each gets every event of its topics exactly once."""

from __future__ import annotations

from threading import Event
from uuid import UUID

import psycopg
import pytest

from ledger.application import LedgerApp
from ledger.domain import Employee
from projections import EventSource, ViewFailed, rebuild, rebuild_views, view_status
from projections.builder import QUIET_PAGES
from projections.leadership import Leadership
from projections.views.topics import topic
from tests.integration.projections.event_log import EventLog
from tests.integration.projections.projection_support import (
    assert_exactly_the_ledger,
    contents,
    ledger_topics,
    register,
    register_and_promote,
)

REGISTERED = topic(Employee.Registered)


def test_views_rebuilt_together_each_hold_every_event_of_their_topics_once(
    own_app: LedgerApp, conninfo: str
) -> None:
    register_and_promote(own_app, 20)
    every, registered = EventLog("every_event"), EventLog("registered", topics=(REGISTERED,))

    held = rebuild_views(own_app, [every, registered], page_size=7)

    assert held == []
    assert_exactly_the_ledger(contents(conninfo, every.name), conninfo)
    wanted = [p for p, name in ledger_topics(conninfo).items() if name == REGISTERED]
    assert contents(conninfo, registered.name).positions == wanted


def test_a_view_whose_events_are_rare_holds_each_once_after_many_quiet_pages(
    own_app: LedgerApp, conninfo: str
) -> None:
    register(own_app, QUIET_PAGES + 5)
    register_and_promote(own_app, 2)
    changed = EventLog("changed", topics=(topic(Employee.ProfileChanged),))

    rebuild_views(own_app, [changed, EventLog("every_event")], page_size=1)

    wanted = [p for p, name in ledger_topics(conninfo).items() if name == changed.topics[0]]
    assert len(wanted) == 2
    assert contents(conninfo, changed.name).positions == wanted
    assert {s.position for s in view_status(own_app, [changed])} == {own_app.head_position()}


def test_views_stopped_at_different_positions_each_resume_from_their_own(
    own_app: LedgerApp, conninfo: str
) -> None:
    register_and_promote(own_app, 25)
    ahead, fresh = EventLog("ahead"), EventLog("fresh")
    stop = Event()
    leader = Leadership(conninfo, ahead.name).acquire(Event(), timeout=10)
    assert leader is not None
    with leader:
        finished = rebuild(
            leader,
            EventSource.of(own_app),
            ahead,
            page_size=10,
            progress=lambda done, total: stop.set() if done >= 30 else None,
            stop=stop,
        )
    assert not finished
    reported: list[int] = []

    rebuild_views(own_app, [ahead, fresh], page_size=10, progress=lambda d, t: reported.append(d))

    assert reported == sorted(reported)
    assert reported[-1] == 50
    for view in (ahead, fresh):
        assert_exactly_the_ledger(contents(conninfo, view.name), conninfo)


def test_a_view_that_fails_stops_alone_and_names_its_event(
    own_app: LedgerApp, conninfo: str
) -> None:
    positions = register_and_promote(own_app, 15)
    refused = employee_at(conninfo, positions[11])
    broken, sound = EventLog("broken", refuse=frozenset({refused})), EventLog("sound")

    with pytest.raises(ViewFailed) as failure:
        rebuild_views(own_app, [broken, sound], page_size=4)

    assert failure.value.position == positions[10]
    assert "broken" in str(failure.value)
    assert_exactly_the_ledger(contents(conninfo, sound.name), conninfo)
    assert contents(conninfo, broken.name).rows == []


def test_a_view_another_runner_leads_is_left_to_it(own_app: LedgerApp, conninfo: str) -> None:
    register_and_promote(own_app, 5)
    led, free = EventLog("led"), EventLog("free")
    runner = Leadership(conninfo, led.name).acquire(Event(), timeout=10)
    assert runner is not None
    with runner:
        held = rebuild_views(own_app, [led, free])

    assert held == [led.name]
    assert_exactly_the_ledger(contents(conninfo, free.name), conninfo)


def employee_at(conninfo: str, position: int) -> UUID:
    with psycopg.connect(conninfo) as conn:
        row = conn.execute(
            "SELECT originator_id FROM ledger_events WHERE notification_id = %s", (position,)
        ).fetchone()
    assert row is not None
    assert isinstance(row[0], UUID)
    return row[0]
