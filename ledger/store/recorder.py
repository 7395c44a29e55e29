"""The library's PostgreSQL application recorder, extended with the ledger's chain.

Each write is one call of the ``{events}_append`` database function (see ``schema``): under
the library's exclusive table lock and in the same transaction it writes the events, their
recorded time (the clock after the lock), event hashes, chain hashes and the idempotency key of
the request that caused them. One statement means one round trip per save, made on the
process's write connection (see ``writer``) unless another thread holds it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg.sql import SQL, Identifier

from ledger.store.data_keys import DataKeyTaken, NewKeys
from ledger.store.key_schema import data_keys_table, key_statements
from ledger.store.schema import append_function_name, ledger_statements
from ledger.store.writer import WriteConnection


@dataclass(frozen=True)
class IdempotencyClaim:
    """A request's idempotency key, a fingerprint of its body, and what it answered."""

    key: str
    request_hash: str
    result: dict[str, Any]


class IdempotencyKeyTaken(IntegrityError):
    """Another transaction recorded the same idempotency key first."""


class LedgerRecorder(PostgresApplicationRecorder):
    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.chain_table_name = f"{events_table_name}_chain"
        self.idempotency_table_name = f"{events_table_name}_idempotency"
        self.data_keys_table_name = data_keys_table(events_table_name)
        self.writer = WriteConnection(datastore)
        self.lock_timeout = f"{datastore.lock_timeout}s"
        self.sql_create_statements.extend(
            ledger_statements(
                self.datastore.schema,
                events_table_name,
            )
        )
        self.sql_create_statements.extend(key_statements(self.datastore.schema, events_table_name))
        # Composed once into a plain string, so psycopg's query cache can keep it prepared.
        self.append_statement = (
            SQL(
                "SELECT * FROM {0}.{1}(%b::uuid[], %b::bigint[], %b::text[], %b::bytea[],"
                " %s, %s, %s, %s, %s::text[], %b::bytea[], %s) AS position"
            )
            .format(
                Identifier(self.datastore.schema),
                Identifier(append_function_name(events_table_name)),
            )
            .as_string(None)
        )

    @retry((InterfaceError, OperationalError), max_attempts=3, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if not stored_events:
            return []
        claim: IdempotencyClaim | None = kwargs.get("idempotency")
        new_keys: NewKeys | None = kwargs.get("new_keys")
        columns = (
            [e.originator_id for e in stored_events],
            [e.originator_version for e in stored_events],
            [e.topic for e in stored_events],
            [e.state for e in stored_events],
        )
        claimed: tuple[str | None, ...] = (None, None, None)
        if claim is not None:
            claimed = (claim.key, claim.request_hash, json.dumps(claim.result))
        keys: tuple[Any, ...] = (None, None, None)
        if new_keys is not None and new_keys.employee_ids:
            keys = (new_keys.employee_ids, new_keys.wrapped, new_keys.master_key_id)
        params = (*columns, *claimed, self.lock_timeout, *keys)
        with self.writer.connection() as conn, conn.cursor() as curs:
            try:
                curs.execute(self.append_statement, params, prepare=True)
            except psycopg.errors.UniqueViolation as exc:
                raise self._translated(exc, new_keys) from exc
            return [row["position"] for row in curs.fetchall()]

    def _translated(
        self, error: psycopg.errors.UniqueViolation, new_keys: NewKeys | None
    ) -> IntegrityError:
        if error.diag.table_name == self.idempotency_table_name:
            return IdempotencyKeyTaken(str(error))
        if error.diag.table_name == self.data_keys_table_name:
            made = new_keys.employee_ids if new_keys is not None else []
            return DataKeyTaken("another writer made a data key for the same employee", made)
        return IntegrityError(str(error))
