"""Measurement writes name the version of the plan's measurement log in If-Match: the ETag of
the plan's list of measurements."""

from __future__ import annotations

from tests.e2e.client import ApiClient, Seat, active_seat

MEASUREMENT = {"value": 87, "effective_date": "2026-06-30"}


def log_etag(client: ApiClient, seat: Seat) -> str:
    response = client.get(f"{seat.plan}/measurements")
    assert response.status_code == 200, response.text
    etag: str = response.headers["ETag"]
    assert etag == f'"{response.json()["version"]}"'
    return etag


def measured(client: ApiClient, seat: Seat) -> str:
    measurement_id: str = client.ok("POST", f"{seat.kpi()}/measurements", MEASUREMENT)[
        "measurement_id"
    ]
    return measurement_id


def test_the_measurements_of_a_plan_answer_the_version_of_their_log_as_the_etag(
    hr: ApiClient,
) -> None:
    seat = active_seat(hr)
    assert log_etag(hr, seat) == '"0"'
    written = hr.ok("POST", f"{seat.kpi()}/measurements", MEASUREMENT)
    assert log_etag(hr, seat) == f'"{written["version"]}"'


def test_a_first_measurement_with_if_match_of_the_empty_log_is_recorded(hr: ApiClient) -> None:
    seat = active_seat(hr)
    etag = log_etag(hr, seat)
    response = hr.post(f"{seat.kpi()}/measurements", MEASUREMENT, headers={"If-Match": etag})
    assert response.status_code == 201, response.text


def test_a_measurement_with_a_stale_if_match_gets_412_and_writes_nothing(hr: ApiClient) -> None:
    seat = active_seat(hr)
    etag = log_etag(hr, seat)
    measured(hr, seat)
    head = hr.head_position()
    response = hr.post(f"{seat.kpi()}/measurements", MEASUREMENT, headers={"If-Match": etag})
    assert response.status_code == 412, response.text
    assert response.json()["type"].endswith("/stale-version")
    assert hr.head_position() == head
    assert len(hr.ok("GET", f"{seat.plan}/measurements")["items"]) == 1


def test_a_correction_with_a_stale_if_match_gets_412_and_keeps_the_value(hr: ApiClient) -> None:
    seat = active_seat(hr)
    measurement_id = measured(hr, seat)
    etag = log_etag(hr, seat)
    measured(hr, seat)
    head = hr.head_position()
    body = {"value": 91, "reason": "typo"}
    response = hr.post(
        f"/measurements/{measurement_id}/corrections", body, headers={"If-Match": etag}
    )
    assert response.status_code == 412, response.text
    assert hr.head_position() == head
    [first, _] = hr.ok("GET", f"{seat.plan}/measurements")["items"]
    assert first["value"] == "87"


def test_a_void_with_the_current_if_match_is_taken_and_a_stale_one_refused(hr: ApiClient) -> None:
    seat = active_seat(hr)
    measurement_id = measured(hr, seat)
    etag = log_etag(hr, seat)
    path = f"/measurements/{measurement_id}/voids"
    taken = hr.post(path, {"reason": "entered twice"}, headers={"If-Match": etag})
    assert taken.status_code == 200, taken.text
    head = hr.head_position()
    refused = hr.post(path, {"reason": "entered twice"}, headers={"If-Match": etag})
    assert refused.status_code == 412, refused.text
    assert hr.head_position() == head


def test_the_openapi_document_says_measurement_writes_name_the_logs_version(
    hr: ApiClient,
) -> None:
    document = hr.ok("GET", "/openapi.json")
    paths = document["paths"]
    record = paths["/api/v1/employees/{employee_id}/plans/{cycle_id}/kpis/{kpi_id}/measurements"]
    if_match = next(p for p in record["post"]["parameters"] if p["name"] == "If-Match")
    assert "measurement log" in if_match["description"]
    listing = paths["/api/v1/employees/{employee_id}/plans/{cycle_id}/measurements"]
    assert "ETag" in listing["get"]["responses"]["200"]["headers"]
