"""``ledger projections rebuild|status`` and ``ledger export target-revisions|audit``."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.store.database import DatabaseAddress
from ledger.values import TargetSpec
from tests.integration.support import HR, measure, run_ledger, seat_with_active_plan
from tests.workbooks import workbook_rows

REASON = "two key accounts moved to a new region"


def adjusted_ledger(address: DatabaseAddress, settings: Settings) -> int:
    app = LedgerApp(address, settings)
    try:
        seat = seat_with_active_plan(app)
        measure(app, seat, "87", date(2026, 6, 30))
        return app.adjust_target(
            HR,
            seat.employee_id,
            seat.cycle_id,
            "retention",
            TargetSpec(Decimal(85)),
            period=seat.q1,
            reason=REASON,
            approved_by="hr:priya",
        ).position
    finally:
        app.close()


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as file:
        return list(csv.DictReader(file))


def test_rebuild_then_export_the_register_in_every_format_reproducibly(
    fresh_database: DatabaseAddress, settings: Settings, tmp_path: Path
) -> None:
    position = adjusted_ledger(fresh_database, settings)
    rebuilt = run_ledger(fresh_database, "projections", "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "target_revisions" in rebuilt.stderr
    status = run_ledger(fresh_database, "projections", "status")
    assert status.returncode == 0, status.stderr
    assert f"target_revisions {position} {position} 0" in " ".join(status.stdout.split())
    files = {}
    for name, fmt in (("a.csv", "csv"), ("b.csv", "csv"), ("c.xlsx", "xlsx")):
        out = tmp_path / name
        result = run_ledger(
            fresh_database,
            "export",
            "target-revisions",
            "--format",
            fmt,
            "--position",
            str(position),
            "--out",
            str(out),
        )
        assert result.returncode == 0, result.stderr
        files[name] = out
    assert files["a.csv"].read_bytes() == files["b.csv"].read_bytes()
    rows = csv_rows(files["a.csv"])
    assert [(row["kind"], row["target"], row["reason"]) for row in rows] == [
        ("defined", "90", ""),
        ("adjusted", "85", REASON),
    ]
    table = workbook_rows(files["c.xlsx"])
    header, body = table[0], table[1:]
    assert [dict(zip(header, row, strict=True))["kind"] for row in body] == ["defined", "adjusted"]


def test_an_audit_export_fails_loudly_while_the_read_model_is_behind(
    fresh_database: DatabaseAddress, settings: Settings, tmp_path: Path
) -> None:
    adjusted_ledger(fresh_database, settings)
    run_ledger(fresh_database, "projections", "rebuild", "audit_trail")
    position = adjusted_ledger(fresh_database, settings)
    behind = run_ledger(
        fresh_database,
        "export",
        "audit",
        "--position",
        str(position),
        "--wait",
        "0.5",
        "--out",
        str(tmp_path / "audit.csv"),
    )
    assert behind.returncode == 1
    assert "has not reached position" in behind.stderr


def test_an_export_with_proofs_from_the_command_line_verifies_and_is_the_same_again(
    fresh_database: DatabaseAddress, settings: Settings, tmp_path: Path
) -> None:
    position = adjusted_ledger(fresh_database, settings)
    assert run_ledger(fresh_database, "projections", "rebuild").returncode == 0
    key = tmp_path / "ledger.key"
    assert run_ledger(fresh_database, "keygen", "--out", str(key)).returncode == 0
    signing = {"LEDGER_SIGNING_KEY": str(key)}
    outs = [tmp_path / "a.zip", tmp_path / "b.zip"]
    for out in outs:
        args = ("export", "audit", "--proofs", "--position", str(position), "--out", str(out))
        written = run_ledger(fresh_database, *args, env=signing)
        assert written.returncode == 0, written.stderr
    assert outs[0].read_bytes() == outs[1].read_bytes()
    checked = run_ledger(
        fresh_database, "verify-export", str(outs[0]), "--public-key", f"{key}.pub"
    )
    assert checked.returncode == 0, checked.stderr
    assert "ok: every row is proven in the signed tree head" in checked.stdout
