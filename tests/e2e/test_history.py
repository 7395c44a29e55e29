"""Scorecards as the ledger knew them: at a position, as of an instant, after a position."""

from __future__ import annotations

from tests.e2e.client import ApiClient, Seat, active_seat

ADJUSTMENT = {"target": "85", "reason": "two key accounts moved to a new region"}


def measured_then_adjusted(hr: ApiClient) -> tuple[Seat, dict[str, object], str]:
    """The seat, the scorecard before the adjustment, and the instant it was recorded at."""
    seat = active_seat(hr)
    hr.ok("POST", f"{seat.kpi()}/measurements", {"value": 87, "effective_date": "2026-06-30"})
    before = hr.ok("GET", seat.scorecard)
    recorded_at = hr.ok("GET", "/ledger/head")["recorded_at"]
    hr.ok("POST", f"{seat.kpi()}/adjustments", {**ADJUSTMENT, "period": seat.q1})
    return seat, before, recorded_at


def test_the_scorecard_at_a_position_before_the_adjustment_is_the_one_read_then(
    hr: ApiClient,
) -> None:
    seat, before, _ = measured_then_adjusted(hr)
    again = hr.ok("GET", seat.scorecard, params={"position": before["position"]})
    assert (again["score"], again["rating"]) == ("96.67", 3)
    assert again["hash"] == before["hash"]


def test_the_scorecard_as_of_an_instant_before_the_adjustment_is_the_one_known_then(
    hr: ApiClient,
) -> None:
    seat, before, recorded_at = measured_then_adjusted(hr)
    then = hr.ok("GET", seat.scorecard, params={"as_of": recorded_at})
    assert then["hash"] == before["hash"]
    assert then["position"] == before["position"]
    assert then["as_of"] is not None


def test_an_instant_without_a_time_zone_is_refused(hr: ApiClient) -> None:
    seat, _, _ = measured_then_adjusted(hr)
    response = hr.get(seat.scorecard, params={"as_of": "2026-07-01T09:00:00"})
    assert response.status_code == 422
    assert "as_of" in response.json()["errors"]


def test_a_position_and_an_instant_together_are_refused(hr: ApiClient) -> None:
    seat, before, recorded_at = measured_then_adjusted(hr)
    params = {"as_of": recorded_at, "position": before["position"]}
    assert hr.get(seat.scorecard, params=params).status_code == 422


def test_a_position_beyond_the_head_is_refused(hr: ApiClient) -> None:
    seat, _, _ = measured_then_adjusted(hr)
    response = hr.get(seat.scorecard, params={"position": hr.head_position() + 1000})
    assert response.status_code == 422
    assert "position" in response.json()["errors"]


def test_a_min_position_the_ledger_has_reached_answers_at_once(hr: ApiClient) -> None:
    seat, _, _ = measured_then_adjusted(hr)
    head = hr.head_position()
    card = hr.ok("GET", seat.scorecard, params={"min_position": head})
    assert card["position"] >= head


def test_a_min_position_the_ledger_has_not_reached_is_a_conflict_to_retry(
    hr: ApiClient,
) -> None:
    seat, _, _ = measured_then_adjusted(hr)
    response = hr.get(seat.scorecard, params={"min_position": hr.head_position() + 10**6})
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["Retry-After"] == "1"
    assert response.json()["type"].endswith("/position-not-reached")
