"""Views followed live equal a rebuild from zero, and every scorecard is the application's."""

from __future__ import annotations

from threading import Event

import psycopg
import pytest
from psycopg import sql

from ledger.application import LedgerApp
from projections import SHADOW, EventSource, Worker, rebuild, rebuild_views
from projections.catalog import all_views
from projections.leadership import Leadership
from projections.queries import scorecard
from projections.views import ScorecardsView, pending
from projections.views.history import History
from projections.views.pending import PENDING
from tests.integration.views.story import Story
from tests.integration.views.support import SMALL_PAGES, caught_up, project, snapshot


@pytest.mark.parametrize("seed", [3, 11])
def test_views_followed_live_equal_a_rebuild_from_zero(
    own_app: LedgerApp, conninfo: str, seed: int
) -> None:
    views = all_views(own_app)
    with Worker(own_app, views, SMALL_PAGES):
        Story(own_app, seed).tell(steps=250)
        assert caught_up(conninfo, views, own_app.head_position())
    live = snapshot(conninfo, views)

    project(own_app, all_views(own_app), page_size=500)
    rebuilt = snapshot(conninfo, views)
    project(own_app, views, page_size=7)
    rebuilt_by_warm_views = snapshot(conninfo, views)

    assert rebuilt == live
    assert rebuilt_by_warm_views == live
    assert all(rows for table, rows in live.items() if table != PENDING.name)
    assert live[PENDING.name] == []


@pytest.mark.parametrize("page_size", [9, 500])
def test_views_rebuilt_together_equal_the_views_followed_live(
    own_app: LedgerApp, conninfo: str, page_size: int
) -> None:
    views = all_views(own_app)
    with Worker(own_app, views, SMALL_PAGES):
        Story(own_app, 7).tell(steps=250)
        assert caught_up(conninfo, views, own_app.head_position())
    live = snapshot(conninfo, views)

    held = rebuild_views(own_app, all_views(own_app), page_size=page_size)

    assert held == []
    assert snapshot(conninfo, views) == live
    assert all(rows for table, rows in live.items() if table != PENDING.name)


def test_views_rebuilt_together_with_a_tiny_cache_give_the_same_rows(
    own_app: LedgerApp, conninfo: str
) -> None:
    Story(own_app, 13).tell(steps=200)
    views = all_views(own_app)
    project(own_app, views)
    one_by_one = snapshot(conninfo, views)

    rebuild_views(own_app, all_views(own_app, capacity=2), page_size=11)

    assert snapshot(conninfo, views) == one_by_one


def test_views_read_apart_and_settled_two_plans_at_a_time_give_the_same_rows(
    own_app: LedgerApp, conninfo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ledger read by a process of its own, and plans scored a few per transaction,
    as the default rebuild (which reads in its own thread and scores a story's plans in
    one batch)."""
    Story(own_app, 13).tell(steps=200)
    views = all_views(own_app)
    project(own_app, views)
    default = snapshot(conninfo, views)
    assert len({row[0] for row in default["scorecards"]}) > 4
    monkeypatch.setattr(pending, "SETTLED_AT_ONCE", 2)

    rebuild_views(own_app, all_views(own_app), page_size=11, apart_from=0)

    assert snapshot(conninfo, views) == default


def test_views_with_a_tiny_cache_give_the_same_rows(own_app: LedgerApp, conninfo: str) -> None:
    Story(own_app, 5).tell(steps=200)
    views = all_views(own_app)
    project(own_app, views)
    roomy = snapshot(conninfo, views)

    project(own_app, all_views(own_app, capacity=2), page_size=11)

    assert snapshot(conninfo, views) == roomy


@pytest.mark.parametrize("seed", [4, 19])
def test_every_projected_scorecard_is_the_application_scorecard_at_its_position(
    own_app: LedgerApp, conninfo: str, reader: psycopg.Connection[tuple[object, ...]], seed: int
) -> None:
    Story(own_app, seed).tell(steps=250)
    project(own_app, page_size=17)
    keys = reader.execute("SELECT employee_id, period FROM projections.scorecards").fetchall()
    assert keys

    for employee_id, period in keys:
        assert isinstance(employee_id, str)
        assert isinstance(period, str)
        row = scorecard(reader, employee_id, period)
        assert row is not None
        as_of = own_app.scorecard(employee_id, period, position=row.position)
        assert row.scorecard == as_of
        assert row.scorecard.hash == as_of.hash
        assert row.scorecard.hash == own_app.scorecard(employee_id, period).hash


def test_a_rebuild_stopped_before_scoring_resumes_in_a_new_process_to_the_same_rows(
    own_app: LedgerApp, conninfo: str
) -> None:
    Story(own_app, 8).tell(steps=200)
    view = ScorecardsView(History.of(own_app))
    project(own_app, [view])
    whole = snapshot(conninfo, [view])
    stop = Event()
    leader = Leadership(conninfo, view.name).acquire(Event(), timeout=10)
    assert leader is not None
    with leader:
        finished = rebuild(
            leader,
            EventSource.of(own_app),
            ScorecardsView(History.of(own_app)),
            page_size=13,
            progress=lambda done, total: stop.set() if done >= total // 2 else None,
            stop=stop,
        )
    assert not finished
    assert noted(conninfo) > 0

    project(own_app, [ScorecardsView(History.of(own_app))], page_size=13)

    assert snapshot(conninfo, [view]) == whole


def noted(conninfo: str) -> int:
    """Periods a rebuild in progress has noted and not scored yet."""
    table = SHADOW[PENDING.name]
    with psycopg.connect(conninfo) as conn:
        row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(table)).fetchone()
    return int(str(row[0])) if row else 0
