"""Scorecards kept as events arrive: rescored by policy, filtered, paged, moved with people."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import psycopg

from ledger.application import LedgerApp
from ledger.domain import Profile
from projections import Worker
from projections.catalog import all_views
from projections.queries import ScorecardRow, scorecard, scorecards
from projections.views import ScorecardsView
from projections.views.history import History
from tests.integration.views.support import (
    HR,
    SMALL_PAGES,
    caught_up,
    measure,
    open_cycle,
    project,
    seat,
)

Reader = psycopg.Connection[tuple[object, ...]]


def card(reader: Reader, employee_id: str, period: str) -> ScorecardRow:
    row = scorecard(reader, employee_id, period)
    assert row is not None
    return row


def test_a_policy_revision_rescores_every_plan_of_its_cycle(
    own_app: LedgerApp, conninfo: str, reader: Reader
) -> None:
    open_cycle(own_app, "FY2026")
    open_cycle(own_app, "FY2027")
    views = [ScorecardsView(History.of(own_app))]
    with Worker(own_app, views, SMALL_PAGES):
        seats = [seat(own_app, f"E100{number}") for number in range(3)]
        for each in seats:
            measure(own_app, each, "135")
        other = seat(own_app, "E2001", "FY2027")
        measure(own_app, other, "135")
        assert caught_up(conninfo, views, own_app.head_position())
        untouched = card(reader, "E2001", "FY2027-Q1")

        revised = own_app.revise_policy(
            HR, "FY2026", achievement_cap=Decimal(120), reason="a tighter cap"
        ).position
        assert caught_up(conninfo, views, revised)

    for each in seats:
        for period in ("FY2026-Q1", "FY2026-Q2", "FY2026"):
            row = card(reader, each.employee_id, period)
            assert row.position == revised
            assert row.scorecard == own_app.scorecard(each.employee_id, period)
        assert card(reader, each.employee_id, "FY2026-Q1").scorecard.score == Decimal("120.00")
    assert card(reader, "E2001", "FY2027-Q1") == untouched
    assert untouched.scorecard.score == Decimal("150.00")


def test_a_measurement_moves_its_quarter_and_the_whole_cycle_only(
    own_app: LedgerApp, conninfo: str, reader: Reader
) -> None:
    open_cycle(own_app)
    ana = seat(own_app, "E1001")
    measure(own_app, ana, "87", date(2026, 5, 10))
    views = all_views(own_app)
    with Worker(own_app, views, SMALL_PAGES):
        assert caught_up(conninfo, views, own_app.head_position())
        before = {period: card(reader, "E1001", period) for period in ("FY2026-Q1", "FY2026-Q3")}
        measured = own_app.record_measurement(
            HR, "E1001", "FY2026", "retention", value=Decimal(95), effective_date=date(2026, 8, 1)
        ).position
        assert caught_up(conninfo, views, measured)

    assert card(reader, "E1001", "FY2026-Q1") == before["FY2026-Q1"]
    assert card(reader, "E1001", "FY2026-Q3") == before["FY2026-Q3"]
    for period in ("FY2026-Q2", "FY2026"):
        row = card(reader, "E1001", period)
        assert row.position == measured
        assert row.scorecard == own_app.scorecard("E1001", period, position=measured)
    assert card(reader, "E1001", "FY2026-Q2").scorecard.kras[0].kpis[0].actual == Decimal(95)


def test_scorecards_of_a_period_are_filtered_and_paged_by_employee(
    own_app: LedgerApp, reader: Reader
) -> None:
    open_cycle(own_app)
    values = {"E1001": "95", "E1002": "70", "E1003": "95", "E1004": "95", "E1005": "95"}
    for employee_id, value in values.items():
        department = "Sales" if employee_id != "E1004" else "Finance"
        manager = "E1001" if employee_id != "E1001" else None
        placed = seat(own_app, employee_id, department=department, manager_id=manager)
        measure(own_app, placed, value)
    project(own_app)

    first = scorecards(reader, "FY2026-Q1", department="Sales", rating=4, limit=2)
    rest = scorecards(reader, "FY2026-Q1", department="Sales", rating=4, after=first.next)
    managed = scorecards(reader, "FY2026-Q1", manager_id="E1001")

    assert [row.employee_id for row in first.items] == ["E1001", "E1003"]
    assert first.next == "E1003"
    assert [row.employee_id for row in rest.items] == ["E1005"]
    assert rest.next is None
    assert [row.employee_id for row in managed.items] == ["E1002", "E1003", "E1004", "E1005"]
    assert {row.period for row in managed.items} == {"FY2026-Q1"}


def test_a_department_change_moves_the_employees_scorecards(
    own_app: LedgerApp, conninfo: str, reader: Reader
) -> None:
    open_cycle(own_app)
    ana = seat(own_app, "E1001", department="Sales")
    measure(own_app, ana, "87")
    views = all_views(own_app)
    with Worker(own_app, views, SMALL_PAGES):
        assert caught_up(conninfo, views, own_app.head_position())
        before = card(reader, "E1001", "FY2026-Q1")
        moved = own_app.change_profile(
            HR,
            "E1001",
            Profile("Person E1001", "Finance", "Account Manager", "E0001"),
            effective_date=date(2026, 7, 1),
            reason="moved to finance",
        ).position
        assert caught_up(conninfo, views, moved)

    after = card(reader, "E1001", "FY2026-Q1")
    assert (before.department, after.department, after.manager_id) == ("Sales", "Finance", "E0001")
    assert after.scorecard == before.scorecard
    finance = scorecards(reader, "FY2026", department="Finance").items
    assert [row.employee_id for row in finance] == ["E1001"]
