"""Aggregates rebuilt from the ledger's events table, in the transaction of a view's page."""

from __future__ import annotations

from collections.abc import Collection, Container
from dataclasses import dataclass
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, CanMutateAggregate, DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent
from psycopg import Cursor, sql
from psycopg.rows import DictRow

from projections.source import ledger_recorder
from projections.statements import composed

RECENT_SCANNED = 100_000
"""How far back, in events, the aggregates changed last are looked for: ids only are read."""


@dataclass
class Tracked:
    """An aggregate as a view holds it, with the position of the last event applied to it.

    ``aggregate`` is None, at position 0, while the aggregate has no event yet.
    """

    aggregate: Aggregate | None = None
    position: int = 0

    @property
    def weight(self) -> int:
        """How many events the state is made of: what a cache of states is bounded by."""
        return 1 if self.aggregate is None else self.aggregate.version

    def advance(self, position: int, event: DomainEventProtocol[UUID]) -> None:
        """Apply the next event of the aggregate; the library refuses one out of order."""
        if not isinstance(event, CanMutateAggregate):
            raise TypeError(f"{type(event).__name__} does not change an aggregate")
        self.aggregate = event.mutate(self.aggregate)
        self.position = position


class History:
    """Loads aggregates as they stood before a position, many in one query."""

    def __init__(self, events: sql.Identifier, mapper: Mapper[UUID]) -> None:
        self.table = events
        self.mapper = mapper
        self._select = composed(
            sql.SQL(
                "SELECT notification_id AS position, originator_id, originator_version,"
                " topic, state FROM {} WHERE originator_id = ANY(%s) AND notification_id < %s"
                " ORDER BY originator_id, originator_version"
            ).format(events)
        )
        self._recent = composed(
            sql.SQL(
                "SELECT originator_id, originator_version, topic FROM {}"
                " WHERE notification_id <= %s ORDER BY notification_id DESC LIMIT %s"
            ).format(events)
        )

    @classmethod
    def of(cls, app: Application[UUID]) -> History:
        recorder = ledger_recorder(app)
        events = sql.Identifier(recorder.datastore.schema, recorder.events_table_name)
        return cls(events, app.mapper)

    def load(
        self, cursor: Cursor[DictRow], ids: Collection[UUID], before: int
    ) -> dict[UUID, Tracked]:
        """Each aggregate from the events recorded before ``before``; unknown ones empty."""
        states = {aggregate_id: Tracked() for aggregate_id in ids}
        if not states:
            return states
        cursor.execute(self._select, (list(states), before), prepare=True, binary=True)
        for row in cursor:
            stored = StoredEvent(
                row["originator_id"], row["originator_version"], row["topic"], row["state"]
            )
            states[row["originator_id"]].advance(
                row["position"], self.mapper.to_domain_event(stored)
            )
        return states

    def recent(
        self,
        cursor: Cursor[DictRow],
        position: int,
        topics: Container[str],
        weight: int,
        scanned: int = RECENT_SCANNED,
    ) -> list[UUID]:
        """The aggregates of ``topics`` last changed at or before ``position``, most recent
        first, as many as about ``weight`` events make, among the last ``scanned`` events."""
        cursor.execute(self._recent, (position, scanned), prepare=True, binary=True)
        found: dict[UUID, None] = {}
        total = 0
        for row in cursor:
            aggregate_id = row["originator_id"]
            if total >= weight:
                break
            if aggregate_id in found or row["topic"] not in topics:
                continue
            found[aggregate_id] = None
            total += row["originator_version"]
        return list(found)
