"""The data keys table: each employee's AES-256-GCM key, wrapped by the master key."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import IntegrityError
from eventsourcing.postgres import PostgresDatastore
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from ledger.store.key_schema import data_keys_table, master_key_table
from ledger.store.master_key import KEY_BYTES, MasterKey, MasterKeyError


@dataclass(frozen=True)
class StoredKey:
    """An employee's data key as the table holds it: wrapped, or destroyed (None)."""

    employee_id: str
    wrapped: bytes | None


@dataclass
class NewKeys:
    """Data keys made while a save's events were sealed, stored by the same statement that
    appends the events (see ``schema``), so a new employee's key costs no round trip of its
    own and exists exactly when the events sealed with it do."""

    master_key_id: str
    checked_at: int | None
    """The change feed's position before the save: every erasure up to it is known."""
    employee_ids: list[str] = field(default_factory=list)
    wrapped: list[bytes] = field(default_factory=list)
    ciphers: dict[str, AESGCM] = field(default_factory=dict)

    def add(self, employee_id: str, wrapped: bytes, cipher: AESGCM) -> None:
        self.employee_ids.append(employee_id)
        self.wrapped.append(wrapped)
        self.ciphers[employee_id] = cipher


class DataKeyTaken(IntegrityError):
    """Another process stored a data key for an employee this save made one for."""

    def __init__(self, message: str, employee_ids: list[str]) -> None:
        super().__init__(message)
        self.employee_ids = employee_ids


class DataKeys:
    """SQL over the data keys, the master key's id, and the events' subjects."""

    def __init__(self, datastore: PostgresDatastore, events_table: str) -> None:
        self.datastore = datastore
        names = {
            "schema": Identifier(datastore.schema),
            "events": Identifier(events_table),
            "keys": Identifier(data_keys_table(events_table)),
            "master": Identifier(master_key_table(events_table)),
        }
        statements = {
            "get": "SELECT employee_id, wrapped FROM {schema}.{keys} WHERE employee_id = %s",
            "add": "INSERT INTO {schema}.{keys} (employee_id, wrapped, master_key_id)"
            " VALUES (%s, %s, %s) ON CONFLICT (employee_id) DO NOTHING",
            "master": "SELECT key_id FROM {schema}.{master}",
            "claim_master": "INSERT INTO {schema}.{master} (key_id) VALUES (%s)"
            " ON CONFLICT DO NOTHING",
            "any_key": "SELECT 1 FROM {schema}.{keys} LIMIT 1",
            "first_state": "SELECT state FROM {schema}.{events}"
            " WHERE originator_id = %s ORDER BY originator_version LIMIT 1",
            "live": "SELECT employee_id, wrapped FROM {schema}.{keys}"
            " WHERE wrapped IS NOT NULL ORDER BY employee_id FOR UPDATE",
            "rewrap": "UPDATE {schema}.{keys} SET wrapped = %s, master_key_id = %s"
            " WHERE employee_id = %s",
            "set_master": "UPDATE {schema}.{master} SET key_id = %s, since = clock_timestamp()",
            "lock_master": "SELECT key_id FROM {schema}.{master} FOR UPDATE",
        }
        self._statements = {
            name: SQL(text).format(**names).as_string(None) for name, text in statements.items()
        }

    def stored(self, employee_id: str) -> StoredKey | None:
        with self.datastore.transaction(commit=False) as curs:
            row = curs.execute(self._statements["get"], (employee_id,)).fetchone()
        if row is None:
            return None
        wrapped = row["wrapped"]
        return StoredKey(employee_id, bytes(wrapped) if wrapped is not None else None)

    def create(self, employee_id: str, master: MasterKey) -> StoredKey:
        """The employee's key, stored now on its own: a new one unless another process made
        one first (a save's events store theirs with them, see ``NewKeys``)."""
        wrapped = master.wrap(os.urandom(KEY_BYTES), employee_id)
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(self._statements["add"], (employee_id, wrapped, master.key_id))
        stored = self.stored(employee_id)
        assert stored is not None
        return stored

    def master_key_id(self) -> str | None:
        """The id of the master key the data keys are wrapped with, if one was claimed."""
        with self.datastore.transaction(commit=False) as curs:
            row = curs.execute(self._statements["master"]).fetchone()
        return None if row is None else str(row["key_id"])

    def check_master(self, master: MasterKey | None) -> None:
        """MasterKeyError unless ``master`` is the key this ledger's data keys are wrapped with
        (a ledger without data keys takes the first key it is given)."""
        with self.datastore.transaction(commit=master is not None) as curs:
            row = curs.execute(self._statements["master"]).fetchone()
            if master is None and row is None and not self._any_key(curs):
                return
            if master is None:
                raise MasterKeyError(
                    "this ledger seals personal data: LEDGER_MASTER_KEY must name its master"
                    " key file"
                )
            if row is None:
                curs.execute(self._statements["claim_master"], (master.key_id,))
                row = curs.execute(self._statements["master"]).fetchone()
            assert row is not None
            if row["key_id"] != master.key_id:
                raise MasterKeyError(
                    "the master key given is not the one this ledger's data keys are wrapped"
                    " with; nothing was read or written"
                )

    def _any_key(self, curs: Cursor[DictRow]) -> bool:
        return curs.execute(self._statements["any_key"]).fetchone() is not None

    def rewrap(self, old: MasterKey, new: MasterKey) -> int:
        """Every live data key wrapped by ``new`` instead of ``old``, in one transaction; how
        many. Nothing else changes: no event, no ciphertext."""
        with self.datastore.transaction(commit=True) as curs:
            row = curs.execute(self._statements["lock_master"]).fetchone()
            if row is None or row["key_id"] != old.key_id:
                raise MasterKeyError("the current master key is not this ledger's")
            rows = curs.execute(self._statements["live"]).fetchall()
            for stored in rows:
                data_key = old.unwrap(bytes(stored["wrapped"]), stored["employee_id"])
                wrapped = new.wrap(data_key, stored["employee_id"])
                curs.execute(
                    self._statements["rewrap"], (wrapped, new.key_id, stored["employee_id"])
                )
            curs.execute(self._statements["set_master"], (new.key_id,))
        return len(rows)

    def subject_of(self, originator_id: UUID) -> str | None:
        """The employee an aggregate is about, from its first event (ids are in clear)."""
        with self.datastore.transaction(commit=False) as curs:
            row = curs.execute(self._statements["first_state"], (originator_id,)).fetchone()
        if row is None:
            return None
        employee_id = json.loads(bytes(row["state"])).get("employee_id")
        return employee_id if isinstance(employee_id, str) else None
