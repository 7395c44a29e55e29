"""The auditors' ``ledger`` commands, run as separate processes against a real database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import psycopg

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.store.database import DatabaseAddress
from tests.integration.support import HR, recorded, seat_with_active_plan
from web.cli.main import main

LEDGER = (
    [str(Path(sys.executable).with_name("ledger"))]
    if "digest" in main.commands
    else [sys.executable, "-m", "web.cli.audit"]
)


def run_ledger(
    address: DatabaseAddress, *args: str, key: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LEDGER_DATABASE_URL": address.url()}
    env.pop("LEDGER_SIGNING_KEY", None)
    if key is not None:
        env["LEDGER_SIGNING_KEY"] = str(key)
    return subprocess.run(
        [*LEDGER, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_keygen_digest_and_verify_digest_until_an_event_is_tampered_with(
    fresh_database: DatabaseAddress, settings: Settings, tmp_path: Path
) -> None:
    app = LedgerApp(fresh_database, settings)
    try:
        seat = seat_with_active_plan(app)
        measured = recorded(app, seat, 87).position
    finally:
        app.close()
    key, digest = tmp_path / "ledger.key", tmp_path / "digest.json"

    made_key = run_ledger(fresh_database, "keygen", "--out", str(key))
    assert made_key.returncode == 0, made_key.stderr
    assert key.exists()
    assert Path(f"{key}.pub").exists()
    made = run_ledger(fresh_database, "digest", "--out", str(digest), key=key)
    assert made.returncode == 0, made.stderr
    written = json.loads(digest.read_text())
    assert written["position"] == measured
    assert written["signature"]

    ok = run_ledger(fresh_database, "verify-digest", str(digest), "--public-key", f"{key}.pub")
    assert ok.returncode == 0, ok.stderr
    assert f"ok: the ledger matches the digest at position {measured}" in ok.stdout

    with psycopg.connect(fresh_database.conninfo(), autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute(
            "UPDATE ledger_events SET state = convert_to(replace(convert_from(state, 'UTF8'),"
            " '\"87\"', '\"97\"'), 'UTF8') WHERE notification_id = %s",
            (measured,),
        )
    tampered = run_ledger(fresh_database, "verify-digest", str(digest))
    assert tampered.returncode == 1
    assert f"TAMPERED at position {measured}" in tampered.stderr


def test_digest_prints_an_unsigned_digest_without_a_key(
    fresh_database: DatabaseAddress,
) -> None:
    result = run_ledger(fresh_database, "digest")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "position": 0,
        "chain_hash": "00" * 32,
        "recorded_at": None,
    }


def test_a_digest_signed_by_another_key_is_rejected(
    fresh_database: DatabaseAddress, tmp_path: Path
) -> None:
    for name in ("ours.key", "theirs.key"):
        assert run_ledger(fresh_database, "keygen", "--out", str(tmp_path / name)).returncode == 0
    digest = tmp_path / "digest.json"
    signed = run_ledger(fresh_database, "digest", "--out", str(digest), key=tmp_path / "theirs.key")
    assert signed.returncode == 0, signed.stderr

    result = run_ledger(
        fresh_database, "verify-digest", str(digest), "--public-key", str(tmp_path / "ours.key")
    )

    assert result.returncode == 1
    assert "DIGEST REJECTED: the digest is signed by another key" in result.stderr


def test_export_evidence_writes_a_bundle_that_checks_out(
    database: DatabaseAddress, settings: Settings, tmp_path: Path
) -> None:
    app = LedgerApp(database, settings)
    try:
        seat = seat_with_active_plan(app)
        recorded(app, seat, 87)
        app.finalize_review(HR, seat.employee_id, seat.q1)
    finally:
        app.close()
    out = tmp_path / "evidence.zip"

    result = run_ledger(
        database,
        "export",
        "evidence",
        "--employee",
        seat.employee_id,
        "--period",
        seat.q1,
        "--out",
        str(out),
    )

    assert result.returncode == 0, result.stderr
    assert f"evidence of {seat.employee_id} for {seat.q1}" in result.stdout
    script = tmp_path / "verify_bundle.py"
    with zipfile.ZipFile(out) as archive:
        script.write_bytes(archive.read("verify_bundle.py"))
    checked = subprocess.run(
        [sys.executable, "-I", "-S", str(script), str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


def test_export_evidence_of_an_unknown_employee_fails_without_writing(
    database: DatabaseAddress, tmp_path: Path
) -> None:
    out = tmp_path / "evidence.zip"
    result = run_ledger(
        database, "export", "evidence", "--employee", "E0", "--period", "FY1-Q1", "--out", str(out)
    )
    assert result.returncode == 1
    assert "error: plan of employee E0 for cycle FY1 not found" in result.stderr
    assert not out.exists()
