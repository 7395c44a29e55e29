"""Reading the ledger's own tables: the chain head, verification, time, idempotency keys."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.utils import retry
from psycopg.sql import SQL, Identifier

from ledger.store.chain import GENESIS, StoredRow, Verification, verify_rows

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ChainHead:
    position: int
    chain_hash: bytes
    recorded_at: datetime | None


@dataclass(frozen=True)
class StoredClaim:
    key: str
    request_hash: str
    result: dict[str, Any]
    position: int


class LedgerRecords:
    """SQL over the events table joined with its chain and idempotency tables."""

    def __init__(self, datastore: PostgresDatastore, events_table: str) -> None:
        self.datastore = datastore
        names = {
            "schema": Identifier(datastore.schema),
            "events": Identifier(events_table),
            "chain": Identifier(f"{events_table}_chain"),
            "keys": Identifier(f"{events_table}_idempotency"),
        }
        self._head = SQL(
            "SELECT position, chain_hash, recorded_at FROM {schema}.{chain}"
            " ORDER BY position DESC LIMIT 1"
        ).format(**names)
        self._rows = SQL(
            "SELECT coalesce(e.notification_id, c.position) AS position,"
            " e.originator_id, e.originator_version, e.topic, e.state,"
            " c.recorded_at, c.event_hash, c.chain_hash"
            " FROM (SELECT * FROM {schema}.{events} WHERE notification_id > %(after)s"
            "   ORDER BY notification_id LIMIT %(limit)s) e"
            " FULL JOIN (SELECT * FROM {schema}.{chain} WHERE position > %(after)s"
            "   ORDER BY position LIMIT %(limit)s) c"
            " ON c.position = e.notification_id"
            " ORDER BY 1 LIMIT %(limit)s"
        ).format(**names)
        self._count = SQL("SELECT count(*) AS n FROM {schema}.{chain} WHERE position <= %s").format(
            **names
        )
        self._position_at = SQL(
            "SELECT max(position) AS position FROM {schema}.{chain} WHERE recorded_at <= %s"
        ).format(**names)
        self._link_at = SQL(
            "SELECT position, chain_hash, recorded_at FROM {schema}.{chain} WHERE position = %s"
        ).format(**names)
        self._top = SQL(
            "SELECT greatest((SELECT max(notification_id) FROM {schema}.{events}),"
            " (SELECT max(position) FROM {schema}.{chain}), 0) AS top"
        ).format(**names)
        self._versions_at = SQL(
            "SELECT originator_id, max(originator_version) AS version FROM {schema}.{events}"
            " WHERE originator_id = ANY(%s) AND notification_id <= %s GROUP BY originator_id"
        ).format(**names)
        self._of_topic = SQL(
            "SELECT originator_id, originator_version, topic, state FROM {schema}.{events}"
            " WHERE topic = %s ORDER BY notification_id"
        ).format(**names)
        self._claim = SQL(
            "SELECT key, request_hash, result, position FROM {schema}.{keys} WHERE key = %s"
        ).format(**names)

    def events_of_topic(self, topic: str) -> list[StoredEvent]:
        """Every stored event of one topic, in position order."""
        with self.datastore.transaction(commit=False) as curs:
            rows = curs.execute(self._of_topic, (topic,)).fetchall()
        return [
            StoredEvent(
                row["originator_id"], row["originator_version"], row["topic"], bytes(row["state"])
            )
            for row in rows
        ]

    def head(self) -> ChainHead:
        with self.datastore.transaction(commit=False) as curs:
            row = curs.execute(self._head).fetchone()
        if row is None:
            return ChainHead(0, GENESIS, None)
        return ChainHead(row["position"], bytes(row["chain_hash"]), row["recorded_at"])

    def link_at(self, position: int) -> ChainHead | None:
        with self.datastore.transaction(commit=False) as curs:
            row = curs.execute(self._link_at, (position,)).fetchone()
        if row is None:
            return None
        return ChainHead(row["position"], bytes(row["chain_hash"]), row["recorded_at"])

    def position_at(self, instant: datetime) -> int:
        """The last position recorded at or before ``instant`` (0 when none was)."""
        with self.datastore.transaction(commit=False) as curs:
            row = curs.execute(self._position_at, (instant,)).fetchone()
        return int(row["position"]) if row and row["position"] is not None else 0

    def versions_at(self, originator_ids: list[UUID], position: int) -> dict[UUID, int]:
        """Each aggregate's highest version recorded at or before ``position``."""
        with self.datastore.transaction(commit=False) as curs:
            rows = curs.execute(self._versions_at, (originator_ids, position)).fetchall()
        return {row["originator_id"]: row["version"] for row in rows}

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def claim(self, key: str) -> StoredClaim | None:
        """The stored answer to an idempotency key; a read, so tried again on a lost
        connection like the library's own reads."""
        with self.datastore.transaction(commit=False) as curs:
            row = curs.execute(self._claim, (key,)).fetchone()
        if row is None:
            return None
        result = row["result"]
        if isinstance(result, str):
            result = json.loads(result)
        return StoredClaim(row["key"], row["request_hash"], result, row["position"])

    def rows(self, after: int, upto: int, limit: int) -> list[StoredRow]:
        """Up to ``limit`` rows after ``after`` and at most ``upto``, in position order.

        Both sides are bounded from below only, with a limit, so the planner always walks
        the two primary keys; rows past ``upto`` are dropped here.
        """
        params = {"after": after, "limit": limit}
        with self.datastore.transaction(commit=False) as curs:
            fetched = curs.execute(self._rows, params).fetchall()
        return [
            StoredRow(
                position=row["position"],
                originator_id=None if row["originator_id"] is None else str(row["originator_id"]),
                version=row["originator_version"],
                topic=row["topic"],
                state=None if row["state"] is None else bytes(row["state"]),
                recorded_at=row["recorded_at"],
                event_hash=None if row["event_hash"] is None else bytes(row["event_hash"]),
                chain_hash=None if row["chain_hash"] is None else bytes(row["chain_hash"]),
            )
            for row in fetched
            if row["position"] <= upto
        ]

    def count_upto(self, position: int) -> int:
        with self.datastore.transaction(commit=False) as curs:
            row = curs.execute(self._count, (position,)).fetchone()
        return int(row["n"]) if row else 0

    def pages(self, upto: int, page_size: int = 5000) -> Iterator[list[StoredRow]]:
        after = 0
        while True:
            page = self.rows(after, upto, page_size)
            if not page:
                return
            yield page
            after = page[-1].position

    def verify(self, upto: int | None = None, progress: Progress | None = None) -> Verification:
        """Recompute every event and chain hash up to ``upto`` (default: the head)."""
        limit = self._verification_limit(upto)
        total = self.count_upto(limit)
        previous, checked = GENESIS, 0
        for page in self.pages(limit):
            result = verify_rows(page, previous)
            checked += result.checked
            if not result.ok:
                return Verification(
                    False,
                    checked,
                    result.first_bad_position,
                    result.problem,
                    result.chain_hash,
                )
            previous = result.chain_hash
            if progress is not None:
                progress(checked, total)
        return Verification(True, checked, None, None, previous)

    def _verification_limit(self, upto: int | None) -> int:
        if upto is not None:
            return upto
        with self.datastore.transaction(commit=False) as curs:
            row = curs.execute(self._top).fetchone()
        return int(row["top"]) if row else 0
