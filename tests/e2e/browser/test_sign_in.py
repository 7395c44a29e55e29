"""Sign-in per role, sign-out, what a role may not see, and a revoked token's session."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.e2e.browser.conftest import Tab, sign_in
from tests.e2e.client import ApiClient
from tests.e2e.conftest import Organisation

HOMES = {
    "admin": "The ledger",
    "hr": "The ledger",
    "auditor": "The ledger",
    "manager": "Welcome, e2e-manager",
    "employee": "Welcome, e2e-employee",
}


def test_every_role_signs_in_to_its_home(tab_of: Callable[[str], Tab]) -> None:
    for role, heading in HOMES.items():
        tab = tab_of(role)
        assert tab.page.locator("h1").inner_text() == heading
        assert tab.page.locator(".who").inner_text().endswith(role)


def test_a_page_without_a_session_asks_to_sign_in_and_returns_after(
    tab_of: Callable[[str], Tab], tokens: dict[str, str], organisation: Organisation
) -> None:
    tab = tab_of("anonymous")
    path = f"/people/{organisation.report_id}"
    tab.open(path)
    assert tab.page.url.startswith(f"{tab.origin}/sign-in?next=")
    tab.page.get_by_label("Your access token").fill(tokens["manager"])
    tab.page.get_by_role("button", name="Sign in").click()
    tab.page.wait_for_url(tab.origin + path)
    assert "Ana Rao" in tab.page.locator("h1").inner_text()


def test_an_unknown_token_is_refused_and_no_cookie_is_set(tab_of: Callable[[str], Tab]) -> None:
    tab = tab_of("anonymous")
    tab.open("/sign-in")
    tab.page.get_by_label("Your access token").fill("plt_nope_nope")
    tab.page.get_by_role("button", name="Sign in").click()
    assert tab.page.get_by_role("alert").inner_text() == "That token is unknown or revoked."
    tab.open("/")
    assert tab.page.url.startswith(f"{tab.origin}/sign-in")


def test_the_session_cookie_is_http_only_and_strict(tab_of: Callable[[str], Tab]) -> None:
    tab = tab_of("auditor")
    cookies = {cookie["name"]: cookie for cookie in tab.page.context.cookies()}
    session = cookies["ledger_session"]
    assert session["httpOnly"] is True
    assert session["sameSite"] == "Strict"
    assert session["secure"] is False  # plain HTTP on loopback; Secure over HTTPS


def test_an_employee_opening_another_persons_page_gets_the_403_page(
    tab_of: Callable[[str], Tab], organisation: Organisation
) -> None:
    tab = tab_of("employee")
    response = tab.page.goto(f"{tab.origin}/people/{organisation.stranger_id}")
    assert response is not None
    assert response.status == 403
    text = tab.page.locator("main").inner_text()
    assert "Not yours to see" in text
    assert organisation.stranger_id not in text
    assert "Raj Sen" not in text


def test_signing_out_ends_the_session(tab_of: Callable[[str], Tab]) -> None:
    tab = tab_of("hr")
    tab.page.get_by_role("button", name="Sign out").click()
    tab.page.wait_for_url(f"{tab.origin}/sign-in")
    tab.open("/")
    assert tab.page.url.startswith(f"{tab.origin}/sign-in")


def test_a_revoked_tokens_session_is_refused_at_once(
    tab_of: Callable[[str], Tab], admin: ApiClient, base_url: str
) -> None:
    granted = admin.ok("POST", "/tokens", {"name": "short-lived", "role": "auditor"})
    tab = tab_of("anonymous")
    sign_in(tab.page, base_url, granted["token"])
    assert tab.page.locator("h1").inner_text() == "The ledger"
    admin.ok("DELETE", f"/tokens/{granted['token_id']}", {"reason": "left the audit firm"})
    tab.open("/")
    assert tab.page.url.startswith(f"{tab.origin}/sign-in")
    assert "Your session ended" in tab.page.locator("main").inner_text()


def test_a_form_without_its_csrf_token_is_refused(tab_of: Callable[[str], Tab]) -> None:
    tab = tab_of("hr")
    cookie = {c["name"]: c["value"] for c in tab.page.context.cookies()}
    response = httpx.post(f"{tab.origin}/sign-out", cookies=cookie, data={}, follow_redirects=False)
    assert response.status_code == 400
    assert "did not come from this site" in response.text
    tab.open("/")
    assert tab.page.locator("h1").inner_text() == "The ledger"


def test_an_address_nothing_serves_is_a_page_for_a_browser_and_a_problem_for_a_client(
    tab_of: Callable[[str], Tab], base_url: str, tokens: dict[str, str]
) -> None:
    tab = tab_of("auditor")
    response = tab.page.goto(f"{tab.origin}/no-such-page")
    assert response is not None
    assert response.status == 404
    assert tab.page.locator("h1").inner_text() == "Not found"
    for path in ("/no-such-page", "/api/v1/no-such-resource"):
        headers = {"Accept": "application/json", "Authorization": f"Bearer {tokens['auditor']}"}
        answer = httpx.get(base_url + path, headers=headers)
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/problem+json"
