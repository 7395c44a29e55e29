"""An XLSX workbook read with python-calamine, after checks calamine does not make.

Before calamine parses anything every part of the zip is inflated once, counting the bytes
it really holds (a zip's stated sizes may lie), and each sheet's XML is searched for
formulas and merged cells, which an import refuses naming the cell.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import replace
from xml.etree import ElementTree

from openpyxl.utils import column_index_from_string
from python_calamine import CalamineError, CalamineWorkbook

from ledger.imports.cells import Raw, is_blank
from ledger.imports.limits import Limits
from ledger.imports.report import CellError, FileRefused, Refusal
from ledger.imports.tables import Table

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
READ_BYTES = 1 << 20
OVERLAP = 4096
FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
CELL_REF = re.compile(rb'<(?:\w+:)?c r="([A-Z]{1,3}[0-9]{1,7})"')
MERGED = re.compile(rb'<(?:\w+:)?mergeCell ref="([A-Z0-9:]+)"')
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
SHOWN_PER_SHEET = 20


def refused(message: str, refusal: Refusal = Refusal.UNREADABLE) -> FileRefused:
    return FileRefused(CellError(message), refusal)


def read_workbook(
    data: bytes, limits: Limits, wanted: Sequence[str]
) -> tuple[list[Table], list[str]]:
    """The sheets named in ``wanted`` that the workbook has, in its order, and the names
    of its other sheets.

    Raises FileRefused for a file that is no XLSX workbook, is encrypted or over a limit;
    formulas and merged cells are refused too, naming each cell (up to a few per sheet).
    """
    check_container(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = sheet_parts(archive)
        problems = scan(archive, parts, limits)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except CalamineError as error:
        raise refused(f"not a readable XLSX workbook: {error}") from None
    if problems:
        raise CellsRefused([_named(book, problem) for problem in problems])
    tables, others = [], []
    for name in book.sheet_names:
        if name not in wanted:
            others.append(name)
            continue
        sheet = book.get_sheet_by_name(name)
        tables.append(_table(name, sheet.to_python(skip_empty_area=False)))
    return tables, others


class CellsRefused(FileRefused):
    """Several cells refused before reading: formulas or merged cells."""

    def __init__(self, errors: Sequence[CellError]) -> None:
        super().__init__(errors[0])
        self.errors = tuple(errors)


def _named(book: CalamineWorkbook, problem: CellError) -> CellError:
    """The problem with its column named by the sheet's header, where it has one."""
    if problem.sheet is None or problem.column is None:
        return problem
    rows = book.get_sheet_by_name(problem.sheet).iter_rows()
    header = next(rows, [])
    index = column_index_from_string(problem.column) - 1
    name = header[index] if index < len(header) else None
    if isinstance(name, str) and name.strip():
        return replace(problem, column=name.strip())
    return problem


def check_container(data: bytes) -> None:
    if data.startswith(OLE_MAGIC):
        raise refused(
            "the workbook is encrypted (password-protected) or in the old .xls format:"
            " save it as an .xlsx workbook without a password"
        )
    if not data.startswith(ZIP_MAGIC) or not zipfile.is_zipfile(io.BytesIO(data)):
        raise refused("not an XLSX workbook (it is no zip file); save the file as .xlsx")


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name and the part of the zip holding its XML."""
    try:
        book = ElementTree.fromstring(_small_part(archive, "xl/workbook.xml"))
        rels = ElementTree.fromstring(_small_part(archive, "xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        raise refused("not an XLSX workbook: its workbook part is missing or broken") from None
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{PKG_REL_NS}Relationship")
    }
    parts = {}
    for sheet in book.iter(f"{MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{REL_NS}id"), "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts[sheet.get("name", "")] = path
    return parts


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as part:
        data = part.read(16 * READ_BYTES + 1)
    if len(data) > 16 * READ_BYTES:
        raise refused(f"the workbook's part {name} is over 16 MB", Refusal.TOO_LARGE)
    return data


def scan(archive: zipfile.ZipFile, parts: dict[str, str], limits: Limits) -> list[CellError]:
    """Inflate every part within the limit; the formulas and merged cells of each sheet."""
    entries = archive.infolist()
    if len(entries) > limits.zip_entries:
        raise refused(
            f"the workbook has {len(entries)} parts, over the limit of {limits.zip_entries}",
            Refusal.TOO_LARGE,
        )
    declared = sum(entry.file_size for entry in entries)
    if declared > limits.uncompressed_bytes:
        raise _bomb(limits)
    sheet_of = {path: name for name, path in parts.items()}
    total = 0
    problems: list[CellError] = []
    for entry in entries:
        sheet = sheet_of.get(entry.filename)
        found: dict[bytes, CellError] = {}
        for chunk in _inflated(archive, entry):
            total += len(chunk)
            if total > limits.uncompressed_bytes:
                raise _bomb(limits)
            if sheet is not None and len(found) < SHOWN_PER_SHEET:
                found.update(_cell_problems(sheet, chunk))
        problems.extend(list(found.values())[:SHOWN_PER_SHEET])
    return problems


def _bomb(limits: Limits) -> FileRefused:
    return refused(
        f"the workbook unzips to more than {limits.uncompressed_bytes // (1 << 20)} MB,"
        " over the limit",
        Refusal.TOO_LARGE,
    )


def _inflated(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's bytes in pieces that overlap by a little, so no tag is cut in two."""
    tail = b""
    try:
        with archive.open(entry) as part:
            while piece := part.read(READ_BYTES):
                yield tail + piece
                tail = piece[-OVERLAP:]
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError) as error:
        raise refused(f"the workbook's zip is broken or encrypted: {error}") from None


def _cell_problems(sheet: str, chunk: bytes) -> dict[bytes, CellError]:
    found: dict[bytes, CellError] = {}
    merges = MERGED.finditer(chunk) if b"mergeCell " in chunk else iter(())
    for formula in FORMULA.finditer(chunk):
        refs = CELL_REF.findall(chunk, max(0, formula.start() - OVERLAP), formula.start())
        if not refs:
            continue
        cell = refs[-1].decode()
        found[refs[-1]] = CellError(
            f"cell {cell} holds a formula: the import takes values only; paste it as values",
            sheet=sheet,
            row=_row_of(cell),
            column=cell.rstrip("0123456789"),
        )
    for match in merges:
        cells = match[1].decode()
        first = cells.split(":")[0]
        found[match[1]] = CellError(
            f"cells {cells} are merged: unmerge them and fill every cell",
            sheet=sheet,
            row=_row_of(first),
            column=first.rstrip("0123456789"),
        )
    return found


def _row_of(cell: str) -> int:
    return int(cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


def _table(name: str, cells: Sequence[Sequence[Raw]]) -> Table:
    header = tuple(cells[0]) if cells else ()
    rows = [
        (number, values)
        for number, values in enumerate(cells[1:], start=2)
        if not all(is_blank(value) for value in values)
    ]
    return Table(name, header, rows)
