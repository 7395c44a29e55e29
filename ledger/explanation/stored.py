"""Events of a few aggregates exactly as stored, with their links in the chain."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from psycopg.sql import SQL, Composed, Identifier

from ledger.store.chain import GENESIS
from ledger.store.database import EVENTS_TABLE
from ledger.store.records import LedgerRecords


@dataclass(frozen=True)
class StoredEntry:
    """One stored event and its chain row; the chain side is None when that row is missing.

    ``previous_position`` and ``previous_chain_hash`` name the link before this one in the
    global chain (whichever aggregate it belongs to), so this link can be checked alone.
    """

    position: int
    originator_id: UUID
    version: int
    topic: str
    state: bytes
    recorded_at: datetime | None
    event_hash: bytes | None
    chain_hash: bytes | None
    previous_position: int | None
    previous_chain_hash: bytes

    @property
    def event_type(self) -> str:
        """The topic without its prefix: ``Plan.TargetAdjusted``."""
        return self.topic.rpartition(":")[2]

    def stored_event(self) -> StoredEvent:
        return StoredEvent(self.originator_id, self.version, self.topic, self.state)


def _statement(schema: str) -> Composed:
    return SQL(
        "SELECT e.notification_id AS position, e.originator_id, e.originator_version,"
        " e.topic, e.state, c.recorded_at, c.event_hash, c.chain_hash,"
        " p.position AS previous_position, p.chain_hash AS previous_chain_hash"
        " FROM {schema}.{events} e"
        " LEFT JOIN {schema}.{chain} c ON c.position = e.notification_id"
        " LEFT JOIN LATERAL (SELECT position, chain_hash FROM {schema}.{chain}"
        "   WHERE position < e.notification_id ORDER BY position DESC LIMIT 1) p ON true"
        " WHERE e.originator_id = ANY(%(ids)s)"
        " AND e.notification_id > %(after)s AND e.notification_id <= %(upto)s"
        " ORDER BY e.notification_id"
    ).format(
        schema=Identifier(schema),
        events=Identifier(EVENTS_TABLE),
        chain=Identifier(f"{EVENTS_TABLE}_chain"),
    )


def stored_events(
    records: LedgerRecords, originator_ids: Sequence[UUID], after: int, upto: int
) -> list[StoredEntry]:
    """The events of ``originator_ids`` with ``after < position <= upto``, in position order."""
    params = {"ids": list(originator_ids), "after": after, "upto": upto}
    with records.datastore.transaction(commit=False) as curs:
        rows = curs.execute(_statement(records.datastore.schema), params).fetchall()
    return [
        StoredEntry(
            position=row["position"],
            originator_id=row["originator_id"],
            version=row["originator_version"],
            topic=row["topic"],
            state=bytes(row["state"]),
            recorded_at=row["recorded_at"],
            event_hash=_optional_bytes(row["event_hash"]),
            chain_hash=_optional_bytes(row["chain_hash"]),
            previous_position=row["previous_position"],
            previous_chain_hash=_optional_bytes(row["previous_chain_hash"]) or GENESIS,
        )
        for row in rows
    ]


def _optional_bytes(value: bytes | memoryview | None) -> bytes | None:
    return None if value is None else bytes(value)
