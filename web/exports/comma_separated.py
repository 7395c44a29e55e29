"""CSV, chunk by chunk.

The first line is a comment naming the export (``# performance-ledger export kind=…
position=… chain_hash=… recorded_at=… <filter>=…``, values percent-encoded where they
hold anything but letters, digits and ``:@+-._~``), the second the column names, then
one line per row. Null is an empty field, a document its canonical JSON. Lines end in
CRLF (RFC 4180). Readers skip the first line (pandas: ``comment="#"`` or ``skiprows=1``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from urllib.parse import quote

from web.exports.columns import Column, Json
from web.exports.header import TITLE, ExportHeader

CHUNK_BYTES = 64 * 1024
SAFE = ":@+-._~"
LINE_END = "\r\n"


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
    buffer.write(comment_line(header))
    writer.writerow(column.name for column in columns)
    for row in rows:
        writer.writerow(csv_text(column.value(row)) for column in columns)
        if buffer.tell() >= chunk_bytes:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def comment_line(header: ExportHeader) -> str:
    facts = " ".join(
        f"{name}={quote(csv_text(value), safe=SAFE)}" for name, value in header.facts()
    )
    return f"# {TITLE} {facts}{LINE_END}"


def fact_text(value: str | int | None) -> str:
    return quote(csv_text(value), safe=SAFE)


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
