"""The latest scorecard, served from the read model once it has caught up."""

from __future__ import annotations

from ledger.application import LedgerApp
from projections import wait_for
from tests.e2e.client import ApiClient, Seat, active_seat

CATCH_UP_SECONDS = 60


def measured(hr: ApiClient, ledger: LedgerApp) -> Seat:
    """A seat with a measurement, and the scorecards read model at the ledger's head."""
    seat = active_seat(hr)
    hr.ok("POST", f"{seat.kpi()}/measurements", {"value": 87, "effective_date": "2026-06-30"})
    head = ledger.head_position()
    assert wait_for(ledger.records.datastore, "scorecards", head, CATCH_UP_SECONDS)
    return seat


def test_the_latest_scorecard_is_the_one_computed_from_the_events_at_its_position(
    hr: ApiClient, e2e_ledger: LedgerApp
) -> None:
    seat = measured(hr, e2e_ledger)
    latest = hr.ok("GET", seat.scorecard)
    computed = hr.ok("GET", seat.scorecard, params={"position": latest["position"]})
    assert latest == computed
    assert (latest["score"], latest["rating"]) == ("96.67", 3)


def test_the_latest_scorecard_is_json(hr: ApiClient, e2e_ledger: LedgerApp) -> None:
    seat = measured(hr, e2e_ledger)
    response = hr.get(seat.scorecard)
    assert response.headers["Content-Type"] == "application/json"


def test_a_manager_may_not_read_the_latest_scorecard_of_someone_not_theirs(
    hr: ApiClient, manager: ApiClient, e2e_ledger: LedgerApp
) -> None:
    seat = measured(hr, e2e_ledger)
    assert manager.get(seat.scorecard).status_code == 403
