"""A view for the tests: a row per event and a count per topic, each page landing in bulk.

The rows table has no unique key on purpose: an event applied twice shows as a duplicate
instead of an error.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from uuid import UUID

from psycopg import Cursor, sql
from psycopg.rows import DictRow

from projections import PositionedEvent, Statement, TableNames, View


class HandlerBroke(Exception):
    """The test view refuses an event it was told to refuse."""


@dataclass(frozen=True)
class LogStatements:
    copy: sql.Composed
    count: sql.Composed


@cache
def statements(name: str, tables: TableNames) -> LogStatements:
    names = {"events": tables[f"{name}_events"], "counts": tables[f"{name}_counts"]}
    return LogStatements(
        copy=sql.SQL(
            "COPY {events} (position, recorded_at, event_hash, originator_id,"
            " originator_version, topic, built_by) FROM STDIN"
        ).format(**names),
        count=sql.SQL(
            "INSERT INTO {counts} AS c (topic, events)"
            " SELECT * FROM unnest(%s::text[], %s::bigint[])"
            " ON CONFLICT (topic) DO UPDATE SET events = c.events + excluded.events"
        ).format(**names),
    )


class EventLog(View):
    def __init__(
        self,
        name: str = "event_log",
        version: int = 1,
        *,
        delay: float = 0.0,
        refuse: frozenset[UUID] = frozenset(),
        topics: tuple[str, ...] = (),
    ) -> None:
        self.name = name
        self.version = version
        self.tables = (f"{name}_events", f"{name}_counts")
        self.topics = topics
        self.delay = delay
        self.refuse = refuse

    def ddl(self, tables: TableNames) -> Sequence[Statement]:
        names = {
            "events": tables[f"{self.name}_events"],
            "counts": tables[f"{self.name}_counts"],
            "by_position": tables.local(f"{self.name}_events_by_position"),
        }
        texts = [
            "CREATE TABLE {events} (position bigint NOT NULL, recorded_at timestamptz NOT NULL,"
            " event_hash text NOT NULL, originator_id uuid NOT NULL,"
            " originator_version bigint NOT NULL, topic text NOT NULL, built_by int NOT NULL)",
            "CREATE INDEX {by_position} ON {events} (position)",
            "CREATE TABLE {counts} (topic text PRIMARY KEY, events bigint NOT NULL)",
        ]
        return [sql.SQL(text).format(**names) for text in texts]

    def apply(
        self, cursor: Cursor[DictRow], page: Sequence[PositionedEvent], tables: TableNames
    ) -> None:
        if self.delay:
            cursor.execute("SELECT pg_sleep(%s)", (self.delay,))
        for event in page:
            if event.originator_id in self.refuse:
                raise HandlerBroke(f"refused the event of {event.originator_id}")
        sql_for = statements(self.name, tables)
        with cursor.copy(sql_for.copy) as copy:
            for event in page:
                copy.write_row(
                    (
                        event.position,
                        event.recorded_at,
                        event.event_hash,
                        event.originator_id,
                        event.originator_version,
                        event.topic,
                        self.version,
                    )
                )
        counts = Counter(event.topic for event in page)
        cursor.execute(sql_for.count, (list(counts), list(counts.values())))
