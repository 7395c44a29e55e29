"""A write that cannot take the ledger's lock in time is refused with 503 and Retry-After,
writes nothing, and goes through when tried again."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import psycopg
import pytest

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.store.database import EVENTS_TABLE, DatabaseAddress
from tests.e2e.client import ApiClient, new_id
from tests.e2e.serving import served

PERSON = {"name": "Asha Rao", "department": "Sales", "role": "Account Manager"}


@pytest.fixture
def impatient(
    database: DatabaseAddress, e2e_settings: Settings, tokens: dict[str, str]
) -> Iterator[ApiClient]:
    """A server of its own whose writes wait one second for the table lock."""
    settings = replace(e2e_settings, lock_timeout_seconds=1)
    ledger = LedgerApp(database, settings)
    with served(ledger, settings) as url:
        client = ApiClient(url, tokens["hr"])
        yield client
        client.close()
    ledger.close()


def test_a_write_behind_a_held_lock_is_refused_with_503_and_writes_nothing(
    impatient: ApiClient, database: DatabaseAddress
) -> None:
    employee_id = new_id("E")
    head = impatient.head_position()
    with psycopg.connect(database.conninfo()) as holder:
        holder.execute(f"LOCK TABLE {EVENTS_TABLE} IN EXCLUSIVE MODE")
        refused = impatient.put(f"/employees/{employee_id}", PERSON)
        holder.rollback()
    assert refused.status_code == 503
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert refused.headers["Retry-After"] == "1"
    assert refused.json()["type"].endswith("/busy")
    assert impatient.head_position() == head
    assert impatient.get(f"/employees/{employee_id}").status_code == 404
    assert impatient.put(f"/employees/{employee_id}", PERSON).status_code == 201
