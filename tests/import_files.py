"""Files for import tests: the template filled with openpyxl, CSV text, broken files."""

from __future__ import annotations

import io
import secrets
import zipfile
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from openpyxl import Workbook, load_workbook

from ledger.imports.template import template_xlsx

Rows = Sequence[Mapping[str, Any]]


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


def edited(workbook: bytes, edit: Callable[[Workbook], None]) -> bytes:
    """The workbook after ``edit``, saved again by openpyxl."""
    book = load_workbook(io.BytesIO(workbook))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_part(workbook: bytes, name: str, size: int) -> bytes:
    """The workbook with one more part of ``size`` zero bytes: deflated, a few hundred KB
    hold hundreds of MB, which is what a zip bomb is."""
    out = io.BytesIO()
    block = bytes(1 << 20)
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            target.writestr(entry, source.read(entry))
        with target.open(name, "w", force_zip64=True) as part:
            for _ in range(size // len(block)):
                part.write(block)
    return out.getvalue()


def padded(workbook: bytes, size: int) -> bytes:
    """The workbook with an instructions sheet of ``size`` bytes of incompressible text."""

    def pad(book: Workbook) -> None:
        sheet = book["instructions"]
        for row in range(size // 4000 + 1):
            sheet.cell(row=row + 100, column=1, value=secrets.token_hex(2000))

    return edited(workbook, pad)
