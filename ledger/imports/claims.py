"""Which chunks of a file are in the ledger already: each was saved with its own
idempotency key, ``import:<file sha256>:<chunk>``, in the same transaction as its events."""

from __future__ import annotations

import json
from dataclasses import dataclass

from psycopg.sql import SQL, Identifier

from ledger.store.records import LedgerRecords

PREFIX = "import:"


def chunk_key(file_sha256: str, chunk: int) -> str:
    return f"{PREFIX}{file_sha256}:{chunk}"


@dataclass(frozen=True)
class WrittenChunk:
    chunk: int
    rows: int
    events: int
    position: int


def written_chunks(
    records: LedgerRecords, events_table: str, file_sha256: str, chunks: int
) -> dict[int, WrittenChunk]:
    """The chunks of the file an earlier import saved, by chunk number."""
    statement = SQL("SELECT result, position FROM {}.{} WHERE key = ANY(%s)").format(
        Identifier(records.datastore.schema), Identifier(f"{events_table}_idempotency")
    )
    keys = [chunk_key(file_sha256, chunk) for chunk in range(chunks)]
    with records.datastore.transaction(commit=False) as cursor:
        found = cursor.execute(statement, (keys,)).fetchall()
    written = {}
    for row in found:
        result = row["result"]
        result = json.loads(result) if isinstance(result, str) else result
        chunk = WrittenChunk(
            int(result["chunk"]), int(result["rows"]), int(result["events"]), int(row["position"])
        )
        written[chunk.chunk] = chunk
    return written
