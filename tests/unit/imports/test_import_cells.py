"""Cells to values, exactly: shortest decimals, dates three ways, refusals that say why."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from ledger.imports.cells import CellValueError, calendar_date, number, text


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (0.1, "0.1"),
        (1234.5, "1234.5"),
        (100.0, "100"),
        (7, "7"),
        (1e-05, "0.00001"),
        (" 12.50 ", "12.50"),
        ("-3", "-3"),
    ],
)
def test_a_number_reads_as_the_shortest_decimal_that_is_its_float(
    cell: object, expected: str
) -> None:
    assert number(cell) == Decimal(expected)
    assert str(number(cell)) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("1,5", "decimal comma"),
        ("1,234.5", "thousands separators"),
        ("twelve", "not a number"),
        (True, "not TRUE or FALSE"),
        (float("nan"), "not a finite number"),
    ],
)
def test_what_is_no_number_is_refused_saying_why(cell: object, message: str) -> None:
    with pytest.raises(CellValueError, match=message):
        number(cell)


@pytest.mark.parametrize(
    "cell",
    [date(2026, 4, 30), datetime(2026, 4, 30), "2026-04-30", 46142, 46142.0, "46142"],
)
def test_a_date_is_a_date_cell_iso_text_or_an_excel_serial(cell: object) -> None:
    assert calendar_date(cell) == date(2026, 4, 30)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("30/04/2026", "not a date"),
        ("2026-02-30", "no such date"),
        (datetime(2026, 4, 30, 12), "time of day"),
        (46142.5, "time of day"),
        (99_999_999, "outside Excel's dates"),
        (0, "outside Excel's dates"),
    ],
)
def test_what_is_no_date_is_refused_saying_why(cell: object, message: str) -> None:
    with pytest.raises(CellValueError, match=message):
        calendar_date(cell)


def test_an_id_typed_as_a_number_reads_as_its_digits() -> None:
    assert text(1001.0) == "1001"
    assert text(1001) == "1001"
