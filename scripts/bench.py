"""Benchmark of the ledger, as ratios against ceilings measured in the same run.

Usage: scripts/bench [--quick]

It prints a markdown table and never fails on a figure: machines here are noisy, so every
figure stands beside a ceiling measured on the same database in the same run.
"""

from __future__ import annotations

import argparse
import platform
import secrets
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from uuid import UUID, uuid4

import psycopg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import JSONTranscoder
from eventsourcing.utils import Environment, EnvType

from ledger.application import LedgerApp
from ledger.commands import Context
from ledger.config import Settings
from ledger.domain import Employee, KpiDefinition, KraDefinition, MeasurementLog, Profile
from ledger.store.database import DatabaseAddress, library_env
from ledger.store.provision import init_schema
from ledger.store.scratch import create_database, drop_database, scratch_server
from ledger.transcodings import register_ledger_transcodings
from ledger.values import Aggregation, Direction, TargetSpec
from scripts.bench_data import generate_ledger
from scripts.bench_http import CLIENTS, http_rows
from scripts.bench_views import LIVE_RATE, live_lag, peak_rebuild_memory_mb, rebuilds

HR = Context(actor="hr:bench")
STATE = b'{"value":{"_type_":"decimal_str","_data_":"87"}}' * 3
CYCLE = "FY2026"
BATCH = 1000


@dataclass(frozen=True)
class Row:
    measure: str
    value: float
    unit: str
    against: str
    ratio: str
    goal: str


def rate(count: int, run: Callable[[], None]) -> float:
    started = time.perf_counter()
    run()
    return count / (time.perf_counter() - started)


def raw_single_inserts(address: DatabaseAddress, count: int) -> float:
    """One row per transaction under an exclusive table lock: the ceiling of a one-event save."""
    with psycopg.connect(address.conninfo(), autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_raw (id bigserial PRIMARY KEY,"
            " originator_id uuid, originator_version bigint, topic text, state bytea)"
        )

        def run() -> None:
            for version in range(count):
                with conn.transaction():
                    conn.execute("LOCK TABLE bench_raw IN EXCLUSIVE MODE")
                    conn.execute(
                        "INSERT INTO bench_raw (originator_id, originator_version, topic, state)"
                        " VALUES (%s, %s, %s, %s)",
                        (uuid4(), version, "bench:Raw", STATE),
                        prepare=True,
                    )

        return rate(count, run)


def raw_copy(address: DatabaseAddress, count: int) -> float:
    """Rows/s of COPY into the same shape of table: the ceiling of a bulk save."""
    rows = [(uuid4(), version, "bench:Raw", STATE) for version in range(count)]
    with psycopg.connect(address.conninfo(), autocommit=True) as conn:

        def run() -> None:
            with conn.transaction(), conn.cursor() as cursor:
                statement = "COPY bench_raw (originator_id, originator_version, topic, state)"
                with cursor.copy(statement + " FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)

        return rate(count, run)


class PlainApp(Application[UUID]):
    """The same events through the library's own recorder: no chain, no recorded_at."""

    name = "Plain"

    def __init__(self, address: DatabaseAddress, settings: Settings) -> None:
        env = library_env(address, settings, create_table=True)
        env["APPLICATION_RECORDER_TOPIC"] = ""
        super().__init__(env=env)

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        return Environment(name, dict(env or {}))

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_ledger_transcodings(transcoder)


def new_employee() -> Employee:
    profile = Profile("Bench Person", "Sales", "Sales Executive")
    return Employee.register(f"B{secrets.token_hex(6)}", profile, actor=HR.actor)


def active_plan_seat(ledger: LedgerApp) -> str:
    employee_id = f"B{secrets.token_hex(6)}"
    ledger.register_employee(HR, employee_id, Profile("Bench Person", "Sales", "Sales Executive"))
    ledger.draft_plan(HR, employee_id, CYCLE)
    ledger.define_kra(HR, employee_id, CYCLE, "revenue", KraDefinition("Revenue", Decimal(100)))
    kpi = KpiDefinition(
        "Quarterly revenue",
        "INR",
        Direction.INCREASE,
        Aggregation.SUM,
        Decimal(100),
        TargetSpec(Decimal(10_000_000)),
    )
    ledger.define_kpi(HR, employee_id, CYCLE, "quarterly-revenue", "revenue", kpi)
    ledger.activate_plan(HR, employee_id, CYCLE)
    return employee_id


def measurement_batch(ledger: LedgerApp, employee_id: str) -> MeasurementLog:
    plan, cycle = ledger.plan(employee_id, CYCLE), ledger.cycle(CYCLE)
    log = MeasurementLog.start(employee_id, CYCLE, actor=HR.actor)
    for n in range(BATCH - 1):
        log.record(
            plan,
            cycle,
            kpi_id="quarterly-revenue",
            value=Decimal(1000 + n),
            effective_date=date(2026, 4 + n % 12, 1) if n % 12 < 9 else date(2027, n % 12 - 8, 1),
            actor=HR.actor,
        )
    return log


def timed_saves(app: Application[UUID], aggregates: Sequence[Aggregate], events: int) -> float:
    def run() -> None:
        for aggregate in aggregates:
            app.save(aggregate)

    return rate(events, run)


def timed_registrations(ledger: LedgerApp, count: int) -> float:
    employee_ids = [f"C{secrets.token_hex(6)}" for _ in range(count)]
    profile = Profile("Bench Person", "Sales", "Sales Executive")

    def run() -> None:
        for employee_id in employee_ids:
            ledger.register_employee(HR, employee_id, profile)

    return rate(count, run)


def core_rows(address: DatabaseAddress, settings: Settings, quick: bool) -> list[Row]:
    commands = 300 if quick else 2000
    batches = 3 if quick else 10
    raw = raw_single_inserts(address, commands)
    copy = raw_copy(address, BATCH * batches)
    ledger, plain = LedgerApp(address, settings), PlainApp(address, settings)
    try:
        ledger.open_cycle(HR, CYCLE, name="FY 2026-27", start_date=date(2026, 4, 1))
        one = timed_registrations(ledger, commands)
        employees = [new_employee() for _ in range(2 * commands)]
        ledger_one = timed_saves(ledger, employees[:commands], commands)
        plain_one = timed_saves(plain, employees[commands:], commands)
        seats = [active_plan_seat(ledger) for _ in range(2 * batches)]
        logs = [measurement_batch(ledger, seat) for seat in seats]
        batch = timed_saves(ledger, logs[:batches], BATCH * batches)
        plain_batch = timed_saves(plain, logs[batches:], BATCH * batches)
    finally:
        ledger.close()
        plain.close()
    return [
        Row(
            "raw INSERT, one row per transaction under the table lock",
            raw,
            "rows/s",
            "-",
            "ceiling",
            "-",
        ),
        Row("raw COPY", copy, "rows/s", "-", "ceiling", "-"),
        Row(
            "one-event command through the application (register an employee)",
            one,
            "events/s",
            "raw INSERT",
            f"{one / raw:.0%}",
            ">= 70%",
        ),
        Row(
            "one-event save(), ledger recorder (chain, recorded_at)",
            ledger_one,
            "events/s",
            "raw INSERT",
            f"{ledger_one / raw:.0%}",
            "-",
        ),
        Row(
            "one-event save(), library's plain recorder",
            plain_one,
            "events/s",
            "raw INSERT",
            f"{plain_one / raw:.0%}",
            "-",
        ),
        Row(
            "cost of the chain, one-event save",
            ledger_one,
            "events/s",
            "plain recorder",
            f"{1 - ledger_one / plain_one:.0%}",
            "<= 15%",
        ),
        Row(
            f"save() of {BATCH:,} measurements, ledger recorder",
            batch,
            "events/s",
            "raw COPY",
            f"{batch / copy:.0%}",
            "-",
        ),
        Row(
            f"save() of {BATCH:,} measurements, library's plain recorder",
            plain_batch,
            "events/s",
            "raw COPY",
            f"{plain_batch / copy:.0%}",
            "-",
        ),
        Row(
            f"cost of the chain, {BATCH:,}-event save",
            batch,
            "events/s",
            "plain recorder",
            f"{1 - batch / plain_batch:.0%}",
            "<= 15%",
        ),
    ]


def http_table(address: DatabaseAddress, settings: Settings, quick: bool) -> list[Row]:
    ledger = LedgerApp(address, replace(settings, pool_size=CLIENTS * 2 + 2))
    try:
        results = http_rows(ledger, settings, quick)
    finally:
        ledger.close()
    rows = []
    for kind in ("writes", "reads"):
        direct, http = results[f"direct {kind}"], results[f"http {kind}"]
        what = "measurement writes" if kind == "writes" else "scorecard reads"
        goal = ">= 60%" if kind == "writes" else "-"
        rows.append(
            Row(
                f"{what}, called directly ({CLIENTS} threads)",
                direct.rate,
                "req/s",
                "-",
                "ceiling",
                "-",
            )
        )
        rows.append(
            Row(
                f"{what} over HTTP ({CLIENTS} clients, loopback)",
                http.rate,
                "req/s",
                "direct",
                f"{http.rate / direct.rate:.0%}",
                goal,
            )
        )
        rows.append(
            Row(
                f"{what} over HTTP, p50 / p99 latency",
                http.p99_ms,
                "ms (p99)",
                f"p50 {http.p50_ms:.1f} ms",
                "-",
                "p99 < 20 ms" if kind == "reads" else "-",
            )
        )
    return rows


def views_table(server: DatabaseAddress, settings: Settings, events: int) -> list[Row]:
    address = create_database(server, "ledger_bench_views")
    try:
        init_schema(address, settings)
        app = LedgerApp(address, settings)
        try:
            generate_ledger(app, events)
            result = rebuilds(app)
            employee_ids = [f"G{n:06d}" for n in range(20)]
            lag = live_lag(app, address, employee_ids)
        finally:
            app.close()
        memory = peak_rebuild_memory_mb(address)
    finally:
        drop_database(server, address)
    rows = [
        Row(
            f"read and decode {result.events:,} events, no projection work",
            result.decode_rate,
            "events/s",
            "-",
            "ceiling",
            "-",
        ),
        Row(
            "rebuild of all views, one after another",
            result.all_rate,
            "events/s",
            "decode",
            f"{result.all_rate / result.decode_rate:.0%}",
            "-",
        ),
    ]
    rows += [
        Row(
            f"rebuild of view {name}",
            rate,
            "events/s",
            "decode",
            f"{rate / result.decode_rate:.0%}",
            ">= 50%",
        )
        for name, rate in result.view_rates.items()
    ]
    rows += [
        Row(
            f"live lag, save to scorecards ({LIVE_RATE} writes/s, p50)",
            lag.p50_ms,
            "ms",
            "-",
            "-",
            "-",
        ),
        Row(
            f"live lag, save to scorecards ({LIVE_RATE} writes/s, p99)",
            lag.p99_ms,
            "ms",
            "-",
            "-",
            "< 100 ms",
        ),
        Row(
            f"peak memory of a rebuild of all views over {result.events:,} events",
            memory,
            "MB",
            "-",
            "-",
            "< 300 MB (1,000,000 events)",
        ),
    ]
    return rows


def print_table(rows: list[Row]) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    machine = f"{platform.machine()} {platform.system()}, Python {platform.python_version()}"
    print(f"Measured {stamp} on {machine}\n")
    print("| measure | value | unit | against | ratio | goal |")
    print("|---|---:|---|---|---:|---|")
    for row in rows:
        value = f"{row.value:,.1f}" if row.value < 100 else f"{row.value:,.0f}"
        print(
            f"| {row.measure} | {value} | {row.unit} | {row.against} | {row.ratio} | {row.goal} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument(
        "--full", action="store_true", help="1,000,000 events for the read models (slow)"
    )
    parser.add_argument("--parts", default="core,http,views", help="which parts: core, http, views")
    args = parser.parse_args()
    settings = Settings(pool_size=2, max_overflow=2)
    with tempfile.TemporaryDirectory() as folder:
        server = scratch_server(Path(folder))
        address = create_database(server, "ledger_bench")
        try:
            init_schema(address, settings)
            parts = set(args.parts.split(","))
            rows = core_rows(address, settings, args.quick) if "core" in parts else []
            if "http" in parts:
                rows += http_table(address, settings, args.quick)
            if "views" in parts:
                events = 1_000_000 if args.full else 20_000 if args.quick else 200_000
                rows += views_table(server, settings, events)
            print_table(rows)
        finally:
            drop_database(server, address)


if __name__ == "__main__":
    main()
