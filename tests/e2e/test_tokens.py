"""Tokens over HTTP: admins grant, list and revoke; a revocation holds in every process."""

from __future__ import annotations

import secrets

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.store.database import DatabaseAddress
from tests.e2e.client import ApiClient
from tests.e2e.serving import served


def test_an_admin_grants_a_token_that_then_authenticates_and_is_listed_without_its_text(
    admin: ApiClient, base_url: str
) -> None:
    granted = admin.post("/tokens", {"name": "olga", "role": "auditor"})
    assert granted.status_code == 201
    issued = granted.json()
    olga = ApiClient(base_url, issued["token"])
    try:
        assert olga.get("/ledger/verify").status_code == 200
    finally:
        olga.close()
    listing = admin.get("/tokens")
    assert listing.status_code == 200
    [entry] = [e for e in listing.json()["items"] if e["token_id"] == issued["token_id"]]
    assert (entry["name"], entry["role"], entry["revoked"]) == ("olga", "auditor", False)
    assert issued["token"] not in listing.text


def test_a_token_revoked_over_http_is_refused_by_another_server_at_once(
    admin: ApiClient, database: DatabaseAddress, e2e_settings: Settings
) -> None:
    issued = admin.ok("POST", "/tokens", {"name": "temp", "role": "hr"})
    other = LedgerApp(database, e2e_settings)
    try:
        with served(other, e2e_settings) as other_url:
            client = ApiClient(other_url, issued["token"])
            try:
                assert client.get("/ledger/head").status_code == 200
                revoked = admin.delete(f"/tokens/{issued['token_id']}", {"reason": "rotated"})
                assert revoked.status_code == 200
                assert client.get("/ledger/head").status_code == 401
            finally:
                client.close()
    finally:
        other.close()
    [entry] = [
        e for e in admin.ok("GET", "/tokens")["items"] if e["token_id"] == issued["token_id"]
    ]
    assert (entry["revoked"], entry["revoked_reason"]) == (True, "rotated")


def test_a_revocation_without_a_reason_gets_422_and_writes_nothing(admin: ApiClient) -> None:
    issued = admin.ok("POST", "/tokens", {"name": "temp", "role": "hr"})
    head = admin.head_position()
    response = admin.delete(f"/tokens/{issued['token_id']}", {})
    assert response.status_code == 422
    assert "reason" in response.json()["errors"]
    assert admin.head_position() == head


def test_a_token_of_an_unknown_role_or_employee_is_refused_and_nothing_is_written(
    admin: ApiClient,
) -> None:
    head = admin.head_position()
    assert admin.post("/tokens", {"name": "x", "role": "boss"}).status_code == 422
    unknown = admin.post("/tokens", {"name": "x", "role": "employee", "employee_id": "NOBODY1"})
    assert unknown.status_code == 404
    assert admin.head_position() == head


def test_hr_may_not_grant_list_or_revoke_tokens(hr: ApiClient, admin: ApiClient) -> None:
    issued = admin.ok("POST", "/tokens", {"name": "temp", "role": "hr"})
    head = hr.head_position()
    assert hr.post("/tokens", {"name": "x", "role": "hr"}).status_code == 403
    assert hr.get("/tokens").status_code == 403
    assert hr.delete(f"/tokens/{issued['token_id']}", {"reason": "no"}).status_code == 403
    assert hr.head_position() == head


def test_a_grant_retried_with_its_idempotency_key_is_refused_rather_than_shown_twice(
    admin: ApiClient,
) -> None:
    key = {"Idempotency-Key": f"grant-once-{secrets.token_hex(6)}"}
    first = admin.post("/tokens", {"name": "temp", "role": "hr"}, headers=key)
    assert first.status_code == 201
    head = admin.head_position()
    again = admin.post("/tokens", {"name": "temp", "role": "hr"}, headers=key)
    assert again.status_code == 409
    assert first.json()["token_id"] in again.json()["detail"]
    assert admin.head_position() == head
