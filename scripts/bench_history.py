"""A write costs the same on a long history: measurement writes into a short and a long log,
and the first write of a new process into the long one (its snapshot and the events after)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.domain import MeasurementLog
from ledger.store.database import DatabaseAddress
from scripts.bench_data import CYCLE_ID, HR
from scripts.bench_table import Row

if TYPE_CHECKING:
    from scripts.bench_core import Rounds

SHORT = 10
LONG = 10_000
KPI = "quarterly-revenue"


@dataclass(frozen=True)
class Logs:
    """Seats whose logs hold SHORT measurements, and one whose log holds LONG."""

    short: list[str]
    long: str


def prefilled(ledger: LedgerApp, employee_id: str, count: int) -> None:
    """A log of ``count`` measurements, saved in batches, then one command to warm it."""
    plan, cycle = ledger.plan(employee_id, CYCLE_ID), ledger.cycle(CYCLE_ID)
    log = MeasurementLog.start(employee_id, CYCLE_ID, actor=HR.actor)
    for n in range(count):
        log.record(plan, cycle, kpi_id=KPI, value=Decimal(n), effective_date=day(n), actor=HR.actor)
        if len(log.pending_events) >= 1000:
            ledger.save(log)
    ledger.save(log)
    write(ledger, employee_id, 0)


def day(n: int) -> date:
    return date(2026, 4 + n % 9, 1 + n % 28)


def write(ledger: LedgerApp, employee_id: str, n: int) -> None:
    ledger.record_measurement(
        HR, employee_id, CYCLE_ID, KPI, value=Decimal(n), effective_date=day(n)
    )


def history_round(rounds: Rounds, ledger: LedgerApp, logs: Logs, commands: int) -> None:
    per_seat = max(1, commands // len(logs.short))

    def short() -> None:
        for n in range(per_seat):
            for employee_id in logs.short:
                write(ledger, employee_id, n)

    def long() -> None:
        for n in range(per_seat * len(logs.short)):
            write(ledger, logs.long, n)

    rounds.time("short log", per_seat * len(logs.short), short)
    rounds.time("long log", per_seat * len(logs.short), long)


@dataclass(frozen=True)
class ColdLoads:
    first_write_ms: float
    replay_ms: float


def cold_loads(address: DatabaseAddress, settings: Settings, employee_id: str) -> ColdLoads:
    """A new process's first write into the long log, beside rebuilding it from every event."""
    fresh = LedgerApp(address, settings)
    try:
        started = time.perf_counter()
        write(fresh, employee_id, 1)
        first = time.perf_counter() - started
        started = time.perf_counter()
        fresh.repository.get(MeasurementLog.create_id(employee_id, CYCLE_ID))
        replay = time.perf_counter() - started
    finally:
        fresh.close()
    return ColdLoads(first * 1000, replay * 1000)


def history_rows(rounds: Rounds, cold: list[ColdLoads]) -> list[Row]:
    first = sorted(c.first_write_ms for c in cold)[len(cold) // 2]
    replay = sorted(c.replay_ms for c in cold)[len(cold) // 2]
    return [
        Row(
            f"measurement writes into a log of {SHORT} (command, one thread)",
            rounds.median("short log"),
            "writes/s",
            "one-event save()",
            f"{rounds.ratio('short log', 'ledger one'):.0%}",
            "-",
        ),
        Row(
            f"measurement writes into a log of {LONG:,} (command, one thread)",
            rounds.median("long log"),
            "writes/s",
            f"log of {SHORT}",
            f"{rounds.ratio('long log', 'short log'):.0%}",
            ">= 80%",
        ),
        Row(
            f"measurement writes into a log of {LONG:,}, against the save() ceiling",
            rounds.median("long log"),
            "writes/s",
            "one-event save()",
            f"{rounds.ratio('long log', 'ledger one'):.0%}",
            ">= 50%",
        ),
        Row(
            f"first write of a new process into a log of {LONG:,} (snapshot and events after)",
            first,
            "ms",
            "replaying every event",
            f"{first / replay:.0%}",
            "-",
        ),
    ]
