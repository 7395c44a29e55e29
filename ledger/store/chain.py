"""Event and chain hashes: pure functions over the exact stored bytes (standard library only).

event_hash = sha256("ledger-event-v1\\n" originator_id "\\n" version "\\n" topic "\\n" state)
chain_hash = sha256(previous chain_hash || event_hash || "<position>|<recorded_at>")

with recorded_at written as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (UTC, microseconds). The first
link's previous chain hash is 32 zero bytes. Writers are serialised by a table
lock, so the chain is global and follows positions in order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS = bytes(32)
STAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_EVENT_PREFIX = b"ledger-event-v1\n"


def event_hash(originator_id: str, version: int, topic: str, state: bytes) -> bytes:
    header = f"{originator_id}\n{version}\n{topic}\n".encode()
    return hashlib.sha256(_EVENT_PREFIX + header + state).digest()


def link_hash(previous: bytes, event_digest: bytes, position: int, recorded_at: datetime) -> bytes:
    stamp = f"{position}|{recorded_at.astimezone(UTC).strftime(STAMP_FORMAT)}".encode()
    return hashlib.sha256(previous + event_digest + stamp).digest()


@dataclass(frozen=True)
class StoredRow:
    """One event as stored, joined with its chain row; either side may be missing."""

    position: int
    originator_id: str | None
    version: int | None
    topic: str | None
    state: bytes | None
    recorded_at: datetime | None
    event_hash: bytes | None
    chain_hash: bytes | None


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    first_bad_position: int | None
    problem: str | None
    chain_hash: bytes


def _problem(row: StoredRow, previous: bytes) -> str | None:
    if row.originator_id is None or row.version is None or row.topic is None:
        return "chain row without its event"
    if row.state is None:
        return "event without state"
    if row.recorded_at is None or row.event_hash is None or row.chain_hash is None:
        return "event without its chain row"
    digest = event_hash(row.originator_id, row.version, row.topic, row.state)
    if digest != row.event_hash:
        return "event bytes do not match their stored hash"
    if link_hash(previous, digest, row.position, row.recorded_at) != row.chain_hash:
        return "chain hash does not follow from the previous link"
    return None


def verify_rows(rows: Iterable[StoredRow], previous: bytes = GENESIS) -> Verification:
    """Walk rows in position order; stop at the first one that disagrees."""
    checked = 0
    for row in rows:
        problem = _problem(row, previous)
        if problem is not None:
            return Verification(False, checked, row.position, problem, previous)
        assert row.chain_hash is not None
        previous = row.chain_hash
        checked += 1
    return Verification(True, checked, None, None, previous)
