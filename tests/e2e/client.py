"""A small client of the API for the end-to-end tests, and random ids so tests never collide."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import httpx

API = "/api/v1"

RETENTION_KPI = {
    "kra_id": "client-retention",
    "name": "retain existing clients",
    "unit": "%",
    "direction": "increase",
    "aggregation": "last",
    "weight": 100,
    "target": 90,
}


def new_id(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(4)}"


class ApiClient:
    """Requests under /api/v1 with one principal's bearer token."""

    def __init__(self, base_url: str, token: str | None) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.Client(base_url=base_url + API, headers=headers, timeout=30)

    def close(self) -> None:
        self.http.close()

    def request(self, method: str, path: str, **options: Any) -> httpx.Response:
        return self.http.request(method, path, **options)

    def get(self, path: str, **options: Any) -> httpx.Response:
        return self.request("GET", path, **options)

    def put(self, path: str, body: Any = None, **options: Any) -> httpx.Response:
        return self.request("PUT", path, json=body, **options)

    def post(self, path: str, body: Any = None, **options: Any) -> httpx.Response:
        return self.request("POST", path, json=body, **options)

    def patch(self, path: str, body: Any = None, **options: Any) -> httpx.Response:
        return self.request("PATCH", path, json=body, **options)

    def delete(self, path: str, body: Any = None, **options: Any) -> httpx.Response:
        return self.request("DELETE", path, json=body, **options)

    def head_position(self) -> int:
        response = self.get("/ledger/head")
        assert response.status_code == 200, response.text
        position: int = response.json()["position"]
        return position

    def ok(self, method: str, path: str, body: Any = None, **options: Any) -> dict[str, Any]:
        """The JSON of a 2xx answer; anything else fails the test with the problem shown."""
        response = self.request(method, path, json=body, **options)
        assert response.is_success, f"{method} {path}: {response.status_code} {response.text}"
        document: dict[str, Any] = response.json()
        return document

    # The domain, in the steps a client takes

    def register(self, employee_id: str, manager_id: str | None = None) -> dict[str, Any]:
        profile = {"name": "Ana Rao", "department": "Sales", "role": "Sales Executive"}
        return self.ok("PUT", f"/employees/{employee_id}", {**profile, "manager_id": manager_id})

    def open_cycle(self, cycle_id: str) -> dict[str, Any]:
        body = {"name": "FY 2026-27", "start_date": "2026-04-01"}
        return self.ok("PUT", f"/cycles/{cycle_id}", body)


@dataclass(frozen=True)
class Seat:
    """One employee with a plan in a cycle of their own."""

    employee_id: str
    cycle_id: str

    @property
    def plan(self) -> str:
        return f"/employees/{self.employee_id}/plans/{self.cycle_id}"

    @property
    def q1(self) -> str:
        return f"{self.cycle_id}-Q1"

    @property
    def scorecard(self) -> str:
        return f"/employees/{self.employee_id}/scorecards/{self.q1}"

    @property
    def review(self) -> str:
        return f"/employees/{self.employee_id}/reviews/{self.q1}"

    def kpi(self, kpi_id: str = "retention") -> str:
        return f"{self.plan}/kpis/{kpi_id}"


def drafted_seat(client: ApiClient, manager_id: str | None = None) -> Seat:
    seat = Seat(new_id("E"), new_id("FY"))
    client.register(seat.employee_id, manager_id)
    client.open_cycle(seat.cycle_id)
    client.ok("PUT", seat.plan)
    return seat


def active_seat(client: ApiClient, manager_id: str | None = None) -> Seat:
    """The worked example's plan: one KRA of weight 100 with one KPI, target 90, active."""
    seat = drafted_seat(client, manager_id)
    client.ok(
        "PUT", f"{seat.plan}/kras/client-retention", {"title": "Client Retention", "weight": 100}
    )
    client.ok("PUT", seat.kpi(), RETENTION_KPI)
    client.ok("POST", f"{seat.plan}/activate")
    return seat
