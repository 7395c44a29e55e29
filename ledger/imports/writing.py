"""Saving an import's chunks: each chunk's events atomically, with its idempotency key."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import IntegrityError, OperationalError

from ledger.app.base import LedgerBase
from ledger.imports.claims import chunk_key
from ledger.imports.planning import Chunk
from ledger.store.recorder import IdempotencyClaim, IdempotencyKeyTaken
from ledger.store.writer import WriteTimeout

ChunkWritten = Callable[[Chunk], None]


@dataclass(frozen=True)
class Saved:
    events: int
    rows: int
    position: int | None
    stopped: str | None = None
    """Why writing stopped before the last chunk, if it did."""


def write_chunks(
    app: LedgerBase, chunks: Sequence[Chunk], file_sha256: str, written: ChunkWritten
) -> Saved:
    events = rows = 0
    position = None
    for chunk in chunks:
        if chunk.events:
            result = {"chunk": chunk.number, "rows": chunk.rows, "events": len(chunk.events)}
            claim = IdempotencyClaim(chunk_key(file_sha256, chunk.number), file_sha256, result)
            stopped = _save(app, chunk.events, claim)
            if isinstance(stopped, str):
                return Saved(events, rows, position, stopped)
            position = stopped
            events += len(chunk.events)
        rows += chunk.rows
        written(chunk)
    return Saved(events, rows, position)


def _save(app: LedgerBase, events: Sequence[Any], claim: IdempotencyClaim) -> int | str:
    """The position of the chunk's last event, or why it was not written."""
    try:
        recordings = app.save(*events, idempotency=claim)
    except IdempotencyKeyTaken:
        return "another import of the same file wrote this part first; import the file again"
    except IntegrityError:
        return (
            "another writer changed a plan, an employee or a measurement log this import"
            " writes to; import the same file again to finish"
        )
    except (OperationalError, WriteTimeout):
        return "the event store did not take the write in time; import the same file again"
    return recordings[-1].notification.id
