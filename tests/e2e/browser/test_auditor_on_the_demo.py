"""The auditor's day on the demo, in a browser with only a token: find why a rating changed
between two review revisions, reproduce both, see the waterfall, and download an export
that verifies. The server is `ledger serve --demo` in a process of its own."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page

from ledger.store.database import DatabaseAddress
from tests.demo_server import LEDGER, DemoServer, demo_server
from tests.e2e.browser.conftest import sign_in

REOPENED = ("E1031", "FY2025-Q3")
"""A review the demo finalised, reopened after a correction, and finalised again."""


@pytest.fixture
def demo(fresh_database: DatabaseAddress, tmp_path: Path) -> Iterator[DemoServer]:
    with demo_server(fresh_database, tmp_path / "data") as server:
        yield server


@pytest.fixture
def api(demo: DemoServer) -> Iterator[httpx.Client]:
    """The API with the auditor's token, to compare the pages with."""
    with httpx.Client(
        base_url=f"http://{demo.address}/api/v1",
        headers={"Authorization": f"Bearer {demo.tokens['auditor']}"},
        timeout=30,
    ) as client:
        yield client


@pytest.fixture
def auditor_page(chromium: Browser, demo: DemoServer) -> Iterator[Page]:
    context = chromium.new_context(accept_downloads=True)
    page = context.new_page()
    outside: list[str] = []
    origin = f"http://{demo.address}"
    page.on(
        "request",
        lambda request: outside.append(request.url) if not request.url.startswith(origin) else None,
    )
    sign_in(page, origin, demo.tokens["auditor"])
    yield page
    context.close()
    assert outside == []


def test_an_auditor_finds_why_a_rating_changed_reproduces_both_and_exports(
    auditor_page: Page, demo: DemoServer, api: httpx.Client, tmp_path: Path
) -> None:
    page, origin = auditor_page, f"http://{demo.address}"
    employee_id, period = REOPENED
    page.goto(f"{origin}/people/{employee_id}")
    page.get_by_role("link", name="review").first.wait_for()
    page.goto(f"{origin}/people/{employee_id}/reviews/{period}")
    review = api.get(f"/employees/{employee_id}/reviews/{period}").json()
    assert len(review["revisions"]) >= 2

    for revision in (1, 2):
        page.get_by_role("button", name=f"Reproduce revision {revision}").click()
        assert page.locator("[data-matches]").get_attribute("data-matches") == "true"

    page.get_by_role("link", name="Revision 1 to revision 2").click()
    page.wait_for_function("document.getElementById('waterfall').chart !== undefined")
    bars = page.evaluate("document.getElementById('waterfall').chart.data.datasets[0].data")
    explained = api.get(
        f"/employees/{employee_id}/scorecards/{period}/explain", params={"from": "r1", "to": "r2"}
    ).json()
    moved = [step for step in explained["steps"] if step["moved"]]
    assert len(bars) == len(moved) + 2
    assert f"{bars[-1][1]:.2f}" == explained["to"]["scorecard"]["score"]

    page.goto(f"{origin}/audit?employee_id={employee_id}")
    with page.expect_download() as download:
        page.locator("[data-export=proofs]").click()
    exported = tmp_path / "audit-with-proofs.zip"
    download.value.save_as(exported)
    checked = subprocess.run(
        [LEDGER, "verify-export", str(exported)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
