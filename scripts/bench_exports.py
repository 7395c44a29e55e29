"""The audit trail exported to CSV, with and without its inclusion proofs, in rows per
second, on one ledger of generated events."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import IO

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.evidence import generate_key_file
from ledger.store.database import DatabaseAddress
from ledger.store.provision import init_schema
from ledger.store.scratch import create_database, drop_database
from projections import init_projections, rebuild_view
from projections.catalog import all_views
from projections.queries import AuditFilter, stream_audit_trail
from projections.views import AuditTrailView
from scripts.bench_data import generate_ledger
from scripts.bench_table import Row
from web.exports import AUDIT_COLUMNS, Format, export_header, write_export, write_proven

Export = Callable[[LedgerApp, Settings, IO[bytes]], None]


def plain(app: LedgerApp, settings: Settings, out: IO[bytes]) -> None:
    header = export_header(app, "audit")
    rows = stream_audit_trail(app.records.datastore.pool, header.position, AuditFilter())
    write_export(Format.CSV, AUDIT_COLUMNS, rows, header, out)


def proven(app: LedgerApp, settings: Settings, out: IO[bytes]) -> None:
    header = export_header(app, "audit")
    rows = stream_audit_trail(app.records.datastore.pool, header.position, AuditFilter())
    write_proven(app, settings, Format.CSV, AUDIT_COLUMNS, rows, header, out)


def counted(app: LedgerApp) -> int:
    position = app.head_position()
    return sum(1 for _ in stream_audit_trail(app.records.datastore.pool, position, AuditFilter()))


def rate(app: LedgerApp, settings: Settings, export: Export, rows: int, folder: Path) -> float:
    """The best of three runs, in rows per second."""
    best = float("inf")
    for _ in range(3):
        with (folder / "export.out").open("wb") as out:
            started = time.perf_counter()
            export(app, settings, out)
            best = min(best, time.perf_counter() - started)
    return rows / best


def export_rows(server: DatabaseAddress, settings: Settings, quick: bool) -> list[Row]:
    events = 20_000 if quick else 100_000
    address = create_database(server, "ledger_bench_exports")
    try:
        init_schema(address, settings)
        with tempfile.TemporaryDirectory() as folder:
            key = Path(folder) / "ledger.key"
            generate_key_file(key)
            signing = replace(settings, signing_key=key)
            app = LedgerApp(address, signing)
            try:
                generate_ledger(app, events)
                init_projections(app.records.datastore)
                view = next(v for v in all_views(app) if v.name == AuditTrailView.name)
                rebuild_view(app, view)
                rows = counted(app)
                without = rate(app, signing, plain, rows, Path(folder))
                with_proofs = rate(app, signing, proven, rows, Path(folder))
            finally:
                app.close()
    finally:
        drop_database(server, address)
    return [
        Row(
            f"audit export to CSV with inclusion proofs, signed ({rows:,} rows)",
            with_proofs,
            "rows/s",
            f"without proofs: {without:,.0f} rows/s",
            f"{with_proofs / without:.0%}",
            "-",
        )
    ]
