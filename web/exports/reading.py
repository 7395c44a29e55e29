"""An export's rows read back from its file, as its proofs are made and checked: each row's
number, the position and event hash it names, and the SHA-256 of its content as read.

A row's content is what a reader of its format gets back: a CSV row's fields as Python's
``csv`` reads them, a JSON Lines row's line, a workbook row's cell values as openpyxl reads
them. The same bytes always read back the same, so a row whose SHA-256 differs from the one
written beside the export at export time was changed since.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO

from openpyxl import load_workbook

from web.exports.formats import Format
from web.exports.inert import unquoted

POSITION = "position"
EVENT_HASH = "event_hash"


class UnreadableExport(Exception):
    """An export's file cannot be read as an export of its format."""


@dataclass(frozen=True)
class ExportRow:
    number: int
    """1 for the first row after the column names."""
    position: int
    event_hash: str
    sha256: str


def export_rows(fmt: Format, file: IO[bytes]) -> Iterator[ExportRow]:
    """The rows of the export in ``file`` (binary, open for reading) in file order.

    Raises UnreadableExport when a row cannot be read or names no position and event hash.
    """
    if fmt is Format.CSV:
        return csv_rows(file)
    if fmt is Format.JSONL:
        return jsonl_rows(file)
    return xlsx_rows(file)


def csv_rows(file: IO[bytes]) -> Iterator[ExportRow]:
    text = io.TextIOWrapper(file, encoding="utf-8", newline="")
    try:
        reader = csv.reader(text)
        columns = located(next(reader, []))
        for number, fields in enumerate(reader, start=1):
            content = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
            yield row_of(number, [unquoted(field) for field in fields], columns, content)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise UnreadableExport(f"the CSV cannot be read: {exc}") from None
    finally:
        text.detach()


def jsonl_rows(file: IO[bytes]) -> Iterator[ExportRow]:
    for number, line in enumerate(file, start=1):
        content = line.removesuffix(b"\n")
        try:
            document = json.loads(content)
            values = [document[POSITION], document[EVENT_HASH]]
        except (ValueError, KeyError, TypeError) as exc:
            raise UnreadableExport(f"line {number} is not a row of the export: {exc}") from None
        yield row_of(number, values, (0, 1), content.decode())


def xlsx_rows(file: IO[bytes]) -> Iterator[ExportRow]:
    try:
        workbook = load_workbook(io.BytesIO(file.read()), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is no workbook
        raise UnreadableExport(f"the workbook cannot be read: {exc}") from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        columns = located([str(name) for name in next(rows, ())])
        for number, cells in enumerate(rows, start=1):
            content = json.dumps(list(cells), ensure_ascii=False, default=str)
            yield row_of(number, list(cells), columns, content)
    finally:
        workbook.close()


def located(names: Sequence[str]) -> tuple[int, int]:
    """Where the position and event hash are among the column names."""
    try:
        return names.index(POSITION), names.index(EVENT_HASH)
    except ValueError:
        raise UnreadableExport("the export has no position and event_hash columns") from None


def row_of(
    number: int, values: Sequence[object], columns: tuple[int, int], content: str
) -> ExportRow:
    position_at, hash_at = columns
    try:
        position, event_hash = values[position_at], values[hash_at]
        if isinstance(position, bool) or not isinstance(event_hash, str):
            raise TypeError("not a position and an event hash")
        return ExportRow(number, int(str(position)), event_hash, sha256_text(content))
    except (IndexError, TypeError, ValueError):
        raise UnreadableExport(f"row {number} names no position and event hash") from None


def sha256_text(content: str) -> str:
    return hashlib.sha256(content.encode()).hexdigest()
