"""What a read model is: its tables, written as DDL of their physical names, and how a
page of events lands in them."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import StoredEvent
from psycopg import Cursor, sql
from psycopg.rows import DictRow

from projections.schema import SCHEMA, SHADOW_SUFFIX

MAX_IDENTIFIER = 63

Statement = sql.SQL | sql.Composed


Decoder = Callable[[int, StoredEvent], DomainEventProtocol[UUID]]
"""Turns the stored event at a position back into its domain event."""


@dataclass(frozen=True)
class PositionedEvent:
    """A stored event, verified, with its place in the ledger: its domain event is decoded
    when first asked for, so a view that needs only an event's topic and place (or reads
    a few of its stored fields) costs no decoding."""

    position: int
    recorded_at: datetime
    event_hash: str
    originator_id: UUID
    originator_version: int
    topic: str
    stored: StoredEvent
    decoder: Decoder = field(compare=False, repr=False)

    @property
    def event(self) -> DomainEventProtocol[UUID]:
        """The domain event, decoded once (two threads asking at once may both decode:
        they get equal events)."""
        found: DomainEventProtocol[UUID] | None = self.__dict__.get("_event")
        if found is None:
            found = self.decoder(self.position, self.stored)
            object.__setattr__(self, "_event", found)
        return found


@dataclass(frozen=True)
class TableNames:
    """Where a view's tables physically are: the live names, or their shadow copies."""

    suffix: str = ""
    schema: str = SCHEMA

    def name(self, table: str) -> str:
        return f"{table}{self.suffix}"

    def __getitem__(self, table: str) -> sql.Identifier:
        """The schema-qualified physical name of ``table``."""
        return sql.Identifier(self.schema, self.name(table))

    def local(self, name: str) -> sql.Identifier:
        """An unqualified name carrying the suffix, for indexes and constraints."""
        return sql.Identifier(self.name(name))


LIVE = TableNames()
SHADOW = TableNames(SHADOW_SUFFIX)


class View(ABC):
    """A read model: tables in the ``projections`` schema kept from the ledger's events.

    ``tables`` names the logical tables; ``ddl`` creates them under the physical names it is
    given, so that a rebuild can build shadow copies beside the live ones. Indexes named in
    the DDL take ``tables.local(...)`` so that they carry the suffix too. ``apply`` writes a
    whole page in bulk, in the transaction that also moves the view's tracking position.
    A change to ``apply`` or ``ddl`` bumps ``version``; a stored version that differs
    makes the runner rebuild the view. ``topics`` (empty: all) selects the events read.

    Into shadow tables, ``apply`` may leave work undone in the tables themselves, for
    ``settle`` to finish before the rebuild swaps them in; live tables are always whole.
    """

    name: str
    version: int
    tables: tuple[str, ...]
    topics: tuple[str, ...] = ()

    @abstractmethod
    def ddl(self, tables: TableNames) -> Sequence[Statement]:
        """Statements that create the view's tables and indexes under ``tables``' names."""

    @abstractmethod
    def apply(
        self, cursor: Cursor[DictRow], page: Sequence[PositionedEvent], tables: TableNames
    ) -> None:
        """Write the rows that the page's events imply, in bulk."""

    def settle(self, cursor: Cursor[DictRow], tables: TableNames, position: int) -> bool:
        """Finish a part of the work ``apply`` left in ``tables``, which stand at
        ``position``; True once none is left."""
        return True

    def warm(self, cursor: Cursor[DictRow], position: int) -> None:
        """Before following from ``position``, where the live tables stand, load what the
        next pages are likely to need (the states of recently changed aggregates) as of
        ``position``, so that the first pages do not load it; nothing by default."""
        return

    def create(self, cursor: Cursor[DictRow], tables: TableNames) -> None:
        for statement in self.ddl(tables):
            cursor.execute(statement)

    def drop(self, cursor: Cursor[DictRow], tables: TableNames) -> None:
        for table in self.tables:
            cursor.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(tables[table]))

    def reset(self, cursor: Cursor[DictRow], tables: TableNames) -> None:
        """Empty tables, as before the first event: what a rebuild starts from."""
        self.drop(cursor, tables)
        self.create(cursor, tables)

    def missing_tables(self, cursor: Cursor[DictRow], tables: TableNames) -> list[str]:
        names = [tables.name(table) for table in self.tables]
        rows = cursor.execute(_MISSING, (names, tables.schema)).fetchall()
        return [row["name"] for row in rows]


_MISSING = sql.SQL(
    "SELECT name FROM unnest(%s::text[]) AS name"
    " WHERE to_regclass(quote_ident(%s) || '.' || quote_ident(name)) IS NULL"
)


def check_view(view: View) -> None:
    """Raise ValueError for a view whose names PostgreSQL would truncate or clash on."""
    longest = MAX_IDENTIFIER - len(SHADOW_SUFFIX)
    for name in (view.name, *view.tables):
        if not name or len(name) > longest or SHADOW_SUFFIX in name:
            raise ValueError(f"view {view.name!r}: {name!r} is not a usable name")
    if len(set(view.tables)) != len(view.tables):
        raise ValueError(f"view {view.name!r}: a table is named twice")
