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


@pytest.fixture
def restated_q1(hr: ApiClient) -> tuple[Seat, dict[str, Any], list[dict[str, Any]]]:
    """Revision 1 at 96.67; reopened; Q2 measurements, a corrected Q1 figure (92, 102.22),
    a Q2 correction and void; revision 2. Answers the Q1 write and the Q2 writes."""
    seat = active_seat(hr)
    hr.ok("POST", f"{seat.kpi()}/measurements", {"value": 87, "effective_date": "2026-06-30"})
    hr.ok("POST", f"{seat.review}/finalize")
    hr.ok("POST", f"{seat.review}/reopen", {"reason": "June's figure was restated"})
    july = hr.ok(
        "POST", f"{seat.kpi()}/measurements", {"value": 60, "effective_date": "2026-07-01"}
    )
    june = hr.ok(
        "POST", f"{seat.kpi()}/measurements", {"value": 92, "effective_date": "2026-06-30"}
    )
    august = hr.ok(
        "POST", f"{seat.kpi()}/measurements", {"value": 95, "effective_date": "2026-08-15"}
    )
    measurement = f"/measurements/{august['measurement_id']}"
    corrected = hr.ok("POST", f"{measurement}/corrections", {"value": 97, "reason": "restated"})
    voided = hr.ok("POST", f"{measurement}/voids", {"reason": "duplicate"})
    hr.ok("POST", f"{seat.review}/finalize")
    return seat, june, [july, august, corrected, voided]


def test_measurements_of_q2_between_two_q1_revisions_did_not_move_the_q1_score(
    auditor: ApiClient, restated_q1: tuple[Seat, dict[str, Any], list[dict[str, Any]]]
) -> None:
    seat, june, q2_writes = restated_q1
    explanation = auditor.ok("GET", f"{seat.scorecard}/explain", params={"from": "r1", "to": "r2"})
    by_position = {step["position"]: step for step in explanation["steps"]}
    for written in q2_writes:
        step = by_position[written["position"]]
        assert (step["period"], step["moved"]) == (f"{seat.cycle_id}-Q2", False)
        assert step["score_delta"] == "0.00"
    q1 = by_position[june["position"]]
    assert (q1["period"], q1["moved"], q1["score"], q1["score_delta"]) == (
        seat.q1,
        True,
        "102.22",
        "5.55",
    )
    assert [step["position"] for step in explanation["steps"] if step["moved"]] == [
        june["position"]
    ]
    assert (explanation["steps_moved"], explanation["steps_unchanged"]) == (1, 7)
    assert (explanation["from"]["score"], explanation["to"]["score"]) == ("96.67", "102.22")


def test_only_the_moving_steps_are_listed_with_steps_moved_and_the_counts_stay(
    auditor: ApiClient, restated_q1: tuple[Seat, dict[str, Any], list[dict[str, Any]]]
) -> None:
    seat, june, _ = restated_q1
    params = {"from": "r1", "to": "r2"}
    everything = auditor.ok("GET", f"{seat.scorecard}/explain", params=params)
    moving = auditor.ok("GET", f"{seat.scorecard}/explain", params={**params, "steps": "moved"})
    assert [step["position"] for step in moving["steps"]] == [june["position"]]
    assert moving["steps"][-1]["score"] == moving["to"]["score"]
    counts = ("steps_moved", "steps_unchanged")
    assert [moving[key] for key in counts] == [everything[key] for key in counts] == [1, 7]
    assert {**moving, "steps": everything["steps"]} == everything


def test_a_steps_filter_it_does_not_know_is_refused(
    auditor: ApiClient, restated_q1: tuple[Seat, dict[str, Any], list[dict[str, Any]]]
) -> None:
    seat, _, _ = restated_q1
    response = auditor.get(f"{seat.scorecard}/explain", params={"from": "r1", "steps": "some"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "steps" in response.json()["errors"]


def test_a_measurement_step_names_the_period_the_audit_trail_names(
    auditor: ApiClient, restated_q1: tuple[Seat, dict[str, Any], list[dict[str, Any]]]
) -> None:
    seat, _, q2_writes = restated_q1
    explanation = auditor.ok("GET", f"{seat.scorecard}/explain", params={"from": "r1"})
    trail = auditor.ok(
        "GET",
        "/audit",
        params={"employee_id": seat.employee_id, "min_position": str(q2_writes[-1]["position"])},
    )
    periods = {entry["position"]: entry["period"] for entry in trail["items"]}
    measured = [step for step in explanation["steps"] if step["measurement_id"]]
    assert len(measured) == 5
    for step in measured:
        assert step["period"] == periods[step["position"]]
