"""Exports: the same rows and header give the same bytes in every format, the first line or
sheet names the position and chain hash, and rows stream without the file held in memory."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import openpyxl
import pandas
import pytest
from flask import Flask
from marshmallow import ValidationError
from openpyxl import Workbook

from ledger.application import LedgerApp
from ledger.domain.employee import Profile
from ledger.errors import InvalidInput
from tests.e2e.client import ApiClient, Seat, active_seat, new_id
from tests.e2e.export_sample import AWKWARD, COLUMNS, HEADER, RECORDED_AT, Row, rows
from tests.e2e.world import SETUP
from web.exports import (
    AUDIT_COLUMNS,
    REGISTER_COLUMNS,
    Format,
    csv_chunks,
    export_doc,
    export_header,
    export_response,
    format_field,
    jsonl_chunks,
    unquoted,
    write_xlsx,
)

DAY_SECONDS = 86_400.0


def exported(fmt: Format, given: list[Row]) -> bytes:
    if fmt is Format.XLSX:
        out = io.BytesIO()
        write_xlsx(COLUMNS, iter(given), HEADER, out)
        return out.getvalue()
    write = csv_chunks if fmt is Format.CSV else jsonl_chunks
    return b"".join(write(COLUMNS, iter(given), HEADER, chunk_bytes=64))


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(), newline="")))


def csv_records(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode(), newline="")))


def json_records(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.decode().splitlines()]


def opened(data: bytes) -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def sheet_rows(data: bytes, sheet: int = 0) -> list[list[Any]]:
    worksheet = opened(data).worksheets[sheet]
    return [[cell.value for cell in row] for row in worksheet.iter_rows()]


def reasoned(*reasons: str) -> list[Row]:
    return [replace(AWKWARD[0], position=n, reason=text) for n, text in enumerate(reasons, 1)]


def with_targets(*targets: str) -> list[Row]:
    return [replace(AWKWARD[0], position=n, target=Decimal(t)) for n, t in enumerate(targets, 1)]


STAMP = ["export_position", "export_chain_hash"]
NAMES = [column.name for column in COLUMNS]
HYPERLINK = '=HYPERLINK("http://x","y")'
FORMULA_LIKE = [HYPERLINK, "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "'=already quoted"]


@pytest.mark.parametrize("fmt", list(Format), ids=[fmt.value for fmt in Format])
def test_the_same_rows_and_header_give_the_same_bytes_whatever_the_clock_says(
    fmt: Format, monkeypatch: pytest.MonkeyPatch
) -> None:
    given = [*AWKWARD, *rows(300), *reasoned(*FORMULA_LIKE)]
    first = exported(fmt, given)
    tomorrow = time.time() + DAY_SECONDS
    monkeypatch.setattr(time, "time", lambda: tomorrow)
    assert exported(fmt, given) == first


# CSV


def test_the_csv_begins_with_its_column_names_and_the_position_and_chain_hash_of_the_export() -> (
    None
):
    first = exported(Format.CSV, list(AWKWARD)).decode().split("\r\n")[0]
    assert first == ",".join([*NAMES, *STAMP])


def test_every_csv_row_names_the_position_and_chain_hash_it_was_taken_at() -> None:
    records = csv_records(exported(Format.CSV, [*AWKWARD, *rows(20)]))
    assert len(records) == len(AWKWARD) + 20
    assert {(r["export_position"], r["export_chain_hash"]) for r in records} == {("120", "ab" * 32)}


def test_the_csv_writes_values_as_stored_and_null_as_empty() -> None:
    [awkward, empty, exponent, tiny] = csv_rows(exported(Format.CSV, list(AWKWARD)))[1:]
    assert awkward == [
        "1",
        "2026-07-01T09:00:00.000000Z",
        "E1001",
        "90.00",
        'two key accounts, "moved"\nto a new region',
        "2026-06-30",
        '{"target":{"from":"90.00","to":"85"}}',
        "120",
        "ab" * 32,
    ]
    assert empty[3:6] == ["", "", ""]
    assert exponent[3] == "100"
    assert tiny[3] == "-0.000001"


def test_pandas_reads_the_csv_with_no_option() -> None:
    frame = pandas.read_csv(io.BytesIO(exported(Format.CSV, [*AWKWARD, *rows(5)])))
    assert list(frame.columns) == [*NAMES, *STAMP]
    assert len(frame) == len(AWKWARD) + 5
    assert frame["position"].tolist()[:4] == [1, 2, 3, 4]
    assert frame["target"].tolist()[3] == -0.000001
    assert set(frame["export_position"]) == {120}


@pytest.mark.parametrize("reason", FORMULA_LIKE, ids=repr)
def test_text_that_begins_like_a_formula_reads_from_the_csv_with_a_leading_quote(
    reason: str,
) -> None:
    [record] = csv_records(exported(Format.CSV, reasoned(reason)))
    assert record["reason"] == "'" + reason
    assert unquoted(record["reason"]) == reason


def test_negative_numbers_and_ordinary_text_are_left_as_they_are_in_the_csv() -> None:
    given = [replace(row, reason="-5 is plain text") for row in with_targets("-85.50", "-1")]
    records = csv_records(exported(Format.CSV, given))
    assert [r["target"] for r in records] == ["-85.50", "-1"]
    assert records[0]["reason"] == "'-5 is plain text"
    assert csv_records(exported(Format.CSV, reasoned("two key accounts")))[0]["reason"] == (
        "two key accounts"
    )


def test_an_export_without_rows_is_the_csv_header_alone_and_no_json_line() -> None:
    in_csv = exported(Format.CSV, [])
    assert in_csv == (",".join([*NAMES, *STAMP]) + "\r\n").encode()
    assert list(pandas.read_csv(io.BytesIO(in_csv)).columns) == [*NAMES, *STAMP]
    assert exported(Format.JSONL, []) == b""


# JSON Lines


def test_every_json_line_is_one_row_with_the_same_fields_as_the_csv() -> None:
    lines = json_records(exported(Format.JSONL, list(AWKWARD)))
    assert all(list(line) == [*NAMES, *STAMP] for line in lines)
    assert lines[0]["changes"] == {"target": {"from": "90.00", "to": "85"}}
    assert lines[0]["target"] == "90.00"
    assert lines[1] == {
        "position": 2,
        "recorded_at": "2026-07-01T09:30:15.123456Z",
        "employee_id": "E1002",
        "target": None,
        "reason": None,
        "effective_date": None,
        "changes": {},
        "export_position": 120,
        "export_chain_hash": "ab" * 32,
    }
    assert len(lines) == len(AWKWARD)


def test_pandas_reads_the_json_lines_with_no_option_but_lines() -> None:
    frame = pandas.read_json(io.BytesIO(exported(Format.JSONL, [*AWKWARD, *rows(5)])), lines=True)
    assert list(frame.columns) == [*NAMES, *STAMP]
    assert len(frame) == len(AWKWARD) + 5
    assert set(frame["export_chain_hash"]) == {"ab" * 32}


@pytest.mark.parametrize("reason", FORMULA_LIKE, ids=repr)
def test_text_that_begins_like_a_formula_is_a_json_string_exactly_as_stored(reason: str) -> None:
    [line] = json_records(exported(Format.JSONL, reasoned(reason)))
    assert line["reason"] == reason


# XLSX


def test_the_workbook_types_numbers_dates_and_instants_and_keeps_text_as_text() -> None:
    sheet = opened(exported(Format.XLSX, list(AWKWARD))).worksheets[0]
    first = [cell.value for cell in sheet[2]]
    assert first == [
        1,
        datetime(2026, 7, 1, 9, 0),
        "E1001",
        90,
        'two key accounts, "moved"\nto a new region',
        datetime(2026, 6, 30),
        '{"target":{"from":"90.00","to":"85"}}',
    ]
    assert [cell.data_type for cell in sheet[2]] == ["n", "d", "s", "n", "s", "d", "s"]
    assert sheet["B3"].value == datetime(2026, 7, 1, 9, 30, 15, 123000)
    assert (sheet["B3"].number_format, sheet["F2"].number_format) == (
        "yyyy-mm-dd hh:mm:ss.000",
        "yyyy-mm-dd",
    )
    assert [sheet[f"D{n}"].value for n in (3, 4, 5)] == [None, 100, -0.000001]


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("85.50", "0.00"),
        ("85", "General"),
        ("-0.000001", "0.000000"),
        ("123456789012345", "0"),
        ("1234567890123.45", "0.00"),
        ("1E+2", "General"),
    ],
)
def test_a_decimal_is_a_number_cell_exact_to_its_digits_shown_with_its_stored_places(
    stored: str, shown: str
) -> None:
    cell = opened(exported(Format.XLSX, with_targets(stored))).worksheets[0]["D2"]
    assert isinstance(cell.value, (int, float))
    assert Decimal(repr(cell.value)) == Decimal(stored)
    assert cell.number_format == shown


def test_a_decimal_with_more_digits_than_a_spreadsheet_keeps_is_text_of_all_its_digits() -> None:
    stored = "123456789012345678901234567890.25"
    cell = opened(exported(Format.XLSX, with_targets(stored))).worksheets[0]["D2"]
    assert (cell.value, cell.data_type) == (stored, "s")


def test_a_date_before_the_spreadsheet_calendar_begins_is_text_as_in_the_csv() -> None:
    given = [replace(AWKWARD[0], effective_date=date(1899, 12, 31))]
    cell = opened(exported(Format.XLSX, given)).worksheets[0]["F2"]
    assert (cell.value, cell.data_type) == ("1899-12-31", "s")


def test_the_workbook_has_the_same_rows_as_the_csv_read_back_as_typed() -> None:
    given = [*AWKWARD, *rows(50)]
    in_csv = csv_records(exported(Format.CSV, given))
    in_sheet = sheet_rows(exported(Format.XLSX, given))
    assert in_sheet[0] == NAMES
    for record, row in zip(in_csv, in_sheet[1:], strict=True):
        values = dict(zip(NAMES, row, strict=True))
        assert values["position"] == int(record["position"])
        assert values["employee_id"] == record["employee_id"]
        if record["target"]:
            assert Decimal(repr(values["target"])) == Decimal(record["target"])
        stamp = datetime.fromisoformat(record["recorded_at"]).replace(tzinfo=None)
        assert abs(values["recorded_at"] - stamp) <= timedelta(milliseconds=1)


def test_the_workbook_header_is_frozen_filtered_and_sized() -> None:
    sheet = opened(exported(Format.XLSX, [*AWKWARD, *rows(50)])).worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:G{1 + len(AWKWARD) + 50}"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFG"}
    assert widths["B"] >= len("2026-07-01 09:30:15.123")
    assert widths["C"] >= len("employee_id")
    assert widths["E"] > widths["D"]
    assert max(widths.values()) <= 66


def test_the_workbook_names_the_export_on_a_sheet_of_its_own() -> None:
    assert sheet_rows(exported(Format.XLSX, list(AWKWARD)), sheet=1) == [
        ["fact", "value"],
        ["kind", "target-revisions"],
        ["position", 120],
        ["chain_hash", "ab" * 32],
        ["recorded_at", datetime(2026, 7, 1, 9, 30, 15, 123000)],
        ["time_zone", "UTC"],
        ["cycle_id", "FY2026"],
        ["recorded_from", datetime(2026, 4, 1)],
    ]


def test_the_workbook_is_dated_when_its_position_was_recorded() -> None:
    workbook = opened(exported(Format.XLSX, list(AWKWARD)))
    moment = RECORDED_AT.replace(tzinfo=None, microsecond=0)
    assert workbook.properties.created == workbook.properties.modified == moment
    assert workbook.sheetnames == ["target-revisions", "export"]


@pytest.mark.parametrize("reason", FORMULA_LIKE, ids=repr)
def test_text_that_begins_like_a_formula_is_a_string_cell_in_the_workbook(reason: str) -> None:
    cell = opened(exported(Format.XLSX, reasoned(reason))).worksheets[0]["E2"]
    assert (cell.value, cell.data_type) == (reason.replace("\r", "_x000D_"), "s")
    assert cell.quotePrefix is (reason[0] != "'")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fmt", "count"),
    [(Format.CSV, 200_000), (Format.JSONL, 200_000), (Format.XLSX, 60_000)],
    ids=["csv", "jsonl", "xlsx"],
)
def test_a_large_export_is_written_without_holding_the_file_in_memory(
    fmt: Format, count: int
) -> None:
    measured = subprocess.run(
        [sys.executable, "-m", "tests.e2e.export_sample", fmt.value, str(count)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    report = json.loads(measured.stdout)
    assert report["bytes"] > 20_000_000
    assert report["grown"] < report["bytes"] / 8


# The response


def streamed_rows(count: int, closed: list[bool]) -> Iterator[Row]:
    try:
        yield from rows(count)
    finally:
        closed.append(True)


def failing_rows() -> Iterator[Row]:
    raise ConnectionError("the view cannot be read")
    yield  # pragma: no cover


@pytest.fixture
def flask_app() -> Flask:
    return Flask(__name__)


@pytest.mark.parametrize("fmt", list(Format), ids=[fmt.value for fmt in Format])
def test_a_response_names_the_position_and_chain_hash_in_its_headers(
    flask_app: Flask, fmt: Format
) -> None:
    with flask_app.test_request_context():
        response = export_response(fmt, COLUMNS, rows(10), HEADER)
        streamed = response.is_streamed
        body = response.get_data()
    assert response.headers["X-Ledger-Position"] == "120"
    assert response.headers["X-Ledger-Chain-Hash"] == "ab" * 32
    assert response.headers["X-Ledger-Recorded-At"] == "2026-07-01T09:30:15.123456Z"
    assert response.mimetype == fmt.media_type
    disposition = f'attachment; filename="target-revisions-120.{fmt.value}"'
    assert response.headers["Content-Disposition"] == disposition
    assert body == exported(fmt, list(rows(10)))
    if fmt is Format.XLSX:
        assert response.headers["Content-Length"] == str(len(body))
    else:
        assert streamed


def test_an_export_route_documents_every_format_and_takes_only_those() -> None:
    documented = export_doc()["responses"]["200"]
    with_proofs = "application/zip"
    assert set(documented["content"]) == {*(fmt.media_type for fmt in Format), with_proofs}
    assert {"X-Ledger-Position", "X-Ledger-Chain-Hash"} <= set(documented["headers"])
    field = format_field()
    assert [field.deserialize(fmt.value) for fmt in Format] == ["csv", "jsonl", "xlsx"]
    with pytest.raises(ValidationError):
        field.deserialize("pdf")


def test_a_csv_response_streams_and_closes_its_rows_when_it_ends_half_sent(
    flask_app: Flask,
) -> None:
    closed: list[bool] = []
    with flask_app.test_request_context():
        response = export_response(Format.CSV, COLUMNS, streamed_rows(100_000, closed), HEADER)
    assert response.is_streamed
    first_chunk = next(response.iter_encoded())
    assert first_chunk.startswith(",".join([*NAMES, *STAMP]).encode() + b"\r\n")
    assert closed == []
    response.close()
    assert closed == [True]


@pytest.mark.parametrize("fmt", list(Format), ids=[fmt.value for fmt in Format])
def test_rows_that_cannot_be_read_fail_before_the_response_begins(
    flask_app: Flask, fmt: Format
) -> None:
    with flask_app.test_request_context(), pytest.raises(ConnectionError):
        export_response(fmt, COLUMNS, failing_rows(), HEADER)


# The header, from the ledger


@pytest.fixture
def recorded(e2e_ledger: LedgerApp) -> int:
    """The position of a new event."""
    profile = Profile("Ana Rao", "Sales", "Analyst")
    return e2e_ledger.register_employee(SETUP, new_id("E"), profile).position


def test_an_export_header_names_the_chain_head_by_default(
    e2e_ledger: LedgerApp, recorded: int
) -> None:
    header = export_header(e2e_ledger, "audit", filters={"cycle_id": "FY2026", "actor": None})
    assert header.position >= recorded
    link = e2e_ledger.records.link_at(header.position)
    assert link is not None
    assert (header.chain_hash, header.recorded_at) == (link.chain_hash.hex(), link.recorded_at)
    assert header.filters == (("cycle_id", "FY2026"),)


def test_an_export_header_at_a_position_names_the_chain_hash_there(
    e2e_ledger: LedgerApp, recorded: int
) -> None:
    link = e2e_ledger.records.link_at(recorded)
    assert link is not None
    since = datetime(2026, 4, 1, tzinfo=RECORDED_AT.tzinfo)
    header = export_header(e2e_ledger, "audit", recorded, {"recorded_from": since})
    assert (header.position, header.chain_hash) == (recorded, link.chain_hash.hex())
    assert header.recorded_at == link.recorded_at
    assert header.filters == (("recorded_from", "2026-04-01T00:00:00.000000Z"),)


def test_an_export_header_of_the_empty_ledger_is_the_genesis(e2e_ledger: LedgerApp) -> None:
    header = export_header(e2e_ledger, "audit", 0)
    assert (header.chain_hash, header.recorded_at) == ("00" * 32, None)


def test_an_export_header_at_a_position_without_an_event_is_refused(
    e2e_ledger: LedgerApp,
) -> None:
    beyond = e2e_ledger.head_position() + 1_000_000
    with pytest.raises(InvalidInput) as refused:
        export_header(e2e_ledger, "audit", beyond)
    assert "position" in refused.value.fields


# The layouts of the register and the audit trail


def test_the_register_and_audit_layouts_name_the_fields_of_the_design() -> None:
    assert [column.name for column in REGISTER_COLUMNS] == [
        "position",
        "recorded_at",
        "employee_id",
        "cycle_id",
        "kra_id",
        "kpi_id",
        "kind",
        "period",
        "previous_target",
        "previous_threshold",
        "previous_stretch",
        "target",
        "threshold",
        "stretch",
        "actor",
        "reason",
        "approved_by",
        "event_hash",
    ]
    assert [column.name for column in AUDIT_COLUMNS] == [
        "position",
        "recorded_at",
        "event_type",
        "actor",
        "reason",
        "approved_by",
        "employee_id",
        "cycle_id",
        "kra_id",
        "kpi_id",
        "measurement_id",
        "period",
        "effective_date",
        "changes",
        "event_hash",
        "provenance",
    ]


# Through the server


def hyperlinked_adjustment(hr: ApiClient) -> tuple[Seat, int]:
    """A plan whose quarter target is adjusted to 85.50 with a reason that is a formula,
    and the adjustment's position."""
    seat = active_seat(hr)
    adjusted = hr.ok(
        "POST",
        f"{seat.kpi()}/adjustments",
        {"period": seat.q1, "target": "85.50", "reason": HYPERLINK, "approved_by": "hr:priya"},
    )
    return seat, int(adjusted["position"])


def served(auditor: ApiClient, kind: str, seat: Seat, position: int, fmt: str) -> httpx.Response:
    query = f"employee_id={seat.employee_id}&position={position}&format={fmt}"
    response = auditor.get(f"/exports/{kind}?{query}")
    assert response.status_code == 200, response.text
    assert response.headers["X-Ledger-Position"] == str(position)
    return response


def test_a_served_csv_reads_with_dictreader_and_pandas_and_its_formula_stays_text(
    hr: ApiClient, auditor: ApiClient
) -> None:
    seat, position = hyperlinked_adjustment(hr)
    response = served(auditor, "target-revisions", seat, position, "csv")
    [defined, adjusted] = csv_records(response.content)
    assert [defined["kind"], adjusted["kind"], adjusted["target"]] == [
        "defined",
        "adjusted",
        "85.50",
    ]
    assert adjusted["reason"] == "'" + HYPERLINK
    stamp = (adjusted["export_position"], adjusted["export_chain_hash"])
    assert stamp == (str(position), response.headers["X-Ledger-Chain-Hash"])
    frame = pandas.read_csv(io.BytesIO(response.content))
    assert frame["reason"].tolist()[-1] == "'" + HYPERLINK
    assert frame["target"].tolist()[-1] == 85.5


def test_a_served_audit_export_keeps_the_formula_inert_in_every_format(
    hr: ApiClient, auditor: ApiClient
) -> None:
    seat, position = hyperlinked_adjustment(hr)
    in_csv = csv_records(served(auditor, "audit", seat, position, "csv").content)
    in_jsonl = json_records(served(auditor, "audit", seat, position, "jsonl").content)
    workbook = opened(served(auditor, "audit", seat, position, "xlsx").content)
    assert in_csv[-1]["reason"] == "'" + HYPERLINK
    assert in_jsonl[-1]["reason"] == HYPERLINK
    sheet = workbook.worksheets[0]
    names = [cell.value for cell in sheet[1]]
    reason = sheet.cell(sheet.max_row, names.index("reason") + 1)
    assert (reason.value, reason.data_type) == (HYPERLINK, "s")
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_a_served_workbook_has_typed_cells(hr: ApiClient, auditor: ApiClient) -> None:
    seat, position = hyperlinked_adjustment(hr)
    data = served(auditor, "target-revisions", seat, position, "xlsx").content
    sheet = opened(data).worksheets[0]
    names = [cell.value for cell in sheet[1]]
    last = dict(zip(names, [cell.value for cell in sheet[sheet.max_row]], strict=True))
    assert (last["position"], last["target"], last["previous_target"]) == (position, 85.5, 90)
    assert isinstance(last["recorded_at"], datetime)
    assert isinstance(last["event_hash"], str)
    target = sheet.cell(sheet.max_row, names.index("target") + 1)
    assert target.number_format == "0.00"


@pytest.mark.parametrize("fmt", list(Format), ids=[fmt.value for fmt in Format])
def test_exports_served_twice_at_one_position_are_identical_bytes_though_the_ledger_moved_on(
    hr: ApiClient, auditor: ApiClient, fmt: Format
) -> None:
    seat, position = hyperlinked_adjustment(hr)
    first = served(auditor, "audit", seat, position, fmt.value).content
    measured = {"value": 87, "effective_date": "2026-06-30", "note": HYPERLINK}
    later = hr.ok("POST", f"{seat.kpi()}/measurements", measured)
    assert int(later["position"]) > position
    assert served(auditor, "audit", seat, position, fmt.value).content == first
