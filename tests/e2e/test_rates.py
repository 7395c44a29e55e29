"""Rates over HTTP: a KPI with aggregation ratio and a scale, measured by numerator and
denominator, scored as the ratio of the quarter's sums, corrected, explained, reproduced,
audited and exported; every malformed rate refused with nothing written."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from tests.e2e.client import ApiClient, Seat, active_seat, drafted_seat

CONVERSION = {
    "kra_id": "sales",
    "name": "conversion rate",
    "unit": "%",
    "direction": "increase",
    "aggregation": "ratio",
    "scale": 100,
    "weight": 100,
    "target": 5,
}
MONTHS = [("2026-04-30", 80, 1000), ("2026-05-31", 1, 100), ("2026-06-30", 120, 4000)]
"""8%, 1% and 3% on very different volumes: 201 / 5100 = 3.94% for the quarter, 78.82% of
the target, where the mean of the monthly rates (4%) would say 80%."""


def rate_seat(client: ApiClient) -> Seat:
    seat = drafted_seat(client)
    client.ok("PUT", f"{seat.plan}/kras/sales", {"title": "Sales", "weight": 100})
    client.ok("PUT", seat.kpi("conversion"), CONVERSION)
    client.ok("POST", f"{seat.plan}/activate")
    return seat


def measure(client: ApiClient, seat: Seat, day: str, numerator: Any, denominator: Any) -> Any:
    body = {"numerator": numerator, "denominator": denominator, "effective_date": day}
    return client.ok("POST", f"{seat.kpi('conversion')}/measurements", body)


@pytest.fixture
def measured(hr: ApiClient) -> tuple[Seat, list[dict[str, Any]]]:
    seat = rate_seat(hr)
    return seat, [measure(hr, seat, *month) for month in MONTHS]


def test_a_quarter_of_rates_scores_the_ratio_of_its_sums(
    auditor: ApiClient, measured: tuple[Seat, list[dict[str, Any]]]
) -> None:
    seat, written = measured
    card = auditor.ok("GET", seat.scorecard, params={"min_position": str(written[-1]["position"])})
    [kpi] = card["kras"][0]["kpis"]
    assert (kpi["aggregation"], kpi["actual"], kpi["achievement"]) == ("ratio", "3.94", "78.82")
    assert (card["score"], card["rating"], kpi["measurement_count"]) == ("78.82", 2, 3)


def test_the_plan_and_the_measurements_show_the_scale_and_the_parts(
    auditor: ApiClient, measured: tuple[Seat, list[dict[str, Any]]]
) -> None:
    seat, _ = measured
    plan = auditor.ok("GET", seat.plan)
    [kpi] = plan["kras"][0]["kpis"]
    assert (kpi["aggregation"], kpi["scale"]) == ("ratio", "100")
    items = auditor.ok("GET", f"{seat.plan}/measurements")["items"]
    assert [(m["value"], m["numerator"], m["denominator"]) for m in items] == [
        (None, "80", "1000"),
        (None, "1", "100"),
        (None, "120", "4000"),
    ]


def test_a_correction_of_both_parts_is_explained_and_both_revisions_reproduce(
    hr: ApiClient, auditor: ApiClient, measured: tuple[Seat, list[dict[str, Any]]]
) -> None:
    seat, written = measured
    hr.ok("POST", f"{seat.review}/finalize")
    hr.ok("POST", f"{seat.review}/reopen", {"reason": "May's visitors were bots"})
    may = f"/measurements/{written[1]['measurement_id']}/corrections"
    corrected = hr.ok("POST", may, {"numerator": 1, "denominator": 0, "reason": "bots"})
    hr.ok("POST", f"{seat.review}/finalize")

    explanation = auditor.ok(
        "GET", f"{seat.scorecard}/explain", params={"from": "r1", "to": "r2", "steps": "moved"}
    )

    [step] = explanation["steps"]
    assert (step["position"], step["period"], step["moved"]) == (
        corrected["position"],
        seat.q1,
        True,
    )
    # 201 conversions of 5000 visitors: 4.02%, 80.40% of the target
    assert (step["score"], step["score_delta"]) == ("80.40", "1.58")
    for revision in (1, 2):
        reproduced = auditor.ok("GET", f"{seat.review}/revisions/{revision}/reproduce")
        assert reproduced["matches"] is True


def test_the_audit_trail_and_its_export_show_the_parts_and_their_correction(
    hr: ApiClient, auditor: ApiClient, measured: tuple[Seat, list[dict[str, Any]]]
) -> None:
    seat, written = measured
    may = f"/measurements/{written[1]['measurement_id']}/corrections"
    corrected = hr.ok("POST", may, {"numerator": 2, "denominator": 90, "reason": "recount"})
    params = {"employee_id": seat.employee_id, "min_position": str(corrected["position"])}

    trail = auditor.ok("GET", "/audit", params=params)["items"]

    changes = {entry["position"]: entry["changes"] for entry in trail}
    [defined] = [entry for entry in trail if entry["event_type"] == "Plan.KpiDefined"]
    assert defined["changes"]["scale"] == {"from": None, "to": "100"}
    assert defined["changes"]["aggregation"] == {"from": None, "to": "ratio"}
    assert changes[written[1]["position"]]["numerator"] == {"from": None, "to": "1"}
    assert changes[written[1]["position"]]["denominator"] == {"from": None, "to": "100"}
    assert changes[corrected["position"]] == {
        "numerator": {"from": "1", "to": "2"},
        "denominator": {"from": "100", "to": "90"},
    }
    export = auditor.request(
        "GET", "/exports/audit", params={"employee_id": seat.employee_id, "format": "csv"}
    )
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    [row] = [row for row in rows if row["position"] == str(corrected["position"])]
    assert json.loads(row["changes"])["denominator"] == {"from": "100", "to": "90"}


def test_a_zero_denominator_sum_leaves_the_rate_unscored(hr: ApiClient) -> None:
    seat = rate_seat(hr)
    written = measure(hr, seat, "2026-04-30", 0, 0)
    card = hr.ok("GET", seat.scorecard, params={"min_position": str(written["position"])})
    [kpi] = card["kras"][0]["kpis"]
    assert (kpi["actual"], kpi["achievement"], card["score"]) == (None, None, None)


def refused(client: ApiClient, method: str, path: str, body: Any, field: str) -> None:
    head = client.head_position()
    response = client.request(method, path, json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in response.json()["errors"], response.json()
    assert client.head_position() == head


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"scale": None}, "scale"),
        ({"scale": 50}, "scale"),
        ({"aggregation": "sum"}, "scale"),
    ],
    ids=["a rate without a scale", "a scale of 50", "a scale on a sum"],
)
def test_a_kpi_with_a_scale_it_may_not_have_is_refused(
    hr: ApiClient, changes: dict[str, Any], field: str
) -> None:
    seat = drafted_seat(hr)
    hr.ok("PUT", f"{seat.plan}/kras/sales", {"title": "Sales", "weight": 100})
    refused(hr, "PUT", seat.kpi("conversion"), {**CONVERSION, **changes}, field)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"value": 4}, "value"),
        ({"numerator": 4}, "denominator"),
        ({"denominator": 100}, "numerator"),
        ({"numerator": 4, "denominator": -100}, "denominator"),
        ({"numerator": "NaN", "denominator": 100}, "numerator"),
    ],
    ids=["a value", "no denominator", "no numerator", "a negative denominator", "NaN"],
)
def test_a_rate_measured_wrongly_is_refused(
    hr: ApiClient, measured: tuple[Seat, list[dict[str, Any]]], body: dict[str, Any], field: str
) -> None:
    seat, _ = measured
    path = f"{seat.kpi('conversion')}/measurements"
    refused(hr, "POST", path, {**body, "effective_date": "2026-04-30"}, field)


def test_a_correction_of_a_rate_needs_both_parts_and_no_value(
    hr: ApiClient, measured: tuple[Seat, list[dict[str, Any]]]
) -> None:
    _, written = measured
    path = f"/measurements/{written[0]['measurement_id']}/corrections"
    refused(hr, "POST", path, {"value": 8, "reason": "as a value"}, "value")
    refused(hr, "POST", path, {"numerator": 81, "reason": "one part"}, "denominator")


def test_a_value_kpi_takes_no_numerator(hr: ApiClient) -> None:
    seat = active_seat(hr)
    body = {"value": 87, "numerator": 1, "denominator": 2, "effective_date": "2026-06-30"}
    refused(hr, "POST", f"{seat.kpi()}/measurements", body, "numerator")
