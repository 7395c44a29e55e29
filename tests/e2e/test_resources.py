"""The resources through the API: employees, cycles, plans, measurements, reviews, the ledger."""

from __future__ import annotations

from tests.e2e.client import RETENTION_KPI, ApiClient, active_seat, drafted_seat, new_id

PROFILE = {"name": "Ana Rao", "department": "Sales", "role": "Sales Executive"}
MEASUREMENT = {"value": 87, "effective_date": "2026-06-30"}


def test_registering_answers_201_and_changing_the_profile_200_with_a_reason(
    hr: ApiClient,
) -> None:
    employee_id = new_id("E")
    created = hr.put(f"/employees/{employee_id}", PROFILE)
    assert created.status_code == 201
    assert created.json()["position"] == hr.head_position()
    moved = {**PROFILE, "department": "Marketing"}
    assert hr.put(f"/employees/{employee_id}", moved).status_code == 422
    changed = hr.put(f"/employees/{employee_id}", {**moved, "reason": "moved to marketing"})
    assert changed.status_code == 200
    employee = hr.get(f"/employees/{employee_id}")
    assert employee.json()["department"] == "Marketing"
    assert employee.headers["ETag"] == '"2"'


def test_a_cycle_is_opened_once_and_its_policy_revised_with_a_reason(hr: ApiClient) -> None:
    cycle_id = new_id("FY")
    body = {"name": "FY 2026-27", "start_date": "2026-04-01", "achievement_cap": "150"}
    assert hr.put(f"/cycles/{cycle_id}", body).status_code == 201
    assert hr.put(f"/cycles/{cycle_id}", body).status_code == 409
    policy = {"achievement_cap": 120, "reason": "tighter"}
    assert hr.patch(f"/cycles/{cycle_id}/policy", policy).status_code == 200
    cycle = hr.ok("GET", f"/cycles/{cycle_id}")
    assert cycle["achievement_cap"] == "120"
    assert cycle["end_date"] == "2027-03-31"
    assert cycle["periods"] == [f"{cycle_id}-Q{n}" for n in (1, 2, 3, 4)]


def test_a_plan_shows_the_target_in_force_in_each_quarter(hr: ApiClient) -> None:
    seat = active_seat(hr)
    hr.ok(
        "POST",
        f"{seat.kpi()}/target-revisions",
        {"effective_from": f"{seat.cycle_id}-Q3", "target": 95, "reason": "market grew"},
    )
    hr.ok(
        "POST",
        f"{seat.kpi()}/adjustments",
        {"period": seat.q1, "target": "85.5", "threshold": 50, "reason": "accounts moved"},
    )
    plan = hr.ok("GET", seat.plan)
    assert plan["status"] == "active"
    (kpi,) = plan["kras"][0]["kpis"]
    assert kpi["target"] == "90"
    in_force = {t["period"][-2:]: (t["target"], t["threshold"]) for t in kpi["targets"]}
    assert in_force == {
        "Q1": ("85.5", "50"),
        "Q2": ("90", None),
        "Q3": ("95", None),
        "Q4": ("95", None),
    }


def test_a_kpi_is_defined_with_201_then_changed_with_200(hr: ApiClient) -> None:
    seat = drafted_seat(hr)
    hr.ok("PUT", f"{seat.plan}/kras/client-retention", {"title": "Client Retention", "weight": 100})
    assert hr.put(seat.kpi(), RETENTION_KPI).status_code == 201
    changed = hr.put(seat.kpi(), {**RETENTION_KPI, "name": "clients retained"})
    assert changed.status_code == 200
    moved = hr.put(seat.kpi(), {**RETENTION_KPI, "kra_id": "elsewhere"})
    assert moved.status_code == 422
    assert "kra_id" in moved.json()["errors"]


def test_activation_refuses_weights_that_do_not_balance(hr: ApiClient) -> None:
    seat = drafted_seat(hr)
    hr.ok("PUT", f"{seat.plan}/kras/client-retention", {"title": "Client Retention", "weight": 60})
    hr.ok("PUT", seat.kpi(), RETENTION_KPI)
    lint = hr.ok("GET", f"{seat.plan}/lint")
    assert any("sum to 60" in warning for warning in lint["warnings"])
    response = hr.post(f"{seat.plan}/activate")
    assert response.status_code == 409
    assert response.json()["type"].endswith("/rule-violated")


def test_a_correction_and_a_void_keep_the_measurement_on_record(hr: ApiClient) -> None:
    seat = active_seat(hr)
    measured = hr.ok("POST", f"{seat.kpi()}/measurements", MEASUREMENT)
    measurement = f"/measurements/{measured['measurement_id']}"
    hr.ok("POST", f"{measurement}/corrections", {"value": "88.5", "reason": "typo"})
    assert hr.ok("GET", seat.scorecard)["kras"][0]["kpis"][0]["actual"] == "88.50"
    hr.ok("POST", f"{measurement}/voids", {"reason": "duplicate"})
    (item,) = hr.ok("GET", f"{seat.plan}/measurements")["items"]
    assert (item["original_value"], item["value"], item["voided"]) == ("87", "88.5", True)
    assert hr.ok("GET", seat.scorecard)["score"] is None
    assert hr.post(f"{measurement}/voids", {"reason": "again"}).status_code == 409


def test_a_review_is_finalised_calibrated_reopened_and_reproduced(hr: ApiClient) -> None:
    seat = active_seat(hr)
    hr.ok("POST", f"{seat.kpi()}/measurements", MEASUREMENT)
    finalized = hr.post(f"{seat.review}/finalize", {"comments": "steady quarter"})
    assert finalized.status_code == 201
    assert finalized.json()["revision"] == 1
    hr.ok("POST", f"{seat.review}/calibrate", {"rating": 4, "reason": "committee view"})
    hr.ok("POST", f"{seat.review}/reopen", {"reason": "appeal"})
    again = hr.post(f"{seat.review}/finalize")
    assert (again.status_code, again.json()["revision"]) == (200, 2)
    review = hr.ok("GET", seat.review)
    assert review["status"] == "finalized"
    first, second = review["revisions"]
    assert (first["computed_rating"], first["final_rating"]) == (3, 4)
    assert first["calibration_reason"] == "committee view"
    assert first["reopen_reason"] == "appeal"
    assert first["finalized_by"] == "hr:e2e-hr"
    assert first["recorded_at"] is not None
    assert second["score"] == "96.67"
    reproduced = hr.ok("GET", f"{seat.review}/revisions/1/reproduce")
    assert reproduced["matches"] is True
    assert reproduced["hash"] == reproduced["stored_hash"] == first["scorecard_hash"]
    assert reproduced["scorecard"]["score"] == "96.67"
    assert hr.get(f"{seat.review}/revisions/3/reproduce").status_code == 404


def test_the_ledger_head_and_its_verification(auditor: ApiClient, hr: ApiClient) -> None:
    active_seat(hr)
    head = auditor.ok("GET", "/ledger/head")
    assert len(head["chain_hash"]) == 64
    verification = auditor.ok("GET", "/ledger/verify")
    assert verification["ok"] is True
    assert verification["first_bad_position"] is None
    assert verification["checked"] > 0
