"""The ``ledger`` command against a real database, run as a separate process."""

from __future__ import annotations

import psycopg

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.domain import Profile
from ledger.store.database import DatabaseAddress
from ledger.store.scratch import create_database, drop_database
from tests.integration.support import HR, new_id, run_ledger


def test_db_init_creates_the_schema_once_and_again_without_harm(
    pg_server: DatabaseAddress,
) -> None:
    address = create_database(pg_server, "ledger_cli")
    try:
        for _ in range(2):
            result = run_ledger(address, "db", "init")
            assert result.returncode == 0, result.stderr
        with psycopg.connect(address.conninfo()) as conn:
            tables = {row[0] for row in conn.execute("SELECT tablename FROM pg_tables")}
        assert {"ledger_events", "ledger_events_chain", "ledger_events_idempotency"} <= tables
    finally:
        drop_database(pg_server, address)


def test_verify_reports_ok_then_the_position_of_a_tampered_event(
    fresh_database: DatabaseAddress, settings: Settings
) -> None:
    app = LedgerApp(fresh_database, settings)
    try:
        positions = [
            app.register_employee(HR, new_id("E"), Profile("Ana", "Sales", "Exec")).position
            for _ in range(5)
        ]
    finally:
        app.close()
    ok = run_ledger(fresh_database, "verify")
    assert ok.returncode == 0, ok.stderr
    assert "ok: 5 events" in ok.stdout
    with psycopg.connect(fresh_database.conninfo(), autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute(
            "UPDATE ledger_events SET state = convert_to(replace(convert_from(state, 'UTF8'),"
            " 'Sales', 'Board'), 'UTF8') WHERE notification_id = %s",
            (positions[3],),
        )
    tampered = run_ledger(fresh_database, "verify")
    assert tampered.returncode == 1
    assert f"TAMPERED at position {positions[3]}" in tampered.stderr


def test_head_prints_the_position_and_chain_hash(
    fresh_database: DatabaseAddress, settings: Settings
) -> None:
    app = LedgerApp(fresh_database, settings)
    try:
        app.register_employee(HR, new_id("E"), Profile("Ana", "Sales", "Exec"))
        head = app.head()
    finally:
        app.close()
    result = run_ledger(fresh_database, "head")
    assert result.returncode == 0, result.stderr
    assert f"position {head.position}" in result.stdout
    assert f"chain_hash {head.chain_hash.hex()}" in result.stdout
