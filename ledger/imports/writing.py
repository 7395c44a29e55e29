"""Saving an import's chunks: each chunk's events atomically, with its idempotency key.

The chunks are written in order by one writer thread while this thread encodes the next
one, so the database's work on a chunk overlaps Python's on the next; a chunk is sent only
once the one before it is in the ledger, and a refused chunk stops the import there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import IntegrityError, OperationalError, StoredEvent

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


@dataclass
class Progress:
    events: int = 0
    rows: int = 0
    position: int | None = None


def write_chunks(
    app: LedgerBase, chunks: Sequence[Chunk], file_sha256: str, written: ChunkWritten
) -> Saved:
    done = Progress()
    sending: tuple[Chunk, Future[int | str]] | None = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer") as writer:
        for chunk in chunks:
            stored = [app.mapper.to_stored_event(event) for event in chunk.events]
            if sending is not None and (stopped := _landed(done, *sending, written)):
                return Saved(done.events, done.rows, done.position, stopped)
            sending = (chunk, writer.submit(_insert, app, stored, _claim(chunk, file_sha256)))
        if sending is not None and (stopped := _landed(done, *sending, written)):
            return Saved(done.events, done.rows, done.position, stopped)
    return Saved(done.events, done.rows, done.position)


def _claim(chunk: Chunk, file_sha256: str) -> IdempotencyClaim:
    result = {"chunk": chunk.number, "rows": chunk.rows, "events": len(chunk.events)}
    return IdempotencyClaim(chunk_key(file_sha256, chunk.number), file_sha256, result)


def _landed(
    done: Progress, chunk: Chunk, sent: Future[int | str], written: ChunkWritten
) -> str | None:
    """Waits for the chunk; why it was refused, or None once it is in the ledger."""
    outcome = sent.result()
    if isinstance(outcome, str):
        return outcome
    if chunk.events:
        done.position = outcome
        done.events += len(chunk.events)
    done.rows += chunk.rows
    written(chunk)
    return None


def _insert(app: LedgerBase, stored: Sequence[StoredEvent], claim: IdempotencyClaim) -> int | str:
    """The position of the chunk's last event (0 for a chunk without events), or why it
    was not written."""
    if not stored:
        return 0
    try:
        positions: Any = app.recorder.insert_events(stored, idempotency=claim)
    except IdempotencyKeyTaken:
        return "another import of the same file wrote this part first; import the file again"
    except IntegrityError:
        return (
            "another writer changed a plan, an employee or a measurement log this import"
            " writes to; import the same file again to finish"
        )
    except (OperationalError, WriteTimeout) as error:
        return (
            f"the event store did not take the write in time ({error}); import the same file again"
        )
    return int(positions[-1])
