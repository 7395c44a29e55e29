"""The recorder chains every event in its insert transaction; verify finds tampering."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from uuid import uuid4

import psycopg
import pytest
from eventsourcing.persistence import (
    DataError,
    InfrastructureFactory,
    IntegrityError,
    StoredEvent,
)
from eventsourcing.utils import Environment

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.domain.employee import Profile
from ledger.store.chain import GENESIS, event_hash, link_hash
from ledger.store.database import APPLICATION_NAME, EVENTS_TABLE, DatabaseAddress, library_env
from ledger.store.recorder import IdempotencyClaim, IdempotencyKeyTaken, LedgerRecorder
from ledger.store.records import LedgerRecords
from tests.integration.support import HR


@pytest.fixture
def recorder(fresh_database: DatabaseAddress, settings: Settings) -> Iterator[LedgerRecorder]:
    env = Environment(APPLICATION_NAME, library_env(fresh_database, settings, create_table=False))
    factory = InfrastructureFactory.construct(env)
    recorder = factory.application_recorder()
    assert isinstance(recorder, LedgerRecorder)
    yield recorder
    recorder.writer.close()
    factory.close()


def stored(count: int) -> list[StoredEvent]:
    originator = uuid4()
    return [
        StoredEvent(originator, version, "tests:Happened", f'{{"n":{version}}}'.encode())
        for version in range(1, count + 1)
    ]


def test_each_insert_writes_event_hash_chain_hash_and_recorded_time(
    recorder: LedgerRecorder,
) -> None:
    first = recorder.insert_events(stored(2))
    second = recorder.insert_events(stored(1))
    assert first is not None
    assert second is not None
    records = LedgerRecords(recorder.datastore, EVENTS_TABLE)
    rows = records.rows(0, 10**9, 100)
    assert [row.position for row in rows] == [*first, *second]
    previous = GENESIS
    for row in rows:
        assert row.originator_id is not None
        assert row.state is not None
        assert row.version is not None
        assert row.topic is not None
        assert row.recorded_at is not None
        digest = event_hash(row.originator_id, row.version, row.topic, row.state)
        assert row.event_hash == digest
        previous = link_hash(previous, digest, row.position, row.recorded_at)
        assert row.chain_hash == previous
    times = [row.recorded_at for row in rows]
    assert times == sorted(times)  # type: ignore[type-var]
    assert records.head().chain_hash == previous


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_events SET topic = 'x'",
        "DELETE FROM ledger_events",
        "TRUNCATE ledger_events",
        "UPDATE ledger_events_chain SET event_hash = '\\x00'",
        "DELETE FROM ledger_events_chain",
        "TRUNCATE ledger_events_chain",
    ],
)
def test_stored_rows_cannot_be_changed_or_deleted(
    recorder: LedgerRecorder, fresh_database: DatabaseAddress, statement: str
) -> None:
    recorder.insert_events(stored(1))
    with (
        psycopg.connect(fresh_database.conninfo(), autocommit=True) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"),
    ):
        conn.execute(statement)


def test_verify_names_the_position_of_a_row_changed_behind_the_ledgers_back(
    recorder: LedgerRecorder, fresh_database: DatabaseAddress
) -> None:
    positions = [p for _ in range(5) for p in recorder.insert_events(stored(2)) or []]
    records = LedgerRecords(recorder.datastore, EVENTS_TABLE)
    assert records.verify().ok
    target = positions[6]
    with psycopg.connect(fresh_database.conninfo(), autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute(
            "UPDATE ledger_events SET state = %s WHERE notification_id = %s",
            (b'{"n":999}', target),
        )
    result = records.verify()
    assert not result.ok
    assert result.first_bad_position == target
    assert result.checked == 6


def test_verify_names_a_deleted_event(
    recorder: LedgerRecorder, fresh_database: DatabaseAddress
) -> None:
    positions = list(recorder.insert_events(stored(4)) or [])
    with psycopg.connect(fresh_database.conninfo(), autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute("DELETE FROM ledger_events WHERE notification_id = %s", (positions[2],))
    result = LedgerRecords(recorder.datastore, EVENTS_TABLE).verify()
    assert result.first_bad_position == positions[2]
    assert result.problem == "chain row without its event"


def test_a_conflicting_version_writes_nothing(recorder: LedgerRecorder) -> None:
    events = stored(2)
    recorder.insert_events(events[:1])
    records = LedgerRecords(recorder.datastore, EVENTS_TABLE)
    head = records.head()
    with pytest.raises(IntegrityError):
        recorder.insert_events(events)
    assert records.head() == head
    assert records.verify().ok


def test_an_idempotency_key_is_recorded_once_with_the_events(recorder: LedgerRecorder) -> None:
    claim = IdempotencyClaim("key-1", "sha256:abc", {"measurement_id": "m1"})
    positions = recorder.insert_events(stored(1), idempotency=claim)
    records = LedgerRecords(recorder.datastore, EVENTS_TABLE)
    saved = records.claim("key-1")
    assert saved is not None
    assert positions is not None
    assert saved.position == positions[-1]
    assert saved.result == {"measurement_id": "m1"}
    head = records.head()
    with pytest.raises(IdempotencyKeyTaken):
        recorder.insert_events(stored(1), idempotency=claim)
    assert records.head() == head


def test_writes_go_through_one_connection_and_a_broken_one_is_replaced(
    recorder: LedgerRecorder, fresh_database: DatabaseAddress
) -> None:
    def writer_pids() -> list[int]:
        with psycopg.connect(fresh_database.conninfo(), autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND query LIKE %s",
                ("%ledger_events_append%",),
            ).fetchall()
        return [pid for (pid,) in rows]

    for _ in range(5):
        recorder.insert_events(stored(1))
    [first] = writer_pids()
    with psycopg.connect(fresh_database.conninfo(), autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (first,))
    positions = recorder.insert_events(stored(2))
    [second] = writer_pids()
    assert second != first
    assert positions is not None
    assert len(positions) == 2
    records = LedgerRecords(recorder.datastore, EVENTS_TABLE)
    assert records.verify().ok
    assert records.head().position == positions[-1]


def test_threads_of_one_process_write_in_turn_and_the_chain_holds(own_app: LedgerApp) -> None:
    profile = Profile("Thread Person", "Sales", "Sales Executive")

    def register(thread: int) -> list[int]:
        return [
            own_app.register_employee(HR, f"T{thread}x{n}", profile).position for n in range(25)
        ]

    with ThreadPoolExecutor(max_workers=8) as pool:
        positions = [p for written in pool.map(register, range(8)) for p in written]
    assert len(set(positions)) == 200
    assert own_app.verify().ok
    assert own_app.head_position() == max(positions)


def beyond_bigint() -> list[StoredEvent]:
    """An event whose version PostgreSQL's bigint cannot hold."""
    return [StoredEvent(uuid4(), 2**63, "tests:Happened", b'{"n":1}')]


def test_a_value_out_of_range_raises_the_librarys_data_error_through_the_kept_open_connection(
    recorder: LedgerRecorder,
) -> None:
    records = LedgerRecords(recorder.datastore, EVENTS_TABLE)
    head = records.head()
    with pytest.raises(DataError):
        recorder.insert_events(beyond_bigint())
    assert records.head() == head
    assert recorder.insert_events(stored(1))


def test_a_value_out_of_range_raises_the_same_data_error_through_a_pooled_connection(
    recorder: LedgerRecorder,
) -> None:
    records = LedgerRecords(recorder.datastore, EVENTS_TABLE)
    head = records.head()
    with recorder.writer.connection(), pytest.raises(DataError):
        # The kept-open connection is held, so this write takes one from the pool.
        recorder.insert_events(beyond_bigint())
    assert records.head() == head
