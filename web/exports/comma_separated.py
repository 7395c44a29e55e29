"""CSV, chunk by chunk.

The first line is the column names, then one line per row; the last two columns,
``export_position`` and ``export_chain_hash``, name on every row the ledger position the
export was taken at and the chain hash there, so that any CSV reader (Python's ``csv``,
pandas, Excel) reads the file with no option and no row loses where it came from. Null
is an empty field, a document its canonical JSON, text that begins like a formula has a
leading ``'`` (see ``inert``). UTF-8 without a byte order mark; lines end in CRLF
(RFC 4180).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence

from web.exports.columns import Column, Json, Kind
from web.exports.header import ExportHeader
from web.exports.inert import is_plain_number, quoted

CHUNK_BYTES = 64 * 1024
LINE_END = "\r\n"
NUMBERS = (Kind.INTEGER, Kind.DECIMAL)


def csv_chunks(
    columns: Sequence[Column],
    rows: Iterable[object],
    header: ExportHeader,
    *,
    chunk_bytes: int = CHUNK_BYTES,
) -> Iterator[bytes]:
    """The file in chunks of about ``chunk_bytes``; equal rows and header give equal bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=LINE_END)
    stamp = [csv_text(value) for _, value in header.stamp()]
    writer.writerow([*(column.name for column in columns), *(name for name, _ in header.stamp())])
    for row in rows:
        writer.writerow(
            [*(csv_field(column.kind, column.value(row)) for column in columns), *stamp]
        )
        if buffer.tell() >= chunk_bytes:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def csv_field(kind: Kind, value: Json) -> str:
    """A value as its field: numbers as written, text made inert."""
    text = csv_text(value)
    if kind in NUMBERS and is_plain_number(text):
        return text
    return quoted(text)


def csv_text(value: Json) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return canonical(value)
    return str(value)


def canonical(document: Json) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
