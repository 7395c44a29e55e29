"""The ledger's page: the API's head, tree head and digest; verification as a job whose
progress reaches done, with JavaScript and without, holding as the API's verification
does. The read models' page: the API's list."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.browser.conftest import Tab, sign_in
from tests.e2e.client import ApiClient

JOB_PAGE = "**/ledger/verifications/*"


def verified(page: Page) -> str:
    """Starts the verification from the ledger's page; the job's id, once its result shows."""
    page.get_by_role("button", name="Verify the whole chain").click()
    page.wait_for_url(JOB_PAGE)
    job_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    page.locator("#result").wait_for()
    return job_id


def test_verification_reaches_done_with_the_apis_result(
    tab_of: Callable[[str], Tab], auditor: ApiClient
) -> None:
    tab = tab_of("auditor")
    tab.open("/ledger")
    job_id = verified(tab.page)
    job = auditor.ok("GET", f"/jobs/{job_id}")
    assert job["state"] == "done"
    result = job["result"]
    assert result == auditor.ok("GET", "/ledger/verify")
    section = tab.page.locator("#result")
    assert section.get_attribute("data-ok") == "true"
    assert section.locator("[data-checked]").inner_text() == str(result["checked"])
    assert section.locator("[data-result-chain-hash]").inner_text() == result["chain_hash"]
    status_url = tab.page.locator("#job").get_attribute("data-status-url")
    assert tab.page.request.get(f"{tab.origin}{status_url}").json() == job
    progress = tab.page.locator("#job-progress")
    assert progress.get_attribute("value") == progress.get_attribute("max") == str(job["total"])
    tab.open("/")
    last = tab.page.locator("#last-verification").inner_text()
    assert f"the chain held over {result['checked']} events" in last


@pytest.fixture
def without_script(chromium: Browser, base_url: str, tokens: dict[str, str]) -> Iterator[Page]:
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, base_url, tokens["auditor"])
    yield page
    context.close()


def test_without_javascript_the_job_page_refreshes_itself_to_the_result(
    without_script: Page, base_url: str, auditor: ApiClient
) -> None:
    without_script.goto(f"{base_url}/ledger")
    job_id = verified(without_script)
    result = auditor.ok("GET", f"/jobs/{job_id}")["result"]
    assert without_script.locator("#result").get_attribute("data-ok") == "true"
    checked = without_script.locator("#result [data-checked]").inner_text()
    assert checked == str(result["checked"])


def test_the_ledger_page_shows_the_apis_head_and_tree_head_and_its_digest(
    tab_of: Callable[[str], Tab], auditor: ApiClient, tmp_path: Path
) -> None:
    tab = tab_of("auditor")
    tab.open("/ledger")
    head = auditor.ok("GET", "/ledger/head")
    tree = auditor.ok("GET", "/ledger/tree-head")
    page = tab.page
    assert page.locator("[data-head-position]").inner_text() == str(head["position"])
    assert page.locator("[data-chain-hash]").inner_text() == head["chain_hash"]
    assert page.locator("[data-tree-size]").inner_text() == str(tree["tree_size"])
    assert page.locator("[data-root-hash]").inner_text() == tree["root_hash"]
    with page.expect_download() as download:
        page.locator("[data-digest]").click()
    target = tmp_path / "digest.json"
    download.value.save_as(target)
    assert json.loads(target.read_text()) == auditor.ok("GET", "/ledger/digest")


def test_a_verification_form_without_its_csrf_token_starts_nothing(
    tab_of: Callable[[str], Tab],
) -> None:
    tab = tab_of("auditor")
    cookies = {cookie["name"]: cookie["value"] for cookie in tab.page.context.cookies()}
    response = httpx.post(f"{tab.origin}/ledger/verifications", cookies=cookies, data={})
    assert response.status_code == 400
    assert "did not come from this site" in response.text


def test_the_read_models_page_lists_the_apis_read_models(
    tab_of: Callable[[str], Tab], auditor: ApiClient
) -> None:
    tab = tab_of("auditor")
    tab.open("/projections")
    listed = auditor.ok("GET", "/projections")["items"]
    rows = tab.page.locator("#views tbody tr[data-view]")
    assert [row.get_attribute("data-view") for row in rows.all()] == [v["name"] for v in listed]
    for view in listed:
        row = tab.page.locator(f"#views tr[data-view='{view['name']}']")
        assert row.locator("[data-status]").inner_text().startswith(view["status"])
        shown = int(row.locator("[data-position]").inner_text())
        assert shown <= view["position"]  # the page was read first; a view only moves on
        lag = int(row.locator("[data-head]").inner_text()) - shown
        assert int(row.locator("[data-lag]").inner_text()) == lag
