"""Who may do what: every endpoint for every role, managers' reports, employees' own records."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from ledger.application import LedgerApp
from tests.e2e.client import ApiClient, new_id
from tests.e2e.world import SETUP, World, build_world

ROLES = ("admin", "hr", "manager", "employee", "auditor", "anonymous")
EVERYONE = frozenset(ROLES) - {"anonymous"}
ORGANISERS = frozenset({"admin", "hr"})
WRITERS = frozenset({"admin", "hr", "manager"})
AUDITORS = frozenset({"admin", "hr", "auditor"})
CALIBRATORS = frozenset({"admin", "hr"})
REMAINING_WEIGHTS = {
    "kra_weights": {"retention": 100},
    "kpi_weights": {"retained": 60, "referrals": 40},
}
PROFILE = {"name": "Ana Rao", "department": "Sales", "role": "Lead"}
GENESIS_DIGEST = {"position": 0, "chain_hash": "0" * 64, "recorded_at": None}
"""A digest every ledger matches at once: verifying it reads nothing."""


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    allowed: frozenset[str]
    status: int
    body: Any = None
    scoped: bool = field(default=True)
    """Whether it concerns one employee (and so a manager's reports, an employee's own)."""

    @property
    def writes(self) -> bool:
        return self.method != "GET"


ENDPOINTS = {
    "register employee": Endpoint(
        "PUT", "/employees/{new}", ORGANISERS, 201, PROFILE, scoped=False
    ),
    "change profile": Endpoint(
        "PUT", "/employees/{employee}", ORGANISERS, 200, {**PROFILE, "reason": "promoted"}
    ),
    "read employee": Endpoint("GET", "/employees/{employee}", EVERYONE, 200),
    "record leaving": Endpoint(
        "POST",
        "/employees/{employee}/leaving",
        ORGANISERS,
        200,
        {"effective_date": "2026-09-30", "reason": "resigned"},
    ),
    "open cycle": Endpoint(
        "PUT",
        "/cycles/{new}",
        ORGANISERS,
        201,
        {"name": "FY", "start_date": "2026-04-01"},
        scoped=False,
    ),
    "revise policy": Endpoint(
        "PATCH",
        "/cycles/{cycle}/policy",
        ORGANISERS,
        200,
        {"achievement_cap": 120, "reason": "tighter"},
        scoped=False,
    ),
    "read cycle": Endpoint("GET", "/cycles/{cycle}", EVERYONE, 200, scoped=False),
    "draft plan": Endpoint("PUT", "/employees/{employee}/plans/{spare_cycle}", WRITERS, 201),
    "read plan": Endpoint("GET", "{plan}", EVERYONE, 200),
    "change KRA": Endpoint(
        "PUT",
        "{plan}/kras/retention",
        WRITERS,
        200,
        {"title": "Keeping Clients", "weight": 50, "reason": "clearer"},
    ),
    "change KPI": Endpoint(
        "PUT",
        "{plan}/kpis/deals",
        WRITERS,
        200,
        {
            "kra_id": "growth",
            "name": "deals closed",
            "direction": "increase",
            "aggregation": "last",
            "weight": 100,
            "target": 90,
            "unit": "%",
            "reason": "clearer",
        },
    ),
    "remove KPI": Endpoint(
        "DELETE",
        "{plan}/kpis/referrals",
        WRITERS,
        200,
        {
            "reason": "not measurable",
            "weights": {
                "kra_weights": {"retention": 50, "growth": 50},
                "kpi_weights": {"retained": 100, "deals": 100},
            },
        },
    ),
    "remove KRA": Endpoint(
        "DELETE",
        "{plan}/kras/growth",
        WRITERS,
        200,
        {"reason": "reorganised", "weights": REMAINING_WEIGHTS},
    ),
    "reweight": Endpoint(
        "POST",
        "{plan}/reweight",
        WRITERS,
        200,
        {
            "kra_weights": {"retention": 70, "growth": 30},
            "kpi_weights": {"retained": 50, "referrals": 50, "deals": 100},
            "reason": "focus",
        },
    ),
    "activate": Endpoint("POST", "{plan}/activate", WRITERS, 409),
    "lint": Endpoint("GET", "{plan}/lint", EVERYONE, 200),
    "revise target": Endpoint(
        "POST",
        "{plan}/kpis/retained/target-revisions",
        WRITERS,
        201,
        {"effective_from": "{q2}", "target": 92, "reason": "market grew"},
    ),
    "adjust target": Endpoint(
        "POST",
        "{plan}/kpis/retained/adjustments",
        WRITERS,
        201,
        {"period": "{q1}", "target": 85, "reason": "accounts moved"},
    ),
    "record measurement": Endpoint(
        "POST",
        "{plan}/kpis/deals/measurements",
        WRITERS,
        201,
        {"value": 12, "effective_date": "2026-05-31"},
    ),
    "read measurements": Endpoint("GET", "{plan}/measurements", EVERYONE, 200),
    "correct measurement": Endpoint(
        "POST",
        "/measurements/{measurement}/corrections",
        WRITERS,
        200,
        {"value": 88, "reason": "typo"},
    ),
    "void measurement": Endpoint(
        "POST", "/measurements/{measurement}/voids", WRITERS, 200, {"reason": "duplicate"}
    ),
    "read scorecard": Endpoint("GET", "/employees/{employee}/scorecards/{q1}", EVERYONE, 200),
    "finalize review": Endpoint(
        "POST", "/employees/{employee}/reviews/{q2}/finalize", WRITERS, 201
    ),
    "calibrate review": Endpoint(
        "POST",
        "/employees/{employee}/reviews/{q1}/calibrate",
        CALIBRATORS,
        200,
        {"rating": 5, "reason": "exceptional quarter"},
    ),
    "reopen review": Endpoint(
        "POST", "/employees/{employee}/reviews/{q1}/reopen", CALIBRATORS, 200, {"reason": "appeal"}
    ),
    "read review": Endpoint("GET", "/employees/{employee}/reviews/{q1}", EVERYONE, 200),
    "reproduce review": Endpoint(
        "GET", "/employees/{employee}/reviews/{q1}/revisions/1/reproduce", EVERYONE, 200
    ),
    "explain scorecard": Endpoint(
        "GET", "/employees/{employee}/scorecards/{q1}/explain?from=r1", EVERYONE, 200
    ),
    "restate review": Endpoint(
        "GET", "/employees/{employee}/reviews/{q1}/revisions/1/restate", EVERYONE, 200
    ),
    "ledger head": Endpoint("GET", "/ledger/head", EVERYONE, 200, scoped=False),
    "tree head": Endpoint("GET", "/ledger/tree-head", EVERYONE, 200, scoped=False),
    "inclusion proof": Endpoint(
        "GET", "/ledger/proofs/inclusion?position=1", AUDITORS, 200, scoped=False
    ),
    "consistency proof": Endpoint(
        "GET", "/ledger/proofs/consistency?from=1", AUDITORS, 200, scoped=False
    ),
    "verify ledger": Endpoint("GET", "/ledger/verify", AUDITORS, 200, scoped=False),
    "ledger digest": Endpoint("GET", "/ledger/digest", AUDITORS, 200, scoped=False),
    "verify digest": Endpoint(
        "POST", "/ledger/digest/verify", AUDITORS, 200, GENESIS_DIGEST, scoped=False
    ),
    "start verification": Endpoint(
        "POST",
        "/ledger/verifications",
        AUDITORS,
        202,
        {"digest": GENESIS_DIGEST},
        scoped=False,
    ),
    "export evidence": Endpoint(
        "POST",
        "/exports/evidence",
        AUDITORS,
        202,
        {"employee_id": "{employee}", "period": "{q1}"},
        scoped=False,
    ),
    "projections status": Endpoint("GET", "/projections", AUDITORS, 200, scoped=False),
    "audit trail": Endpoint("GET", "/audit?limit=1", AUDITORS, 200, scoped=False),
    "target revisions": Endpoint("GET", "/target-revisions?limit=1", AUDITORS, 200, scoped=False),
    "export audit": Endpoint("GET", "/exports/audit?position=0", AUDITORS, 200, scoped=False),
    "export register": Endpoint(
        "GET", "/exports/target-revisions?position=0&format=jsonl", AUDITORS, 200, scoped=False
    ),
    "list employees": Endpoint("GET", "/employees?limit=1", EVERYONE, 200, scoped=False),
    "list scorecards": Endpoint("GET", "/scorecards?period={q1}", EVERYONE, 200, scoped=False),
}
SCOPED = {name: endpoint for name, endpoint in ENDPOINTS.items() if endpoint.scoped}


def filled(value: Any, world: World) -> Any:
    if isinstance(value, dict):
        return {key: filled(item, world) for key, item in value.items()}
    if isinstance(value, str):
        return value.format(new=new_id("N"), **world.values)
    return value


@pytest.fixture(scope="module")
def shared_world(e2e_ledger: LedgerApp) -> World:
    return build_world(e2e_ledger)


@pytest.fixture(scope="module")
def stranger_world(e2e_ledger: LedgerApp) -> World:
    """Someone else's world: its employee is no report of ``shared_world``'s manager."""
    return build_world(e2e_ledger)


def token_for(role: str, world: World, tokens: dict[str, str]) -> str | None:
    return {
        "manager": world.manager_token,
        "employee": world.employee_token,
        "anonymous": None,
    }.get(role, tokens.get(role))


@pytest.fixture
def client_for(base_url: str) -> Iterator[Any]:
    clients: list[ApiClient] = []

    def make(token: str | None) -> ApiClient:
        clients.append(ApiClient(base_url, token))
        return clients[-1]

    yield make
    for client in clients:
        client.close()


def send(client: ApiClient, endpoint: Endpoint, world: World) -> Any:
    return client.request(
        endpoint.method, filled(endpoint.path, world), json=filled(endpoint.body, world)
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS.values(), ids=ENDPOINTS.keys())
def test_every_endpoint_answers_every_role_as_the_access_table_says(
    e2e_ledger: LedgerApp,
    shared_world: World,
    tokens: dict[str, str],
    client_for: Any,
    endpoint: Endpoint,
    role: str,
) -> None:
    allowed = role in endpoint.allowed
    world = build_world(e2e_ledger) if allowed and endpoint.writes else shared_world
    client = client_for(token_for(role, world, tokens))
    head = e2e_ledger.head_position()
    response = send(client, endpoint, world)
    expected = 401 if role == "anonymous" else endpoint.status if allowed else 403
    assert response.status_code == expected, response.text
    if not allowed:
        assert response.headers["content-type"] == "application/problem+json"
        assert e2e_ledger.head_position() == head


@pytest.mark.parametrize("endpoint", SCOPED.values(), ids=SCOPED.keys())
def test_a_manager_cannot_touch_anyone_but_their_reports(
    e2e_ledger: LedgerApp,
    shared_world: World,
    stranger_world: World,
    client_for: Any,
    endpoint: Endpoint,
) -> None:
    client = client_for(shared_world.manager_token)
    head = e2e_ledger.head_position()
    assert send(client, endpoint, stranger_world).status_code == 403
    assert e2e_ledger.head_position() == head


@pytest.mark.parametrize("endpoint", SCOPED.values(), ids=SCOPED.keys())
def test_an_employee_sees_nothing_of_anyone_else(
    e2e_ledger: LedgerApp,
    shared_world: World,
    stranger_world: World,
    client_for: Any,
    endpoint: Endpoint,
) -> None:
    client = client_for(shared_world.employee_token)
    head = e2e_ledger.head_position()
    assert send(client, endpoint, stranger_world).status_code == 403
    assert e2e_ledger.head_position() == head


def test_a_manager_reads_their_own_plan_but_does_not_write_it(
    e2e_ledger: LedgerApp, client_for: Any
) -> None:
    world = build_world(e2e_ledger)
    own = replace(world, employee_id=world.manager_id)
    e2e_ledger.draft_plan(SETUP, world.manager_id, world.cycle_id)
    client = client_for(world.manager_token)
    assert send(client, ENDPOINTS["read plan"], own).status_code == 200
    assert send(client, ENDPOINTS["reweight"], own).status_code == 403


def test_a_revoked_token_is_refused_at_once(
    e2e_ledger: LedgerApp, shared_world: World, client_for: Any
) -> None:
    issued = e2e_ledger.issue_token(SETUP, name="temp", role="hr")
    client = client_for(issued.token)
    assert client.get("/ledger/head").status_code == 200
    e2e_ledger.revoke_token(SETUP, issued.token_id, reason="rotated")
    response = client.get("/ledger/head")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
