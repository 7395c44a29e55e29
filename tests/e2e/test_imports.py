"""Spreadsheets in over HTTP: the template filled and imported, re-imported, refused."""

from __future__ import annotations

import io
from typing import Any

import httpx
from openpyxl import Workbook, load_workbook

from tests.e2e.client import ApiClient, new_id
from tests.e2e.import_plan import build_through_api, import_sheets
from tests.import_files import filled_template, padded

API = "/api/v1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERIODS = ("Q1", "Q2", "Q3")


def post_file(
    client: ApiClient, data: bytes, media_type: str = XLSX, **params: Any
) -> httpx.Response:
    headers = {"Content-Type": media_type}
    return client.http.post("/imports", content=data, headers=headers, params=params)


def imported(client: ApiClient, data: bytes, **params: Any) -> dict[str, Any]:
    response = post_file(client, data, **params)
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


def scorecard(client: ApiClient, employee_id: str, period: str, position: int) -> dict[str, Any]:
    card = client.ok(
        "GET", f"/employees/{employee_id}/scorecards/{period}", params={"min_position": position}
    )
    return {k: v for k, v in card.items() if k not in {"employee_id", "position", "hash", "as_of"}}


def test_a_filled_template_scores_as_the_same_plan_built_through_the_api(hr: ApiClient) -> None:
    cycle_id, manager_id, employee_id = new_id("FY"), new_id("M"), new_id("E")
    hr.open_cycle(cycle_id)
    workbook = filled_template(import_sheets(manager_id, employee_id, cycle_id))
    report = imported(hr, workbook, file_name="plans.xlsx")
    assert report["status"] == "complete", report
    assert report["errors"] == []
    assert report["sheets"] == {"employees": 2, "plans": 6, "targets": 2, "measurements": 17}
    twin = new_id("E")
    position = build_through_api(hr, twin, cycle_id)
    for period in (*(f"{cycle_id}-{quarter}" for quarter in PERIODS), cycle_id):
        assert scorecard(hr, employee_id, period, report["position"]) == scorecard(
            hr, twin, period, position
        )


def test_importing_the_same_file_again_writes_nothing(hr: ApiClient) -> None:
    cycle_id = new_id("FY")
    hr.open_cycle(cycle_id)
    workbook = filled_template(import_sheets(new_id("M"), new_id("E"), cycle_id))
    first = imported(hr, workbook)
    head = hr.head_position()
    again = imported(hr, workbook)
    assert again["status"] == "complete"
    assert again["events"] == 0
    assert again["already_imported"] == first["rows"] == 27
    assert again["import_id"] == first["import_id"]
    assert hr.head_position() == head


def test_a_dry_run_tells_what_it_would_write_and_writes_nothing(hr: ApiClient) -> None:
    cycle_id = new_id("FY")
    hr.open_cycle(cycle_id)
    head = hr.head_position()
    workbook = filled_template(import_sheets(new_id("M"), new_id("E"), cycle_id))
    report = imported(hr, workbook, dry_run="true")
    assert report["status"] == "valid"
    assert report["dry_run"] is True
    assert report["events"] > 27
    assert hr.head_position() == head


def test_every_imported_event_shows_its_provenance_in_the_audit_trail(hr: ApiClient) -> None:
    cycle_id, employee_id = new_id("FY"), new_id("E")
    hr.open_cycle(cycle_id)
    workbook = filled_template(import_sheets(new_id("M"), employee_id, cycle_id))
    report = imported(hr, workbook, file_name="q1 results.xlsx")
    page = hr.ok(
        "GET",
        "/audit",
        params={"employee_id": employee_id, "min_position": report["position"], "limit": 1000},
    )
    provenances = [entry["provenance"] for entry in page["items"]]
    assert len(provenances) == report["events"] - 1  # the other is the manager's registration
    first_measurement = next(
        entry for entry in page["items"] if entry["event_type"].endswith("MeasurementRecorded")
    )
    assert first_measurement["provenance"] == {
        "import_id": report["import_id"],
        "file_name": "q1 results.xlsx",
        "file_sha256": report["file_sha256"],
        "sheet": "measurements",
        "row": 2,
    }
    assert all(p is not None and p["import_id"] == report["import_id"] for p in provenances)


def test_a_large_file_is_imported_as_a_job_whose_result_is_the_report(hr: ApiClient) -> None:
    cycle_id = new_id("FY")
    hr.open_cycle(cycle_id)
    workbook = padded(filled_template(import_sheets(new_id("M"), new_id("E"), cycle_id)), 1 << 21)
    response = post_file(hr, workbook)
    assert response.status_code == 202, response.text
    location = response.headers["Location"]
    job = hr.http.get(location.removeprefix(API), params={"wait": 10}).json()
    assert job["state"] == "done", job
    assert job["kind"] == "import"
    assert job["result"]["status"] == "complete"
    assert job["result"]["rows"] == 27
    assert (job["unit"], job["done"], job["total"]) == ("row", 54, 54)  # checked, then written


def test_a_csv_names_its_sheet_with_kind_and_may_start_with_a_byte_order_mark(
    hr: ApiClient,
) -> None:
    employee_id = new_id("E")
    data = f"\ufeffemployee_id,name,department,role\r\n{employee_id},Zoë Rao,Sales,Exec\r\n"
    report = imported_csv(hr, data.encode(), kind="employees")
    assert report["status"] == "complete"
    assert hr.ok("GET", f"/employees/{employee_id}")["name"] == "Zoë Rao"


def imported_csv(client: ApiClient, data: bytes, **params: Any) -> dict[str, Any]:
    response = post_file(client, data, "text/csv", **params)
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


def test_the_template_has_the_four_sheets_their_headers_and_drop_down_lists(
    hr: ApiClient,
) -> None:
    response = hr.get("/imports/template.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == XLSX
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["instructions", "employees", "plans", "measurements", "targets"]
    assert header(book, "measurements") == [
        "employee_id", "cycle_id", "kpi_id", "value", "effective_date", "source", "note",
        "numerator", "denominator",
    ]  # fmt: skip
    assert "scale" in header(book, "plans")
    lists = {v.formula1 for v in book["plans"].data_validations.dataValidation}
    assert lists == {'"increase,decrease"', '"sum,mean,last,min,max,ratio"', '"yes,no"'}
    assert [v.formula1 for v in book["targets"].data_validations.dataValidation] == [
        '"revision,adjustment"'
    ]


def header(book: Workbook, sheet: str) -> list[object]:
    return [cell.value for cell in book[sheet][1]]


def test_only_hr_and_admins_import(manager: ApiClient, auditor: ApiClient) -> None:
    workbook = filled_template({})
    for client in (manager, auditor):
        head = client.head_position()
        assert post_file(client, workbook).status_code == 403
        assert client.get("/imports/template.xlsx").status_code == 403
        assert client.head_position() == head
