"""Problem details everywhere: unknown routes, wrong methods, missing tokens; public docs."""

from __future__ import annotations

import httpx

from tests.e2e.client import ApiClient

PROBLEM = "application/problem+json"


def test_an_unknown_route_is_a_404_problem(hr: ApiClient) -> None:
    response = hr.get("/no/such/thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["status"] == 404


def test_an_unknown_employee_is_a_404_problem(hr: ApiClient) -> None:
    response = hr.get("/employees/E-nobody")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"].endswith("/not-found")


def test_a_wrong_method_is_a_405_problem_naming_the_allowed_ones(hr: ApiClient) -> None:
    response = hr.request("DELETE", "/ledger/head")
    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM
    assert "GET" in response.headers["Allow"]


def test_no_token_is_a_401_problem_with_a_challenge(anonymous: ApiClient) -> None:
    response = anonymous.get("/ledger/head")
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_token_is_a_401_problem(base_url: str) -> None:
    client = ApiClient(base_url, "pl_0123456789abcdef_" + "0" * 64)
    try:
        assert client.get("/ledger/head").status_code == 401
    finally:
        client.close()


def test_another_scheme_is_a_401_problem(base_url: str) -> None:
    response = httpx.get(f"{base_url}/api/v1/ledger/head", headers={"Authorization": "Basic eDp5"})
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM


def test_an_anonymous_write_is_refused_before_anything_else(anonymous: ApiClient) -> None:
    response = anonymous.put("/employees/E1", {"name": "A", "department": "B", "role": "C"})
    assert response.status_code == 401


def test_the_openapi_document_and_the_docs_need_no_token(base_url: str) -> None:
    document = httpx.get(f"{base_url}/api/v1/openapi.json")
    assert document.status_code == 200
    assert document.json()["openapi"].startswith("3.")
    page = httpx.get(f"{base_url}/docs")
    assert page.status_code == 200
    assert "cdn." not in page.text
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert f"/docs/assets/{asset}" in page.text
        served = httpx.get(f"{base_url}/docs/assets/{asset}")
        assert served.status_code == 200
        assert len(served.content) > 10_000


def test_health_says_the_database_answers(base_url: str) -> None:
    response = httpx.get(f"{base_url}/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True}
