"""JSON Lines, chunk by chunk.

Every line is one row: an object with the columns in order, then ``export_position`` and
``export_chain_hash`` (the ledger position the export was taken at and the chain hash
there), the same fields in the same order on every line, as the CSV has them. Decimals are
strings with their stored digits, instants ISO 8601 strings in UTC, null is null, text is
exactly as stored (no program reading JSON runs it as a formula). UTF-8, each line ending
in LF.
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
    stamp = dict(header.stamp())
    for row in rows:
        buffer.write(line({**{column.name: column.value(row) for column in columns}, **stamp}))
        if buffer.tell() >= chunk_bytes:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def line(document: Mapping[str, object]) -> str:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False) + "\n"
