"""Versions as ETags, If-Match, a real race of two clients, and idempotent retries."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

from ledger.application import LedgerApp
from ledger.domain import MeasurementLog
from tests.e2e.client import ApiClient, Seat, active_seat, drafted_seat

KRA = {"title": "Revenue Generation", "weight": 50}
JUNE = date(2026, 6, 30)


def test_a_plan_answers_its_version_as_its_etag(hr: ApiClient) -> None:
    seat = drafted_seat(hr)
    response = hr.get(seat.plan)
    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{response.json()["version"]}"'


def test_a_write_with_the_current_version_in_if_match_succeeds(hr: ApiClient) -> None:
    seat = drafted_seat(hr)
    etag = hr.get(seat.plan).headers["ETag"]
    response = hr.put(f"{seat.plan}/kras/revenue", KRA, headers={"If-Match": etag})
    assert response.status_code == 201


def test_a_write_with_a_stale_if_match_gets_412_and_writes_nothing(hr: ApiClient) -> None:
    seat = drafted_seat(hr)
    etag = hr.get(seat.plan).headers["ETag"]
    hr.ok("PUT", f"{seat.plan}/kras/revenue", KRA)
    head = hr.head_position()
    response = hr.put(f"{seat.plan}/kras/talent", KRA, headers={"If-Match": etag})
    assert response.status_code == 412
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 412
    assert hr.head_position() == head


def test_of_two_clients_racing_on_one_plan_one_wins_and_the_other_is_refused(
    hr: ApiClient, base_url: str, tokens: dict[str, str]
) -> None:
    seat = drafted_seat(hr)
    etag = hr.get(seat.plan).headers["ETag"]
    start = threading.Barrier(2)
    statuses: dict[str, int] = {}

    def write(kra_id: str) -> None:
        client = ApiClient(base_url, tokens["hr"])
        try:
            start.wait()
            response = client.put(f"{seat.plan}/kras/{kra_id}", KRA, headers={"If-Match": etag})
            statuses[kra_id] = response.status_code
        finally:
            client.close()

    racers = [threading.Thread(target=write, args=(kra_id,)) for kra_id in ("left", "right")]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert sorted(statuses.values())[0] == 201
    assert sorted(statuses.values())[1] in {409, 412}
    kras = [kra["kra_id"] for kra in hr.ok("GET", seat.plan)["kras"]]
    assert len(kras) == 1


def test_a_retried_request_with_its_idempotency_key_replays_the_first_answer(
    hr: ApiClient,
) -> None:
    seat = drafted_seat(hr)
    key = {"Idempotency-Key": f"kra-{seat.employee_id}"}
    first = hr.put(f"{seat.plan}/kras/revenue", KRA, headers=key)
    head = hr.head_position()
    again = hr.put(f"{seat.plan}/kras/revenue", KRA, headers=key)
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert hr.head_position() == head


def test_an_idempotency_key_reused_with_another_body_gets_422_and_writes_nothing(
    hr: ApiClient,
) -> None:
    seat = drafted_seat(hr)
    key = {"Idempotency-Key": f"kra-{seat.employee_id}"}
    hr.put(f"{seat.plan}/kras/revenue", KRA, headers=key)
    head = hr.head_position()
    response = hr.put(f"{seat.plan}/kras/revenue", {**KRA, "weight": 60}, headers=key)
    assert response.status_code == 422
    assert response.json()["type"].endswith("/idempotency-key-reused")
    assert hr.head_position() == head


def test_the_same_key_from_another_principal_is_another_request(
    hr: ApiClient, admin: ApiClient
) -> None:
    seat = drafted_seat(hr)
    key = {"Idempotency-Key": f"kra-{seat.employee_id}"}
    hr.put(f"{seat.plan}/kras/revenue", KRA, headers=key)
    response = admin.put(f"{seat.plan}/kras/revenue", KRA, headers=key)
    assert response.status_code == 422


def test_a_replayed_measurement_answers_the_same_measurement_id(hr: ApiClient) -> None:
    seat = active_seat(hr)
    key = {"Idempotency-Key": f"measure-{seat.employee_id}"}
    body = {"value": 87, "effective_date": "2026-06-30"}
    first = hr.post(f"{seat.kpi()}/measurements", body, headers=key)
    again = hr.post(f"{seat.kpi()}/measurements", body, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json()["measurement_id"] == first.json()["measurement_id"]
    assert len(hr.ok("GET", f"{seat.plan}/measurements")["items"]) == 1


def prefill(ledger: LedgerApp, seat: Seat, count: int) -> None:
    """A long measurement log for the seat, saved at once, as a bulk import would."""
    plan = ledger.plan(seat.employee_id, seat.cycle_id)
    cycle = ledger.cycle(seat.cycle_id)
    log = MeasurementLog.start(seat.employee_id, seat.cycle_id, actor="hr:bulk")
    for n in range(count):
        log.record(
            plan, cycle, kpi_id="retention", value=Decimal(n), effective_date=JUNE, actor="hr:bulk"
        )
    ledger.save(log)


def test_many_writers_on_one_plan_get_no_5xx_and_each_acknowledged_write_is_stored_once(
    hr: ApiClient, base_url: str, tokens: dict[str, str], e2e_ledger: LedgerApp
) -> None:
    seat = active_seat(hr)
    prefill(e2e_ledger, seat, 1000)
    writers, writes = 8, 15
    start = threading.Barrier(writers)
    statuses: list[int] = []
    acknowledged: list[str] = []

    def write(writer: int) -> None:
        client = ApiClient(base_url, tokens["hr"])
        try:
            start.wait()
            for n in range(writes):
                key = {"Idempotency-Key": f"{seat.employee_id}-{writer}-{n}"}
                body = {"value": 80 + n, "effective_date": "2026-06-30", "note": f"w{writer}"}
                while True:
                    response = client.post(f"{seat.kpi()}/measurements", body, headers=key)
                    statuses.append(response.status_code)
                    if response.status_code == 201:
                        acknowledged.append(response.json()["measurement_id"])
                        break
                    if response.status_code not in {409, 503}:
                        return
        finally:
            client.close()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(statuses) <= {201, 409, 503}
    items = hr.ok("GET", f"{seat.plan}/measurements")["items"][1000:]
    stored = [m["measurement_id"] for m in items]
    assert len(acknowledged) == writers * writes
    assert sorted(stored) == sorted(acknowledged)
    assert hr.ok("GET", "/ledger/verify")["ok"]
