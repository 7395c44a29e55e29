"""The worked example of the design, over HTTP: 96.67 and rating 3, then 102.35 and rating 4."""

from __future__ import annotations

from tests.e2e.client import ApiClient, active_seat

ADJUSTMENT = {"period": None, "target": "85", "reason": "two key accounts moved to a new region"}


def test_a_measurement_of_87_against_a_target_of_90_scores_96_67_rating_3(hr: ApiClient) -> None:
    seat = active_seat(hr)
    written = hr.ok(
        "POST", f"{seat.kpi()}/measurements", {"value": 87, "effective_date": "2026-06-30"}
    )
    assert written["measurement_id"]
    card = hr.ok("GET", seat.scorecard)
    assert (card["score"], card["rating"], card["rating_label"]) == (
        "96.67",
        3,
        "Meets expectations",
    )
    assert card["complete"] is True
    assert card["position"] == written["position"]
    assert card["kras"][0]["kpis"][0]["achievement"] == "96.67"
    assert card["hash"].startswith("sha256:")


def test_an_adjustment_to_85_makes_it_102_35_rating_4(hr: ApiClient) -> None:
    seat = active_seat(hr)
    hr.ok("POST", f"{seat.kpi()}/measurements", {"value": "87", "effective_date": "2026-06-30"})
    before = hr.ok("GET", seat.scorecard)
    adjusted = hr.ok("POST", f"{seat.kpi()}/adjustments", {**ADJUSTMENT, "period": seat.q1})
    after = hr.ok("GET", seat.scorecard)
    assert (after["score"], after["rating"]) == ("102.35", 4)
    assert after["position"] == adjusted["position"]
    assert after["kras"][0]["kpis"][0]["target"] == "85.00"
    assert before["hash"] != after["hash"]
