"""The events recorded after known versions of several aggregates, in one read."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.utils import retry
from psycopg.sql import SQL, Identifier


class CatchUp:
    """One statement, composed once, walking the events table's primary key per aggregate."""

    def __init__(self, datastore: PostgresDatastore, events_table: str) -> None:
        self.datastore = datastore
        self._after = (
            SQL(
                "SELECT e.originator_id, e.originator_version, e.topic, e.state"
                " FROM unnest(%b::uuid[], %b::bigint[]) AS known(id, version)"
                " JOIN {schema}.{events} e"
                " ON e.originator_id = known.id AND e.originator_version > known.version"
                " ORDER BY e.originator_id, e.originator_version"
            )
            .format(schema=Identifier(datastore.schema), events=Identifier(events_table))
            .as_string(None)
        )

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def events_after(self, versions: Mapping[UUID, int]) -> dict[UUID, list[StoredEvent]]:
        """Per aggregate, its events after the version given for it, in version order."""
        if not versions:
            return {}
        params = (list(versions), list(versions.values()))
        found: dict[UUID, list[StoredEvent]] = {}
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._after, params, prepare=True)
            for row in curs.fetchall():
                found.setdefault(row["originator_id"], []).append(
                    StoredEvent(
                        originator_id=row["originator_id"],
                        originator_version=row["originator_version"],
                        topic=row["topic"],
                        state=bytes(row["state"]),
                    )
                )
        return found
