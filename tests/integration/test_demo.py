"""The demo organisation loads into an empty ledger and tells a story an auditor can follow."""

from __future__ import annotations

from ledger.application import LedgerApp
from web.demo import load_demo
from web.demo.organisation import CYCLE_ID, even_weights


def test_even_weights_sum_to_exactly_100() -> None:
    for count in range(1, 8):
        assert sum(even_weights(count)) == 100


def test_the_demo_loads_people_plans_a_year_of_measurements_and_reviews(own_app: LedgerApp) -> None:
    summary = load_demo(own_app)
    assert len(summary.managers) == 5
    assert len(summary.employees) == 10
    assert summary.measurements >= 10 * 2 * 12
    assert summary.head == own_app.head_position()
    for employee_id in summary.employees:
        assert own_app.plan(employee_id, CYCLE_ID).is_active
        card = own_app.scorecard(employee_id, f"{CYCLE_ID}-Q1")
        assert card.complete
        assert card.score is not None
        review = own_app.review(employee_id, f"{CYCLE_ID}-Q1")
        assert own_app.reproduce(
            employee_id, f"{CYCLE_ID}-Q1", review.revisions[0].revision
        ).matches
    sales = own_app.plan("E1030", CYCLE_ID).kpi("quarterly-revenue")
    assert [change.spec.target for change in sales.revisions] == [12_000_000]
    assert own_app.verify().ok
