"""Files for import tests: the template filled with openpyxl, CSV text, broken files."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from openpyxl import load_workbook

from ledger.imports.template import template_xlsx

Rows = Sequence[Mapping[str, object]]


def filled_template(sheets: Mapping[str, Rows]) -> bytes:
    """The template with ``sheets``' rows typed in, each value in its header's column."""
    book = load_workbook(io.BytesIO(template_xlsx()))
    for name, rows in sheets.items():
        sheet = book[name]
        header = [cell.value for cell in sheet[1]]
        for number, row in enumerate(rows, start=2):
            for column, value in row.items():
                sheet.cell(row=number, column=header.index(column) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: Sequence[Sequence[object]], encoding: str = "utf-8") -> bytes:
    lines = [",".join("" if value is None else str(value) for value in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)
