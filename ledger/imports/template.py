"""The workbook HR fills: one sheet per kind of row with its header, drop-down lists for
the columns that take one of a few values, and a sheet of instructions."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ledger.imports.columns import SHEETS, Column, Kind, Sheet

TEMPLATE_ROWS = 5000
"""Rows the drop-down lists and date formats cover below the header."""
BOLD = Font(bold=True)
KIND_HELP = {
    Kind.KEY: "an id: letters, digits, '_', '.' or '-'",
    Kind.TEXT: "text",
    Kind.NUMBER: "a number, with a decimal point",
    Kind.DATE: "a date (a date cell, or text such as 2026-04-30)",
    Kind.CHOICE: "one of",
}
GENERAL = (
    "Fill the sheets you need and leave the others as they are; the header row must stay.",
    "The import checks every row first and writes nothing if any is wrong; the report names"
    " each mistake by sheet, row and column.",
    "Sheets are applied in this order: employees, plans, targets, measurements.",
    "Type values, not formulas, and leave cells unmerged.",
    "Importing the same file again writes nothing twice.",
)


def template_xlsx() -> bytes:
    book = Workbook()
    instructions = book.active
    assert instructions is not None
    instructions.title = "instructions"
    _instructions(instructions)
    for sheet in SHEETS.values():
        _sheet(book.create_sheet(sheet.name), sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(sheet: Worksheet, spec: Sheet) -> None:
    sheet.append(list(spec.names))
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        sheet[f"{letter}1"].font = BOLD
        sheet.column_dimensions[letter].width = max(12, len(column.name) + 4)
        cells = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
        if column.kind is Kind.CHOICE:
            listed = DataValidation(
                type="list", formula1=f'"{",".join(column.choices)}"', allow_blank=True
            )
            listed.error = f"one of {', '.join(column.choices)}"
            sheet.add_data_validation(listed)
            listed.add(cells)
        if column.kind is Kind.DATE:
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"


def _instructions(sheet: Worksheet) -> None:
    sheet.append(["Performance Ledger import"])
    sheet["A1"].font = BOLD
    for line in GENERAL:
        sheet.append([line])
    for spec in SHEETS.values():
        sheet.append([])
        sheet.append([f"sheet {spec.name}", spec.help])
        sheet.cell(row=sheet.max_row, column=1).font = BOLD
        sheet.append(["column", "required", "holds"])
        for column in spec.columns:
            sheet.append([column.name, "yes" if column.required else "", _holds(column)])
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["C"].width = 80


def _holds(column: Column) -> str:
    holds = KIND_HELP[column.kind]
    if column.choices:
        holds += " " + ", ".join(column.choices)
    return f"{holds}; {column.help}" if column.help else holds
