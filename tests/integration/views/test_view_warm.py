"""A view that starts following loads the states changed last, as they stand at its position."""

from __future__ import annotations

from datetime import date

import psycopg
from psycopg.rows import dict_row

from ledger.application import LedgerApp
from projections import Worker, rebuild_view
from projections.views import ScorecardsView
from projections.views.history import History
from projections.views.ids import cycle_id_of, log_id, plan_id
from tests.integration.views.support import (
    SMALL_PAGES,
    caught_up,
    measure,
    open_cycle,
    project,
    seat,
    snapshot,
)


def test_warming_loads_the_recent_plans_as_they_stand_at_the_views_position(
    own_app: LedgerApp, conninfo: str
) -> None:
    open_cycle(own_app)
    ana = seat(own_app, "E1001")
    for value in ("80", "85", "90"):
        measure(own_app, ana, value)
    view = ScorecardsView(History.of(own_app))
    project(own_app, [view])
    position = own_app.head_position()
    measure(own_app, ana, "95")

    warmed = ScorecardsView(History.of(own_app))
    with psycopg.connect(conninfo, row_factory=dict_row) as conn:
        warmed.warm(conn.cursor(), position)
        expected = History.of(own_app).load(
            conn.cursor(), [log_id("E1001", "FY2026")], position + 1
        )

    log = warmed.states.withdraw(log_id("E1001", "FY2026"), position + 1)
    assert log is not None
    assert log.aggregate is not None
    assert (log.position, log.aggregate.version) == (position, 4)
    assert log.aggregate.__dict__ == expected[log_id("E1001", "FY2026")].aggregate.__dict__
    assert warmed.states.withdraw(plan_id("E1001", "FY2026"), position + 1) is not None
    assert warmed.states.withdraw(cycle_id_of("FY2026"), position + 1) is not None
    assert warmed.tallies.withdraw(log_id("E1001", "FY2026")) is not None


def test_a_warmed_view_follows_to_the_rows_a_rebuild_gives(
    own_app: LedgerApp, conninfo: str
) -> None:
    open_cycle(own_app)
    seats = [seat(own_app, f"E100{number}") for number in range(3)]
    for each in seats:
        measure(own_app, each, "70", date(2026, 5, 1))
    project(own_app, [ScorecardsView(History.of(own_app))])
    for each in seats:
        measure(own_app, each, "110", date(2026, 8, 1))

    views = [ScorecardsView(History.of(own_app))]
    with Worker(own_app, views, SMALL_PAGES):
        measure(own_app, seats[0], "95", date(2026, 11, 1))
        assert caught_up(conninfo, views, own_app.head_position())
    live = snapshot(conninfo, views)

    rebuild_view(own_app, views[0])
    assert snapshot(conninfo, views) == live
