"""The import page: a file with a mistake shows it where the spreadsheet numbers it, as the
API's dry run does, and writes nothing; a good file dry-runs, then commits; the template is
the API's; only HR and admins may open it."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from playwright.sync_api import FilePayload

from tests.e2e.browser.conftest import Tab
from tests.e2e.client import ApiClient, new_id
from tests.e2e.import_plan import import_sheets
from tests.import_files import filled_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(tab: Tab, data: bytes, name: str = "plans.xlsx") -> None:
    tab.open("/imports")
    payload: FilePayload = {"name": name, "mimeType": XLSX, "buffer": data}
    tab.page.get_by_label("Spreadsheet").set_input_files(files=[payload])
    tab.page.get_by_role("button", name="Check (dry run)").click()
    tab.page.locator("#report").wait_for()


def sheets(hr: ApiClient) -> dict[str, list[dict[str, Any]]]:
    cycle_id = new_id("FY")
    hr.open_cycle(cycle_id)
    return import_sheets(new_id("M"), new_id("E"), cycle_id)


def test_a_file_with_mistakes_shows_their_rows_and_writes_nothing(
    tab_of: Callable[[str], Tab], hr: ApiClient
) -> None:
    rows = sheets(hr)
    rows["measurements"][2]["value"] = "lots"
    rows["plans"][1]["direction"] = "sideways"
    workbook = filled_template(rows)
    head = hr.head_position()
    tab = tab_of("hr")
    upload(tab, workbook)
    report = tab.page.locator("#report")
    assert report.get_attribute("data-status") == "invalid"
    api = hr.http.post(
        "/imports", content=workbook, headers={"Content-Type": XLSX}, params={"dry_run": "true"}
    )
    assert api.status_code == 422
    errors = api.json()["report"]["errors"]
    shown = tab.page.locator("#import-errors tbody tr")
    assert [int(row) for row in shown.locator("[data-row]").all_inner_texts()] == [
        error["row"] for error in errors
    ]
    assert {4, 3} <= {error["row"] for error in errors}
    text = tab.page.locator("#import-errors").inner_text()
    assert "lots" in text
    assert "sideways" in text
    assert tab.page.get_by_role("button", name="Commit").count() == 0
    assert hr.head_position() == head


def test_a_good_file_dry_runs_then_commits(tab_of: Callable[[str], Tab], hr: ApiClient) -> None:
    workbook = filled_template(sheets(hr))
    head = hr.head_position()
    tab = tab_of("hr")
    upload(tab, workbook)
    report = tab.page.locator("#report")
    assert report.get_attribute("data-status") == "valid"
    events = int(report.locator("[data-events]").inner_text())
    assert events > 22
    assert hr.head_position() == head

    tab.page.get_by_role("button", name="Commit").click()
    tab.page.locator("#report[data-dry-run=false]").wait_for()
    assert report.get_attribute("data-status") == "complete"
    assert int(report.locator("[data-events]").inner_text()) == events
    position = int(report.locator("[data-import-position]").inner_text())
    assert position == hr.head_position() > head
    again = hr.http.post("/imports", content=workbook, headers={"Content-Type": XLSX})
    assert again.json()["events"] == 0


def test_a_commit_naming_no_kept_file_writes_nothing(
    tab_of: Callable[[str], Tab], hr: ApiClient
) -> None:
    tab = tab_of("hr")
    tab.open("/imports")
    head = hr.head_position()
    token = tab.page.locator("input[name=csrf]").first.get_attribute("value")
    for named, status in (("../../etc/passwd", 422), ("0" * 64, 404)):
        response = tab.page.request.post(
            f"{tab.origin}/imports/commit", form={"csrf": str(token), "sha256": named}
        )
        assert response.status == status
    assert hr.head_position() == head


def test_the_template_is_the_apis(
    tab_of: Callable[[str], Tab], hr: ApiClient, tmp_path: Path
) -> None:
    tab = tab_of("admin")
    tab.open("/imports")
    with tab.page.expect_download() as download:
        tab.page.locator("[data-template]").click()
    target = tmp_path / "template.xlsx"
    download.value.save_as(target)
    assert cells(target.read_bytes()) == cells(hr.get("/imports/template.xlsx").content)


def cells(workbook: bytes) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet's cells (the file's bytes hold the instant it was written)."""
    book = load_workbook(io.BytesIO(workbook))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_only_hr_and_admins_may_open_the_import_page(tab_of: Callable[[str], Tab]) -> None:
    for role in ("employee", "manager", "auditor"):
        tab = tab_of(role)
        for path in ("/imports", "/imports/template.xlsx"):
            response = tab.page.goto(tab.origin + path)
            assert response is not None
            assert response.status == 403, (role, path)
            assert "Not yours to see" in tab.page.locator("main").inner_text()
