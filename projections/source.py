"""Pages of the ledger's events after a position, with their recorded time and hash,
each verified before any view may apply it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Self
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent
from psycopg import Cursor, sql
from psycopg.rows import DictRow

from ledger.store.chain import GENESIS, event_hash, link_hash
from ledger.store.recorder import LedgerRecorder
from projections.errors import EventNotDecoded, EventUnverified
from projections.statements import composed
from projections.view import PositionedEvent


@dataclass(frozen=True)
class Page:
    """Events after a position, and the position a view stands at once it has them.

    ``last_position`` is the last position read when the page is full, otherwise the
    ledger's head when it was read: nothing selected lies between the two. ``read``
    counts the events of every topic the page passed, ``after`` its starting point.
    """

    events: tuple[PositionedEvent, ...]
    last_position: int
    full: bool
    read: int = 0
    after: int = 0


class Verified(NamedTuple):
    """A page's rows, read and verified, before they become events: plain values, so
    that a reading process can send them (see ``apart``).

    Each row is (position, recorded_at, event_hash, originator_id, originator_version,
    topic, state); ``last_position``, ``full``, ``read`` and ``after`` are the page's."""

    rows: list[tuple[Any, ...]]
    last_position: int
    full: bool
    read: int
    after: int


def ledger_recorder(app: Application[UUID]) -> LedgerRecorder:
    recorder = app.recorder
    if not isinstance(recorder, LedgerRecorder):
        raise TypeError("the application does not record to the ledger's event store")
    return recorder


class VerifiedReader:
    """Reads the events table joined with its chain, in position order, and verifies each
    row.

    Writers hold an exclusive lock on the events table while they insert and commit, so
    positions become visible in order: everything up to the head read first is there.
    Positions may have holes; nothing here counts on them being dense.
    """

    def __init__(self, schema: str, events_table: str, chain_table: str) -> None:
        self.names = (schema, events_table, chain_table)
        names = {
            "events": sql.Identifier(schema, events_table),
            "chain": sql.Identifier(schema, chain_table),
        }
        # No upper bound here: a range bound misleads the planner into reading the whole
        # range whenever the statistics are stale (just after a bulk load, say). Bounding
        # both sides from below keeps one ordered merge of two index scans, stopped by LIMIT.
        # Topics are not filtered in WHERE either: without statistics the planner takes the
        # filter for a selective one and sorts all the rest of the ledger for every page.
        # Events of other topics come without their state instead, and are not decoded.
        # Every event comes with its chain row, or without one (a row written behind the
        # ledger's back): the page refuses it rather than leave it out unnoticed.
        select = (
            "SELECT e.notification_id AS position, c.recorded_at, c.event_hash, c.chain_hash,"
            " e.originator_id, e.originator_version, e.topic, {state} AS state"
            " FROM {events} e LEFT JOIN {chain} c"
            " ON c.position = e.notification_id AND c.position > %(after)s"
            " WHERE e.notification_id > %(after)s"
            " ORDER BY e.notification_id LIMIT %(limit)s"
        )
        self._page = composed(sql.SQL(select).format(state=sql.SQL("e.state"), **names))
        self._page_of_topics = composed(
            sql.SQL(select).format(
                state=sql.SQL("CASE WHEN e.topic = ANY(%(topics)s) THEN e.state END"), **names
            )
        )
        self._link_before = composed(
            sql.SQL(
                "SELECT chain_hash FROM {chain} WHERE position <= %s ORDER BY position DESC LIMIT 1"
            ).format(**names)
        )
        self._head = composed(
            sql.SQL("SELECT coalesce(max(position), 0) AS head FROM {chain}").format(**names)
        )
        self._count = sql.SQL(
            "SELECT count(*) AS n FROM {chain} WHERE position > %s AND position <= %s"
        ).format(**names)

    def head(self, cursor: Cursor[DictRow]) -> int:
        row = cursor.execute(self._head, prepare=True).fetchone()
        return int(row["head"]) if row else 0

    def count(self, cursor: Cursor[DictRow], after: int, upto: int) -> int:
        row = cursor.execute(self._count, (after, upto)).fetchone()
        return int(row["n"]) if row else 0

    def read_verified(
        self, cursor: Cursor[DictRow], after: int, limit: int, topics: Sequence[str]
    ) -> Verified:
        """``verified_upto`` the ledger's head as it stands now."""
        return self.verified_upto(cursor, after, limit, topics, self.head(cursor))

    def verified_upto(
        self, cursor: Cursor[DictRow], after: int, limit: int, topics: Sequence[str], head: int
    ) -> Verified:
        """The rows after ``after`` among the next ``limit`` of the ledger as it stood when
        its head was ``head``, verified; those of ``topics`` (empty: all) with their state."""
        params = {"after": after, "limit": limit, "topics": list(topics)}
        statement = self._page_of_topics if topics else self._page
        rows = cursor.execute(statement, params, prepare=True, binary=True).fetchall()
        rows = [row for row in rows if row["position"] <= head]
        self._verify(cursor, after, rows)
        events = [
            (
                row["position"],
                row["recorded_at"],
                row["event_hash"],
                row["originator_id"],
                row["originator_version"],
                row["topic"],
                row["state"],
            )
            for row in rows
            if row["state"] is not None
        ]
        full = len(rows) == limit
        last = rows[-1]["position"] if full else max(head, after)
        return Verified(events, last, full, len(rows), after)

    def _verify(self, cursor: Cursor[DictRow], after: int, rows: Sequence[DictRow]) -> None:
        """Each row's chain link follows from the one before, and the bytes of each row
        read with its state hash to its event hash; EventUnverified names the first that
        does not. Rows of other topics come without state: their views check their bytes."""
        if not rows:
            return
        found = cursor.execute(self._link_before, (after,), prepare=True).fetchone()
        previous = bytes(found["chain_hash"]) if found else GENESIS
        for row in rows:
            position = row["position"]
            problem = _unverified(row, previous)
            if problem is not None:
                raise EventUnverified(f"event at position {position} {problem}", position)
            previous = bytes(row["chain_hash"])


class EventSource(VerifiedReader):
    """Pages of verified events; an event is decoded when a view first asks for it (see
    ``PositionedEvent``)."""

    def __init__(
        self, schema: str, events_table: str, chain_table: str, mapper: Mapper[UUID]
    ) -> None:
        super().__init__(schema, events_table, chain_table)
        self.mapper = mapper

    @classmethod
    def of(cls, app: Application[UUID]) -> Self:
        """The source of the application's ledger (of this class or a subclass)."""
        recorder = ledger_recorder(app)
        return cls(
            recorder.datastore.schema,
            recorder.events_table_name,
            recorder.chain_table_name,
            app.mapper,
        )

    def read(
        self, cursor: Cursor[DictRow], after: int, limit: int, topics: Sequence[str] = ()
    ) -> Page:
        """The events after ``after`` among the next ``limit`` of the ledger, of ``topics``
        (empty: all); the page is full when it read ``limit`` events of any topic."""
        return self.read_upto(cursor, after, limit, topics, self.head(cursor))

    def read_upto(
        self, cursor: Cursor[DictRow], after: int, limit: int, topics: Sequence[str], head: int
    ) -> Page:
        """``read``, of the ledger as it stood when its head was ``head``."""
        return self.page_of(self.verified_upto(cursor, after, limit, topics, head))

    def page_of(self, verified: Verified) -> Page:
        """The page of rows read and verified, here or by a reading process."""
        decoder = self._domain_event
        events = tuple(
            PositionedEvent(
                position=position,
                recorded_at=recorded_at,
                event_hash=digest.hex(),
                originator_id=originator_id,
                originator_version=version,
                topic=topic,
                stored=StoredEvent(originator_id, version, topic, state),
                decoder=decoder,
            )
            for position, recorded_at, digest, originator_id, version, topic, state in verified.rows
        )
        return Page(events, verified.last_position, verified.full, verified.read, verified.after)

    def _domain_event(self, position: int, stored: StoredEvent) -> DomainEventProtocol[UUID]:
        try:
            return self.mapper.to_domain_event(stored)
        except Exception as error:
            message = f"event at position {position} ({stored.topic}) not decoded: {error}"
            raise EventNotDecoded(message, position) from error


def _unverified(row: DictRow, previous: bytes) -> str | None:
    """What is wrong with the row, or None when its link and (if read) its bytes verify."""
    if row["chain_hash"] is None or row["event_hash"] is None:
        return "has no chain link: it was not written by the ledger"
    digest = bytes(row["event_hash"])
    if link_hash(previous, digest, row["position"], row["recorded_at"]) != row["chain_hash"]:
        return "has a chain link that does not follow from the one before"
    state = row["state"]
    if state is not None:
        stored = event_hash(
            str(row["originator_id"]), row["originator_version"], row["topic"], bytes(state)
        )
        if stored != digest:
            return "has bytes that do not match their event hash"
    return None
