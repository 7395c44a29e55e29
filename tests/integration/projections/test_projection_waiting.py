"""Read your writes: waiting (bounded) until views have reached a position."""

from __future__ import annotations

from threading import Thread

from ledger.application import LedgerApp
from projections import Waiter, Worker, wait_for
from tests.integration.projections.event_log import EventLog
from tests.integration.projections.projection_support import FAST, register


def test_wait_for_returns_true_once_the_views_reach_the_position(
    own_app: LedgerApp, conninfo: str
) -> None:
    views = [EventLog("first"), EventLog("second")]
    with Worker(own_app, views, FAST):
        position = register(own_app, 5)[-1]
        assert wait_for(conninfo, ["first", "second"], position, timeout=30)


def test_wait_for_returns_false_when_the_timeout_passes_first(
    own_app: LedgerApp, conninfo: str
) -> None:
    view = EventLog()
    with Worker(own_app, [view], FAST):
        position = register(own_app, 2)[-1]
        assert wait_for(conninfo, view.name, position, timeout=30)
        assert not wait_for(conninfo, view.name, position + 1, timeout=0.3)
    assert not wait_for(conninfo, "never_ran", 1, timeout=0.1)


def test_a_waiter_wakes_up_when_a_page_commits(own_app: LedgerApp, conninfo: str) -> None:
    view = EventLog()
    answers: list[bool] = []
    with Waiter(conninfo) as waiter, Worker(own_app, [view], FAST):
        position = register(own_app, 1)[-1]
        later = Thread(target=lambda: answers.append(waiter.wait_for(view.name, position + 1, 30)))
        later.start()
        assert waiter.wait_for(view.name, position, timeout=30)
        head = register(own_app, 1)[-1]
        later.join(timeout=30)
        assert answers == [True]
        assert not waiter.wait_for(view.name, head + 1, timeout=0.3)
