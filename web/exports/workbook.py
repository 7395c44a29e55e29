"""XLSX with openpyxl's write-only workbook: rows go to disk as they come.

The first sheet, named after the export's kind, holds the column names in its first row
(frozen) and one row per row after it; the second sheet, ``export``, names the export:
one ``fact | value`` row each for kind, position, chain_hash, recorded_at and every filter.
Decimals, instants and documents are text cells, exactly as in the CSV; integers are
numbers; null is an empty cell. The workbook's created and modified times and the time of
every zip entry are the export's ``recorded_at``, so equal rows and header give equal bytes.
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.writer.excel import ExcelWriter

from web.exports.columns import Column, Json
from web.exports.comma_separated import canonical
from web.exports.header import TITLE, ExportHeader

if TYPE_CHECKING:
    from _typeshed import SizedBuffer

CREATOR = "performance-ledger"
FACTS_SHEET = "export"
EARLIEST = datetime(1980, 1, 1)
COPY_BYTES = 1 << 20
SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_MAX = 31


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
    sheet.freeze_panes = "A2"
    sheet.append([column.name for column in columns])
    try:
        for row in rows:
            sheet.append([cell(sheet, column.value(row)) for column in columns])
    except BaseException:
        discard(sheet)
        raise
    facts = workbook.create_sheet(FACTS_SHEET)
    facts.append(["fact", "value"])
    for name, value in header.facts():
        facts.append([name, cell(facts, value)])
    with FixedTimeZip(out, moment) as archive:
        ExcelWriter(workbook, archive).save()


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


def cell(sheet: WriteOnlyWorksheet, value: Json) -> object:
    """A value as a cell takes it: text stays text even when it begins with ``=``."""
    if isinstance(value, (dict, list)):
        value = canonical(value)
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub(_escaped, value)
    if not text.startswith("="):
        return text
    written = WriteOnlyCell(sheet, text)
    written.data_type = "s"
    return written


def _escaped(match: re.Match[str]) -> str:
    """A control character XML cannot hold, as OOXML escapes it (``_x0001_``)."""
    return f"_x{ord(match.group()):04X}_"


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
