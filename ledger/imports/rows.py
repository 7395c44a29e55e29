"""From a sheet's cells to typed rows, with a mistake named for every cell that is wrong."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ledger.ids import KEY_PATTERN, KEY_RULE
from ledger.imports import cells
from ledger.imports.cells import CellValueError, Raw
from ledger.imports.columns import Column, Kind, Sheet
from ledger.imports.report import CellError
from ledger.imports.tables import Table


@dataclass(frozen=True)
class Record:
    """One row of a sheet: its spreadsheet row number and its typed values (None: blank)."""

    sheet: str
    number: int
    values: Mapping[str, object]
    cells: Sequence[Raw]
    """The row's cells as read, in the header's order."""
    positions: Mapping[str, int]
    """Each column's place in ``cells``."""

    def raw(self, name: str) -> Raw:
        place = self.positions.get(name)
        return None if place is None or place >= len(self.cells) else self.cells[place]

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        assert value is None or isinstance(value, str)
        return value

    def required_text(self, name: str) -> str:
        value = self.text(name)
        assert value is not None, f"{name} is required"
        return value

    def owner(self) -> tuple[str, str]:
        """The employee and the cycle the row is about."""
        return self.required_text("employee_id"), self.required_text("cycle_id")

    def decimal(self, name: str) -> Decimal | None:
        value = self.values.get(name)
        assert value is None or isinstance(value, Decimal)
        return value

    def required_decimal(self, name: str) -> Decimal:
        value = self.decimal(name)
        assert value is not None, f"{name} is required"
        return value

    def day(self, name: str) -> date:
        value = self.values.get(name)
        assert isinstance(value, date)
        return value

    def error(self, column: str | None, message: str) -> CellError:
        value = None if column is None else cells.shown(self.raw(column))
        return CellError(message, self.sheet, self.number, column, value)


def _key(raw: Raw) -> str:
    value = cells.text(raw)
    if not KEY_PATTERN.fullmatch(value):
        raise CellValueError(f"not a valid id: {KEY_RULE}")
    return value


def _converter(column: Column) -> Callable[[Raw], object]:
    if column.kind is Kind.KEY:
        return _key
    if column.kind is Kind.NUMBER:
        return cells.number
    if column.kind is Kind.DATE:
        return cells.calendar_date
    if column.kind is Kind.CHOICE:
        return lambda raw: cells.choice(raw, column.choices)
    return cells.text


def header_errors(sheet: Sheet, table: Table) -> list[CellError]:
    """Unknown, repeated and missing columns; blank header cells after the last are fine."""
    errors = []
    seen: set[str] = set()
    for raw in table.header:
        name = cells.text(raw) if not cells.is_blank(raw) else ""
        if not name:
            continue
        if sheet.column(name) is None:
            message = f"unknown column {name!r}; the columns of {sheet.name} are: "
            message += ", ".join(sheet.names)
            errors.append(CellError(message, sheet.name, table.header_row, name, name))
        elif name in seen:
            message = f"column {name!r} appears twice"
            errors.append(CellError(message, sheet.name, table.header_row, name, name))
        seen.add(name)
    for column in sheet.columns:
        if column.required and column.name not in seen:
            errors.append(
                CellError(
                    f"the required column {column.name!r} is missing",
                    sheet=sheet.name,
                    row=table.header_row,
                    column=column.name,
                )
            )
    return errors


def read_records(sheet: Sheet, table: Table) -> tuple[list[Record], list[CellError]]:
    """The sheet's rows typed, and the mistakes of its cells (after a sound header)."""
    names = [None if cells.is_blank(raw) else cells.text(raw) for raw in table.header]
    known = [
        (index, column, _converter(column))
        for index, name in enumerate(names)
        if name and (column := sheet.column(name)) is not None
    ]
    positions = {column.name: index for index, column, _ in known}
    width = len(names)
    records, errors = [], []
    for number, row in table.rows:
        padded = row if len(row) >= width else [*row, *([None] * (width - len(row)))]
        values: dict[str, object] = {}
        for index, column, convert in known:
            value = padded[index]
            if value is None or value == "" or (isinstance(value, str) and not value.strip()):
                if column.required:
                    errors.append(CellError("required", sheet.name, number, column.name))
                values[column.name] = None
                continue
            try:
                values[column.name] = convert(value)
            except CellValueError as wrong:
                errors.append(
                    CellError(wrong.message, sheet.name, number, column.name, cells.shown(value))
                )
                values[column.name] = None
        if len(row) > width:
            extra = [value for value in row[width:] if not cells.is_blank(value)]
            if extra:
                message = "a value beyond the last named column"
                errors.append(CellError(message, sheet.name, number, None, cells.shown(extra[0])))
        records.append(Record(sheet.name, number, values, padded, positions))
    return records, errors


def sheet_errors(names: Sequence[str], known: Sequence[str]) -> list[CellError]:
    return [
        CellError(
            f"unknown sheet {name!r}; the import reads sheets named {', '.join(known)}",
            sheet=name,
        )
        for name in names
    ]
