"""Bench rows of spreadsheet imports: 100,000 measurement rows from one XLSX file, against
the ledger's bulk save() of the same events and against reading the file alone."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.domain import KpiDefinition, KraDefinition, MeasurementLog, Profile
from ledger.imports import DEFAULT_LIMITS, ImportFile, ImportOptions, Status, run_import
from ledger.imports.importer import read_tables, typed_records
from ledger.store.database import DatabaseAddress
from ledger.store.provision import init_schema
from ledger.store.scratch import create_database, drop_database
from ledger.values import Aggregation, Direction, TargetSpec
from scripts.bench_data import CYCLE_ID, HR, START
from scripts.bench_table import Row

EMPLOYEES = 100
LIMITS = DEFAULT_LIMITS
KPI = KpiDefinition(
    "Calls", "count", Direction.INCREASE, Aggregation.SUM, Decimal(100), TargetSpec(Decimal(90))
)
COLUMNS = ["employee_id", "cycle_id", "kpi_id", "value", "effective_date", "source", "note"]


def import_rows(server: DatabaseAddress, settings: Settings, quick: bool) -> list[Row]:
    rows = 20_000 if quick else 100_000
    address = create_database(server, "ledger_bench_imports")
    try:
        init_schema(address, settings)
        app = LedgerApp(address, settings)
        try:
            return _measured(app, rows)
        finally:
            app.close()
    finally:
        drop_database(server, address)


def _measured(app: LedgerApp, count: int) -> list[Row]:
    app.open_cycle(HR, CYCLE_ID, name="FY 2026-27", start_date=START)
    imported, saved = _seats(app, "I"), _seats(app, "S")
    data = workbook(imported, count)
    read_rate = _rate(
        count, lambda: typed_records(read_tables(_file(data), DEFAULT_LIMITS), DEFAULT_LIMITS)
    )
    openpyxl_rate = _rate(count, lambda: _openpyxl_rows(data))
    save_rate = _save_rate(app, saved, count)
    started = time.perf_counter()
    report = run_import(app, _file(data), ImportOptions(HR.actor))
    import_rate = count / (time.perf_counter() - started)
    assert report.status is Status.COMPLETE, report.errors[:3]
    return [
        Row(f"read {count:,} measurement rows of an XLSX file (python-calamine, typed)",
            read_rate, "rows/s", "-", "ceiling", "-"),
        Row("read the same file with openpyxl (read-only), untyped",
            openpyxl_rate, "rows/s", "calamine", f"{openpyxl_rate / read_rate:.0%}", "-"),
        Row(f"save() of the same {count:,} events, {DEFAULT_LIMITS.chunk_rows:,} per save",
            save_rate, "events/s", "-", "ceiling", "-"),
        Row(f"import of {count:,} measurement rows from XLSX (read, check, write)",
            import_rate, "rows/s", "bulk save()", f"{import_rate / save_rate:.0%}", ">= 50%"),
        Row("import against reading the file alone",
            import_rate, "rows/s", "read", f"{import_rate / read_rate:.0%}", "-"),
    ]  # fmt: skip


def _file(data: bytes) -> ImportFile:
    return ImportFile(data, "bench.xlsx")


def _rate(count: int, work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return count / (time.perf_counter() - started)


def _seats(app: LedgerApp, prefix: str) -> list[str]:
    """Employees with an active one-KPI plan each."""
    employee_ids = [f"{prefix}{n:04d}" for n in range(EMPLOYEES)]
    for employee_id in employee_ids:
        app.register_employee(HR, employee_id, Profile("Bench Person", "Sales", "Agent"))
        app.draft_plan(HR, employee_id, CYCLE_ID)
        app.define_kra(HR, employee_id, CYCLE_ID, "calls", KraDefinition("Calls", Decimal(100)))
        app.define_kpi(HR, employee_id, CYCLE_ID, "calls", "calls", KPI)
        app.activate_plan(HR, employee_id, CYCLE_ID)
    return employee_ids


def _measurement(n: int, employee_ids: Sequence[str]) -> tuple[str, float, date]:
    return employee_ids[n % len(employee_ids)], 10 + (n % 997) / 10, START + timedelta(n % 360)


def workbook(employee_ids: Sequence[str], count: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("measurements")
    sheet.append(COLUMNS)
    for n in range(count):
        employee_id, value, day = _measurement(n, employee_ids)
        sheet.append([employee_id, CYCLE_ID, "calls", value, day, "bench", None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _openpyxl_rows(data: bytes) -> int:
    book = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return sum(1 for _ in book["measurements"].iter_rows(values_only=True))
    finally:
        book.close()


def _save_rate(app: LedgerApp, employee_ids: Sequence[str], count: int) -> float:
    """The same events as the import writes, made by the domain, then saved with save():
    whole logs per call, about as many events per call as an import's chunk."""
    cycle = app.cycle(CYCLE_ID)
    plans = {employee_id: app.plan(employee_id, CYCLE_ID) for employee_id in employee_ids}
    logs = {e: MeasurementLog.start(e, CYCLE_ID, actor=HR.actor) for e in employee_ids}
    for n in range(count):
        employee_id, value, day = _measurement(n, employee_ids)
        logs[employee_id].record(
            plans[employee_id], cycle, kpi_id="calls", value=Decimal(repr(value)),
            effective_date=day, source="bench", actor=HR.actor,
        )  # fmt: skip
    events = sum(len(log.pending_events) for log in logs.values())
    groups: list[list[MeasurementLog]] = [[]]
    for log in logs.values():
        if sum(len(other.pending_events) for other in groups[-1]) >= LIMITS.chunk_rows:
            groups.append([])
        groups[-1].append(log)
    started = time.perf_counter()
    for group in groups:
        app.save(*group)
    return events / (time.perf_counter() - started)
