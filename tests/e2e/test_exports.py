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
from datetime import datetime
from typing import Any

import openpyxl
import pytest
from flask import Flask
from marshmallow import ValidationError

from ledger.application import LedgerApp
from ledger.domain.employee import Profile
from ledger.errors import InvalidInput
from tests.e2e.client import new_id
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
    lines = data.decode().split("\r\n", 1)[1]
    return list(csv.reader(io.StringIO(lines, newline="")))


def sheet_rows(data: bytes, sheet: int = 0) -> list[list[Any]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [[cell.value for cell in row] for row in workbook.worksheets[sheet].iter_rows()]


@pytest.mark.parametrize("fmt", list(Format), ids=[fmt.value for fmt in Format])
def test_the_same_rows_and_header_give_the_same_bytes_whatever_the_clock_says(
    fmt: Format, monkeypatch: pytest.MonkeyPatch
) -> None:
    given = [*AWKWARD, *rows(300)]
    first = exported(fmt, given)
    tomorrow = time.time() + DAY_SECONDS
    monkeypatch.setattr(time, "time", lambda: tomorrow)
    assert exported(fmt, given) == first


def test_the_csv_names_the_export_on_its_first_line_then_the_columns() -> None:
    first, names = exported(Format.CSV, list(AWKWARD)).decode().split("\r\n")[:2]
    assert first == (
        "# performance-ledger export kind=target-revisions position=120"
        f" chain_hash={'ab' * 32} recorded_at=2026-07-01T09:30:15.123456Z"
        " cycle_id=FY2026 recorded_from=2026-04-01T00:00:00.000000Z"
    )
    assert names == "position,recorded_at,employee_id,target,reason,effective_date,changes"


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
    ]
    assert empty[3:6] == ["", "", ""]
    assert exponent[3] == "100"
    assert tiny[3] == "-0.000001"


def test_the_json_lines_begin_with_the_export_then_one_object_per_row() -> None:
    lines = exported(Format.JSONL, list(AWKWARD)).decode().splitlines()
    assert json.loads(lines[0]) == {
        "export": {
            "kind": "target-revisions",
            "position": 120,
            "chain_hash": "ab" * 32,
            "recorded_at": "2026-07-01T09:30:15.123456Z",
            "filters": {"cycle_id": "FY2026", "recorded_from": "2026-04-01T00:00:00.000000Z"},
            "columns": [column.name for column in COLUMNS],
        }
    }
    assert json.loads(lines[1])["changes"] == {"target": {"from": "90.00", "to": "85"}}
    assert json.loads(lines[1])["target"] == "90.00"
    assert json.loads(lines[2]) == {
        "position": 2,
        "recorded_at": "2026-07-01T09:30:15.123456Z",
        "employee_id": "E1002",
        "target": None,
        "reason": None,
        "effective_date": None,
        "changes": {},
    }
    assert len(lines) == 1 + len(AWKWARD)


def test_the_workbook_has_the_same_rows_as_the_csv() -> None:
    given = [*AWKWARD, *rows(50)]
    in_csv = csv_rows(exported(Format.CSV, given))
    in_sheet = sheet_rows(exported(Format.XLSX, given))
    as_text = [["" if value is None else str(value) for value in row] for row in in_sheet]
    control = "naïve café ✓ \x01"
    assert in_csv[4][4] == control
    assert as_text[4][4] == "naïve café ✓ _x0001_"
    as_text[4][4] = control
    assert as_text == in_csv


def test_the_workbook_names_the_export_on_a_sheet_of_its_own() -> None:
    assert sheet_rows(exported(Format.XLSX, list(AWKWARD)), sheet=1) == [
        ["fact", "value"],
        ["kind", "target-revisions"],
        ["position", 120],
        ["chain_hash", "ab" * 32],
        ["recorded_at", "2026-07-01T09:30:15.123456Z"],
        ["cycle_id", "FY2026"],
        ["recorded_from", "2026-04-01T00:00:00.000000Z"],
    ]


def test_the_workbook_is_dated_when_its_position_was_recorded() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(exported(Format.XLSX, list(AWKWARD))))
    moment = RECORDED_AT.replace(tzinfo=None, microsecond=0)
    assert workbook.properties.created == workbook.properties.modified == moment
    assert workbook.sheetnames == ["target-revisions", "export"]


def test_text_that_looks_like_a_formula_stays_text_in_the_workbook() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(exported(Format.XLSX, list(AWKWARD))))
    cell = workbook.worksheets[0]["E4"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fmt", "count"),
    [(Format.CSV, 200_000), (Format.JSONL, 200_000), (Format.XLSX, 50_000)],
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
    assert set(documented["content"]) == {fmt.media_type for fmt in Format}
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
    assert first_chunk.startswith(b"# performance-ledger export")
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
