"""JSON Lines, chunk by chunk.

The first line is ``{"export": {"kind", "position", "chain_hash", "recorded_at",
"filters", "columns"}}``; every later line is one row as an object with the columns in
order. Decimals are strings, instants ISO 8601 strings in UTC, null is null. UTF-8, each
line ending in LF.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence

from web.exports.columns import Column
from web.exports.header import ExportHeader

CHUNK_BYTES = 64 * 1024


def jsonl_chunks(
    columns: Sequence[Column],
    rows: Iterable[object],
    header: ExportHeader,
    *,
    chunk_bytes: int = CHUNK_BYTES,
) -> Iterator[bytes]:
    """The file in chunks of about ``chunk_bytes``; equal rows and header give equal bytes."""
    buffer = io.StringIO()
    names = [column.name for column in columns]
    facts = {**header.as_json(), "columns": names}
    buffer.write(line({"export": facts}))
    for row in rows:
        buffer.write(line({column.name: column.value(row) for column in columns}))
        if buffer.tell() >= chunk_bytes:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def line(document: Mapping[str, object]) -> str:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False) + "\n"
