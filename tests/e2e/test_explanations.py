"""Explaining a change and restating a review over HTTP: the worked example's adjustment, told
event by event, and a finalised revision beside today's knowledge."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.client import ApiClient, Seat, active_seat

REASON = "two key accounts moved to a new region"


@pytest.fixture
def adjusted(hr: ApiClient) -> tuple[Seat, dict[str, Any], dict[str, Any]]:
    """87 against 90 (96.67, rating 3), finalised; then the target adjusted to 85 (102.35, 4)."""
    seat = active_seat(hr)
    hr.ok("POST", f"{seat.kpi()}/measurements", {"value": 87, "effective_date": "2026-06-30"})
    finalized = hr.ok("POST", f"{seat.review}/finalize")
    adjustment = {"period": seat.q1, "target": "85", "reason": REASON, "approved_by": "hr:priya"}
    adjusted = hr.ok("POST", f"{seat.kpi()}/adjustments", adjustment)
    return seat, finalized, adjusted


def scored_position(client: ApiClient, seat: Seat) -> int:
    """The position of the knowledge revision 1 scored."""
    position: int = client.ok("GET", seat.review)["revisions"][0]["position"]
    return position


def test_an_explanation_names_the_adjustment_its_actor_and_its_reason(
    auditor: ApiClient, adjusted: tuple[Seat, dict[str, Any], dict[str, Any]]
) -> None:
    seat, finalized, written = adjusted
    explanation = auditor.ok(
        "GET",
        f"{seat.scorecard}/explain",
        params={"from": str(finalized["position"]), "to": str(written["position"])},
    )
    assert explanation["from"]["position"] == finalized["position"]
    assert (explanation["from"]["score"], explanation["from"]["rating"]) == ("96.67", 3)
    assert (explanation["to"]["score"], explanation["to"]["rating"]) == ("102.35", 4)
    [step] = explanation["steps"]
    assert step["event_type"].endswith("TargetAdjusted")
    assert (step["actor"], step["reason"], step["approved_by"]) == ("hr:e2e-hr", REASON, "hr:priya")
    assert (step["score"], step["rating"]) == ("102.35", 4)
    assert explanation["overall"]["difference"] == "5.68"
    assert explanation["kpis"][0]["achievement_from"] == "96.67"


def test_an_explanation_runs_from_a_review_revision_to_the_latest_by_default(
    auditor: ApiClient, adjusted: tuple[Seat, dict[str, Any], dict[str, Any]]
) -> None:
    seat, _, written = adjusted
    explanation = auditor.ok("GET", f"{seat.scorecard}/explain", params={"from": "r1"})
    assert explanation["from"]["position"] == scored_position(auditor, seat)
    assert explanation["to"]["position"] >= written["position"]
    assert explanation["steps"][-1]["score"] == explanation["to"]["score"] == "102.35"


def test_an_explanation_takes_instants_with_a_time_zone(
    auditor: ApiClient, adjusted: tuple[Seat, dict[str, Any], dict[str, Any]]
) -> None:
    seat, _, _ = adjusted
    explanation = auditor.ok(
        "GET",
        f"{seat.scorecard}/explain",
        params={"from": "2000-01-01T00:00:00Z", "to": "2999-01-01T00:00:00+05:30"},
    )
    assert explanation["from"]["scorecard"] is None
    assert explanation["to"]["score"] == "102.35"
    assert explanation["steps"][-1]["score"] == "102.35"


def test_an_explanation_from_a_revision_that_does_not_exist_is_not_found(
    auditor: ApiClient, adjusted: tuple[Seat, dict[str, Any], dict[str, Any]]
) -> None:
    seat, _, _ = adjusted
    response = auditor.get(f"{seat.scorecard}/explain", params={"from": "r7"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_a_restatement_puts_the_finalised_revision_beside_todays_scorecard(
    auditor: ApiClient, adjusted: tuple[Seat, dict[str, Any], dict[str, Any]]
) -> None:
    seat, _, _ = adjusted
    restated = auditor.ok("GET", f"{seat.review}/revisions/1/restate")
    assert restated["matches"] is True
    assert (restated["revision"], restated["computed_rating"]) == (1, 3)
    assert restated["from"]["position"] == scored_position(auditor, seat)
    assert restated["from"]["score"] == "96.67"
    assert restated["to"]["score"] == "102.35"
    assert restated["stored_hash"] == restated["from"]["scorecard"]["hash"]
    assert restated["overall"] == {
        "score_from": "96.67",
        "score_to": "102.35",
        "difference": "5.68",
        "rating_from": 3,
        "rating_to": 4,
    }


def test_a_restatement_at_a_position_uses_the_knowledge_there(
    auditor: ApiClient, adjusted: tuple[Seat, dict[str, Any], dict[str, Any]]
) -> None:
    seat, finalized, _ = adjusted
    restated = auditor.ok(
        "GET", f"{seat.review}/revisions/1/restate", params={"position": finalized["position"]}
    )
    assert restated["to"]["score"] == restated["from"]["score"] == "96.67"
    assert restated["overall"]["difference"] == "0.00"


def test_restating_a_revision_that_does_not_exist_is_not_found(
    auditor: ApiClient, adjusted: tuple[Seat, dict[str, Any], dict[str, Any]]
) -> None:
    seat, _, _ = adjusted
    response = auditor.get(f"{seat.review}/revisions/2/restate")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
