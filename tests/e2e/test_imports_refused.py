"""Files an import refuses: each answered with a clear 4xx naming the cell or the limit,
and nothing written."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

import pytest
from openpyxl import Workbook

from tests.e2e.client import ApiClient, new_id
from tests.e2e.import_plan import import_sheets
from tests.e2e.test_imports import XLSX, post_file
from tests.import_files import edited, filled_template, with_part


@pytest.fixture
def cycle_id(hr: ApiClient) -> str:
    cycle_id = new_id("FY")
    hr.open_cycle(cycle_id)
    return cycle_id


def refused(
    client: ApiClient, data: bytes, status: int, media_type: str = XLSX, **params: Any
) -> dict[str, Any]:
    """The import's report inside the problem details, once the head is seen unmoved."""
    head = client.head_position()
    response = post_file(client, data, media_type, **params)
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    assert client.head_position() == head
    problem: dict[str, Any] = response.json()
    return problem


def only_error(problem: dict[str, Any]) -> dict[str, Any]:
    report = problem["report"]
    assert report["status"] == "invalid"
    assert report["events"] == 0
    [error] = report["errors"]
    found: dict[str, Any] = error
    return found


def measurements(cycle_id: str, **cells: object) -> bytes:
    """A workbook whose one measurement row has ``cells`` in place of the good ones."""
    sheets = import_sheets(new_id("M"), new_id("E"), cycle_id)
    sheets["measurements"] = [{**sheets["measurements"][0], **cells}]
    return filled_template(sheets)


def test_a_file_that_is_no_spreadsheet_is_refused(hr: ApiClient) -> None:
    error = only_error(refused(hr, b"employee_id,name\nE1,Ana\n", 422))
    assert "not an XLSX workbook" in error["message"]


def test_an_encrypted_workbook_is_refused(hr: ApiClient) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + secrets.token_bytes(4096)
    error = only_error(refused(hr, ole, 422))
    assert "encrypted" in error["message"]


def test_a_formula_is_refused_naming_its_cell(hr: ApiClient, cycle_id: str) -> None:
    error = only_error(refused(hr, measurements(cycle_id, value="=40+2"), 422))
    assert (error["sheet"], error["row"], error["column"]) == ("measurements", 2, "value")
    assert "cell D2 holds a formula" in error["message"]


def test_merged_cells_are_refused_naming_them(hr: ApiClient, cycle_id: str) -> None:
    def merge(book: Workbook) -> None:
        book["measurements"].merge_cells("F2:G2")

    error = only_error(refused(hr, edited(measurements(cycle_id), merge), 422))
    assert (error["sheet"], error["row"], error["column"]) == ("measurements", 2, "source")
    assert "F2:G2 are merged" in error["message"]


def test_an_unknown_sheet_is_refused(hr: ApiClient, cycle_id: str) -> None:
    def bonuses(book: Workbook) -> None:
        book.create_sheet("bonuses")

    error = only_error(refused(hr, edited(measurements(cycle_id), bonuses), 422))
    assert error["sheet"] == "bonuses"
    assert "unknown sheet" in error["message"]


def test_an_unknown_column_is_refused_in_the_header_row(hr: ApiClient, cycle_id: str) -> None:
    def bonus(book: Workbook) -> None:
        book["measurements"]["H1"] = "bonus"

    error = only_error(refused(hr, edited(measurements(cycle_id), bonus), 422))
    assert (error["sheet"], error["row"], error["column"]) == ("measurements", 1, "bonus")


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("30/04/2026", "30/04/2026"),
        ("soon", "soon"),
        (99_999_999, "99999999"),
        ("2026-02-30", None),
    ],
)
def test_a_date_that_is_no_date_is_refused_naming_its_cell(
    hr: ApiClient, cycle_id: str, typed: object, shown: str | None
) -> None:
    error = only_error(refused(hr, measurements(cycle_id, effective_date=typed), 422))
    assert (error["sheet"], error["row"], error["column"]) == ("measurements", 2, "effective_date")
    assert error["value"] == (shown or typed)


def test_a_decimal_comma_is_refused_naming_its_cell(hr: ApiClient, cycle_id: str) -> None:
    error = only_error(refused(hr, measurements(cycle_id, value="1,5"), 422))
    assert (error["row"], error["column"], error["value"]) == (2, "value", "1,5")
    assert "decimal comma" in error["message"]


def test_a_zip_bomb_is_refused_at_the_uncompressed_limit(hr: ApiClient, cycle_id: str) -> None:
    bomb = with_part(measurements(cycle_id), "xl/media/filler.bin", 300 << 20)
    assert len(bomb) < 1 << 20
    error = only_error(refused(hr, bomb, 413))
    assert "more than 256 MB" in error["message"]


def test_a_file_over_the_request_limit_is_refused_unread(hr: ApiClient) -> None:
    problem = refused(hr, secrets.token_bytes((32 << 20) + 1), 413)
    assert "over the limit of 32 MB" in problem["detail"]


def test_a_csv_in_another_encoding_is_refused(hr: ApiClient) -> None:
    text = f"employee_id,name,department,role\r\n{new_id('E')},Zoë Rao,Sales,Exec\r\n"
    problem = refused(hr, text.encode("cp1252"), 422, "text/csv", kind="employees")
    error = only_error(problem)
    assert "not UTF-8" in error["message"]
    assert error["row"] == 2


def test_a_body_neither_xlsx_nor_csv_is_refused(hr: ApiClient) -> None:
    head = hr.head_position()
    assert post_file(hr, b"%PDF-1.7", "application/pdf").status_code == 415
    assert hr.head_position() == head


def test_every_mistake_against_the_domain_the_ledger_and_earlier_rows_is_reported(
    hr: ApiClient, cycle_id: str
) -> None:
    manager_id, employee_id, other_id = new_id("M"), new_id("E"), new_id("E")
    sheets = import_sheets(manager_id, employee_id, cycle_id)
    sheets["employees"].append({**sheets["employees"][1], "department": "Ops"})
    sheets["employees"].append({**sheets["employees"][1], "employee_id": other_id})
    lopsided = {**sheets["plans"][-1], "employee_id": other_id, "kra_weight": 90, "kpi_weight": 100}
    sheets["plans"].append(lopsided)
    good = sheets["measurements"][0]
    sheets["measurements"] += [
        {**good, "kpi_id": "bonus"},
        {**good, "effective_date": date(2030, 1, 1)},
        {**good, "employee_id": new_id("E")},
    ]
    problem = refused(hr, filled_template(sheets), 422)
    places = [(e["sheet"], e["row"], e["column"]) for e in problem["report"]["errors"]]
    assert places == [
        ("employees", 4, "department"),
        ("plans", 8, "activate"),
        ("measurements", 19, "kpi_id"),
        ("measurements", 20, "effective_date"),
        ("measurements", 21, "cycle_id"),
    ]
    assert problem["detail"].startswith("5 mistakes, nothing written")


def test_rates_without_their_scale_or_parts_are_refused_at_their_cells(
    hr: ApiClient, cycle_id: str
) -> None:
    other_id = new_id("E")
    sheets = import_sheets(new_id("M"), new_id("E"), cycle_id)
    sheets["employees"].append({**sheets["employees"][1], "employee_id": other_id})
    rate_row = next(row for row in sheets["plans"] if row["aggregation"] == "ratio")
    sheets["plans"] += [
        {**rate_row, "employee_id": other_id, "scale": None},
        {**sheets["plans"][0], "employee_id": other_id, "scale": 100},
    ]
    rate = next(row for row in sheets["measurements"] if row.get("numerator") is not None)
    sheets["measurements"] += [
        {**rate, "numerator": None, "value": 40},
        {**rate, "denominator": None},
        {**rate, "denominator": -5},
        {**sheets["measurements"][0], "numerator": 3, "denominator": 4},
    ]
    head = hr.head_position()
    problem = refused(hr, filled_template(sheets), 422)
    places = [(e["sheet"], e["row"], e["column"]) for e in problem["report"]["errors"]]
    assert places == [
        ("plans", 8, "scale"),
        ("plans", 9, "scale"),
        ("measurements", 19, "value"),
        ("measurements", 20, "denominator"),
        ("measurements", 21, "denominator"),
        ("measurements", 22, "numerator"),
    ]
    assert hr.head_position() == head
