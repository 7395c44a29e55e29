"""``ledger erase``: one event and the key's destruction, both or neither; afterwards a dump of
the whole database holds nothing of the person."""

from __future__ import annotations

import signal
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pgserver
import psycopg

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.ids import employee_uuid
from ledger.store.database import DatabaseAddress
from ledger.store.master_key import generate_master_key_file
from projections import init_projections, rebuild_view
from projections.catalog import all_views
from tests.integration.personal_story import told
from tests.integration.support import HR, run_ledger

PG_DUMP = Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_dump"


def key_of(address: DatabaseAddress, employee_id: str) -> bytes | None:
    with psycopg.connect(address.conninfo()) as conn:
        row = conn.execute(
            "SELECT wrapped FROM ledger_events_data_keys WHERE employee_id = %s", (employee_id,)
        ).fetchone()
    assert row is not None
    return None if row[0] is None else bytes(row[0])


def test_a_writer_killed_before_committing_its_erasure_leaves_the_key_and_no_event(
    own_app: LedgerApp, fresh_database: DatabaseAddress
) -> None:
    story = told(own_app)
    employee_id = story.seat.employee_id
    version = own_app.employee(employee_id).version + 1
    state = (
        '{"timestamp":{"_type_":"datetime_iso","_data_":"2026-12-01T00:00:00+00:00"},'
        f'"actor":"hr:priya","employee_id":"{employee_id}","reason":"r","legal_basis":"b"}}'
    )
    head = own_app.head_position()
    writer = psycopg.connect(fresh_database.conninfo())
    writer.execute(
        "SELECT * FROM ledger_events_append(%s::uuid[], %s::bigint[], %s::text[],"
        " %s::bytea[], NULL, NULL, NULL, '5s', NULL, NULL, NULL)",
        ([employee_uuid(employee_id)], [version], ["ledger:Employee.Erased"], [state.encode()]),
    )
    with psycopg.connect(fresh_database.conninfo(), autocommit=True) as killer:
        pid = writer.info.backend_pid
        killer.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))
    writer.close()
    assert own_app.head_position() == head
    assert key_of(fresh_database, employee_id) is not None

    result = run_ledger(
        fresh_database,
        "erase",
        "--employee",
        employee_id,
        "--reason",
        "left",
        "--legal-basis",
        "GDPR Art. 17(1)(a)",
    )
    assert result.returncode == 0, result.stderr
    assert own_app.head_position() > head
    assert key_of(fresh_database, employee_id) is None


def test_after_an_erasure_a_dump_of_the_database_holds_nothing_of_the_person(
    own_app: LedgerApp, fresh_database: DatabaseAddress
) -> None:
    init_projections(fresh_database.conninfo())
    story = told(own_app)
    for view in all_views(own_app):
        rebuild_view(own_app, view)
    own_app.erase_employee(HR, story.seat.employee_id, reason="left", legal_basis="DPDP s.8(7)")
    for view in all_views(own_app):
        rebuild_view(own_app, view)
    dump = subprocess.run(
        [str(PG_DUMP), "--dbname", fresh_database.url()],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert "ledger_events_data_keys" in dump
    for text in story.texts():
        assert text not in dump


def test_erase_due_lists_and_erases_only_those_past_retention(
    own_app: LedgerApp, fresh_database: DatabaseAddress, settings: Settings
) -> None:
    long_gone, recent = told(own_app), told(own_app)
    own_app.record_leaving(
        HR, long_gone.seat.employee_id, effective_date=date(2019, 3, 31), reason="moved on"
    )
    own_app.record_leaving(
        HR, recent.seat.employee_id, effective_date=date.today(), reason="moved on"
    )
    env = {"LEDGER_RETENTION_DAYS": "365"}
    listed = run_ledger(fresh_database, "erase", "--due", "--dry-run", env=env)
    assert listed.returncode == 0, listed.stderr
    assert long_gone.seat.employee_id in listed.stdout
    assert recent.seat.employee_id not in listed.stdout
    assert key_of(fresh_database, long_gone.seat.employee_id) is not None

    erased = run_ledger(fresh_database, "erase", "--due", "--legal-basis", "GDPR 17", env=env)
    assert erased.returncode == 0, erased.stderr
    assert key_of(fresh_database, long_gone.seat.employee_id) is None
    assert key_of(fresh_database, recent.seat.employee_id) is not None


def test_rotating_the_master_key_rewraps_the_data_keys_and_the_old_key_is_then_refused(
    own_app: LedgerApp, fresh_database: DatabaseAddress, settings: Settings, tmp_path: Path
) -> None:
    story = told(own_app)
    key_file = tmp_path / "master-key"
    assert settings.master_key is not None
    key_file.write_bytes(settings.master_key.read_bytes())
    before = key_of(fresh_database, story.seat.employee_id)
    rotated = run_ledger(fresh_database, "keys", "rotate", env={"LEDGER_MASTER_KEY": str(key_file)})
    assert rotated.returncode == 0, rotated.stderr
    assert key_of(fresh_database, story.seat.employee_id) != before
    reopened = LedgerApp(fresh_database, replace(settings, master_key=key_file))
    try:
        assert reopened.employee(story.seat.employee_id).profile.name == story.name
    finally:
        reopened.close()
    refused = run_ledger(
        fresh_database, "head", env={"LEDGER_MASTER_KEY": str(settings.master_key)}
    )
    assert refused.returncode != 0
    assert "not the one" in refused.stderr


def test_a_rotation_killed_after_its_commit_is_finished_by_the_next_start(
    own_app: LedgerApp, fresh_database: DatabaseAddress, settings: Settings, tmp_path: Path
) -> None:
    story = told(own_app)
    key_file = tmp_path / "master-key"
    assert settings.master_key is not None
    old_key = settings.master_key.read_bytes()
    key_file.write_bytes(old_key)
    env = {"LEDGER_MASTER_KEY": str(key_file)}

    killed = run_ledger(
        fresh_database, "keys", "rotate", env={**env, "LEDGER_TEST_CRASH_AT": "rotation-committed"}
    )
    assert killed.returncode == -signal.SIGKILL
    new_key = (tmp_path / "master-key.next").read_bytes()
    assert key_file.read_bytes() == old_key

    started = run_ledger(fresh_database, "head", env=env)

    assert started.returncode == 0, started.stderr
    assert key_file.read_bytes() == new_key
    assert (tmp_path / "master-key.previous").read_bytes() == old_key
    assert not (tmp_path / "master-key.next").exists()
    reopened = LedgerApp(fresh_database, replace(settings, master_key=key_file))
    try:
        assert reopened.employee(story.seat.employee_id).profile.name == story.name
    finally:
        reopened.close()


def test_a_next_key_left_before_a_rotations_commit_is_left_for_the_next_rotation(
    own_app: LedgerApp, fresh_database: DatabaseAddress, settings: Settings, tmp_path: Path
) -> None:
    told(own_app)
    key_file = tmp_path / "master-key"
    assert settings.master_key is not None
    key_file.write_bytes(settings.master_key.read_bytes())
    generate_master_key_file(tmp_path / "master-key.next")
    env = {"LEDGER_MASTER_KEY": str(key_file)}

    started = run_ledger(fresh_database, "head", env=env)
    assert started.returncode == 0, started.stderr
    assert key_file.read_bytes() == settings.master_key.read_bytes()

    rotated = run_ledger(fresh_database, "keys", "rotate", env=env)
    assert rotated.returncode == 0, rotated.stderr
    assert not (tmp_path / "master-key.next").exists()
