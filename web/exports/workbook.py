"""XLSX with openpyxl's write-only workbook: rows go to disk as they come.

The first sheet, named after the export's kind, holds the column names in its first row
(frozen, with an auto-filter over every row) and one row per row after it, its columns as
wide as the names and the first rows need. Cells are typed (see ``cells``): numbers are
numbers, dates and instants dates in UTC, text is text in string cells, which are never
formulas, marked as quoted when they begin like one so that editing keeps them text. The
second sheet, ``export``, names the export: one ``fact | value`` row each for kind,
position, chain_hash, recorded_at, the time zone of every instant (UTC) and every filter
(instants as dates).
The workbook's created and modified times and the time of every zip entry are the
export's ``recorded_at``, so equal rows and header give equal bytes.
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from itertools import chain, islice
from typing import IO, TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.dimensions import ColumnDimension, DimensionHolder
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.writer.excel import ExcelWriter

from ledger.store.chain import STAMP_FORMAT
from web.exports.cells import Typed, text, typed
from web.exports.columns import Column, Kind
from web.exports.header import TITLE, ExportHeader

if TYPE_CHECKING:
    from _typeshed import SizedBuffer

CREATOR = "performance-ledger"
FACTS_SHEET = "export"
TIME_ZONE = "UTC"
EARLIEST = datetime(1980, 1, 1)
COPY_BYTES = 1 << 20
SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_MAX = 31
SIZING_ROWS = 200
"""Rows read ahead to size the columns (a streamed sheet writes its widths first)."""
FILTER_BUTTON = 3
PADDING = 2
NARROWEST = 8
WIDEST = 66
"""A hash (64 hex digits) fits; longer text is cut at the edge of the column."""


def write_xlsx(
    columns: Sequence[Column], rows: Iterable[object], header: ExportHeader, out: IO[bytes]
) -> None:
    """Writes the workbook to ``out`` (a binary file open for writing, seekable)."""
    moment = workbook_time(header)
    workbook = Workbook(write_only=True)
    workbook.properties.creator = CREATOR
    workbook.properties.title = TITLE
    workbook.properties.created = moment
    workbook.properties.modified = moment
    sheet = workbook.create_sheet(sheet_title(header.kind))
    try:
        write_table(sheet, [column.name for column in columns], typed_rows(columns, rows))
    except BaseException:
        discard(sheet)
        raise
    facts = workbook.create_sheet(FACTS_SHEET)
    write_table(facts, ["fact", "value"], iter(fact_rows(header)), filtered=False)
    with FixedTimeZip(out, moment) as archive:
        ExcelWriter(workbook, archive).save()


def typed_rows(columns: Sequence[Column], rows: Iterable[object]) -> Iterator[list[Typed]]:
    for row in rows:
        yield [typed(column.kind, column.raw(row), column.name) for column in columns]


def fact_rows(header: ExportHeader) -> list[list[Typed]]:
    recorded_at = typed(Kind.DATETIME, header.recorded_at)
    facts = [
        ("kind", text(header.kind)),
        ("position", typed(Kind.INTEGER, header.position)),
        ("chain_hash", text(header.chain_hash)),
        ("recorded_at", recorded_at),
        ("time_zone", text(TIME_ZONE)),
        *((name, filter_cell(value)) for name, value in header.filters),
    ]
    return [[text(name), value] for name, value in facts]


def filter_cell(value: str) -> Typed:
    """A filter as given: an instant (as the header writes it) is a date, the rest text."""
    try:
        moment = datetime.strptime(value, STAMP_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return text(value)
    return typed(Kind.DATETIME, moment)


def write_table(
    sheet: WriteOnlyWorksheet,
    names: Sequence[str],
    rows: Iterator[list[Typed]],
    *,
    filtered: bool = True,
) -> None:
    """The header row (frozen), then the rows; the columns sized from the header and the
    first rows, the auto-filter over them all. (A streamed sheet has its columns and
    filter from the worksheet it copies; openpyxl's stubs do not declare them.)"""
    ahead = list(islice(rows, SIZING_ROWS))
    columns: DimensionHolder[str, ColumnDimension] = sheet.column_dimensions  # type: ignore[attr-defined]
    for index, width in enumerate(widths(names, ahead), start=1):
        columns[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([text(name).value for name in names])
    count = 0
    for values in chain(ahead, rows):
        sheet.append([cell(sheet, value) for value in values])
        count += 1
    if filtered:
        auto_filter: AutoFilter = sheet.auto_filter  # type: ignore[attr-defined]
        auto_filter.ref = f"A1:{get_column_letter(len(names))}{count + 1}"


def widths(names: Sequence[str], rows: Sequence[list[Typed]]) -> list[int]:
    sized = [len(name) + FILTER_BUTTON for name in names]
    for row in rows:
        sized = [max(width, value.width) for width, value in zip(sized, row, strict=True)]
    return [min(max(width + PADDING, NARROWEST), WIDEST) for width in sized]


def cell(sheet: WriteOnlyWorksheet, value: Typed) -> object:
    """A value as the sheet takes it: a plain value where it needs nothing else, a cell
    where it needs a number format or must stay text although it begins like a formula."""
    if value.begins_like_formula:
        written = WriteOnlyCell(sheet, value.value)
        written.data_type = "s"
        written.quotePrefix = True
        return written
    if value.number_format is None:
        return value.value
    written = WriteOnlyCell(sheet, value.value)
    written.number_format = value.number_format
    return written


def discard(sheet: WriteOnlyWorksheet) -> None:
    """Ends a sheet left half written and removes the temporary file its rows went to
    (openpyxl removes it only when the workbook is saved)."""
    sheet.close()
    writer = getattr(sheet, "_writer", None)
    cleanup = getattr(writer, "cleanup", None)
    if callable(cleanup):
        cleanup()


def workbook_time(header: ExportHeader) -> datetime:
    """The export's recorded_at in UTC without a zone (as the workbook keeps it), whole
    seconds, and never before the earliest time a zip can hold."""
    if header.recorded_at is None:
        return EARLIEST
    moment = header.recorded_at.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    return max(moment, EARLIEST)


def sheet_title(kind: str) -> str:
    return SHEET_TITLE.sub("-", kind)[:SHEET_TITLE_MAX] or "rows"


class FixedTimeZip(zipfile.ZipFile):
    """A zip being written whose entries all carry one time, whatever the clock says."""

    def __init__(self, out: IO[bytes], moment: datetime) -> None:
        super().__init__(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self.moment = moment

    def entry(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self.moment.timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        return info

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: SizedBuffer | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = self.entry(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(
        self,
        filename: str | os.PathLike[str],
        arcname: str | os.PathLike[str] | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        info = self.entry(os.fspath(arcname if arcname is not None else filename))
        info.file_size = os.path.getsize(filename)
        with open(filename, "rb") as source, self.open(info, "w") as target:
            shutil.copyfileobj(source, target, COPY_BYTES)
