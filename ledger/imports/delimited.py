"""A CSV file of one sheet's rows: UTF-8, with or without a byte order mark."""

from __future__ import annotations

import csv
import io

from ledger.imports.cells import is_blank
from ledger.imports.report import CellError, FileRefused
from ledger.imports.tables import Table

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SAVE_AS = "save it as CSV UTF-8 (in Excel: Save As, CSV UTF-8)"


def read_csv(data: bytes, sheet: str) -> Table:
    """The rows of a CSV of ``sheet``; FileRefused unless it is UTF-8 text."""
    text = decoded(data)
    if "\x00" in text:
        raise FileRefused(CellError(f"the CSV holds NUL characters, so it is no text; {SAVE_AS}"))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = tuple(rows[0]) if rows else ()
    body = [
        (number, values)
        for number, values in enumerate(rows[1:], start=2)
        if not all(is_blank(value) for value in values)
    ]
    return Table(sheet, header, body)


def decoded(data: bytes) -> str:
    if data.startswith(UTF16_BOMS):
        raise FileRefused(CellError(f"the CSV is UTF-16 text, not UTF-8; {SAVE_AS}"))
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileRefused(
            CellError(
                f"the CSV is not UTF-8: byte {error.start + 1} (line {line}) is"
                f" {data[error.start : error.start + 1]!r}, perhaps Windows-1252 or Latin-1;"
                f" {SAVE_AS}",
                row=line,
            )
        ) from None
