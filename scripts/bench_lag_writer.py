"""The writer of the live-lag benchmark, in a process of its own as an API server is.

Usage: python -m scripts.bench_lag_writer URL RATE SECONDS EMPLOYEE_ID,...

Reads the employees' plans, cycle and measurement logs first, as a server that has been
answering for them holds them, then records measurements at RATE per second for SECONDS,
round the employees given, and prints one JSON line: each save's position with the
monotonic time it returned at (the clock every process of the machine shares). A write that
falls behind its time is not made up for by a burst: the writes keep their rate.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.store.database import DatabaseAddress
from scripts.bench_data import CYCLE_ID, HR, START


def warm(app: LedgerApp, employee_ids: list[str]) -> None:
    app.cycle(CYCLE_ID)
    for employee_id in employee_ids:
        app.plan(employee_id, CYCLE_ID)
        app.measurement_log(employee_id, CYCLE_ID)


def write(app: LedgerApp, employee_ids: list[str], rate: int, seconds: int) -> list[list[float]]:
    saved: list[list[float]] = []
    due = time.monotonic()
    for n in range(rate * seconds):
        written = app.record_measurement(
            HR,
            employee_ids[n % len(employee_ids)],
            CYCLE_ID,
            "kpi-0-0",
            value=Decimal(n % 40),
            effective_date=START + timedelta(days=n % 300),
        )
        returned = time.monotonic()
        saved.append([written.position, returned])
        due = max(due + 1 / rate, returned)
        time.sleep(max(0.0, due - returned))
    return saved


def named_master_key() -> Path | None:
    """The master key the benchmark names for its processes, if any."""
    named = os.environ.get("LEDGER_MASTER_KEY")
    return Path(named) if named else None


def main() -> None:
    url, rate, seconds, employees = sys.argv[1:5]
    app = LedgerApp(
        DatabaseAddress.from_url(url),
        Settings(pool_size=2, max_overflow=2, master_key=named_master_key()),
    )
    try:
        warm(app, employees.split(","))
        saved = write(app, employees.split(","), int(rate), int(seconds))
    finally:
        app.close()
    print(json.dumps(saved))


if __name__ == "__main__":
    main()
