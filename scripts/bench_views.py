"""Read models: rebuild throughput beside the decode ceiling, live lag, rebuild memory."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Collection
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import psutil
import psycopg

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.domain import MeasurementLog
from ledger.store.database import DatabaseAddress
from projections import (
    CHANNEL,
    EventSource,
    Worker,
    init_projections,
    rebuild_view,
    rebuild_views,
    wait_for,
)
from projections.catalog import all_views
from scripts.bench_data import CYCLE_ID, HR, START, generate_ledger

PAGE = 2000
LIVE_RATE = 200
LIVE_SECONDS = 10
LIVE_PLAN_SIZE = 1000
"""Measurements each plan written to holds at least, before the writes begin."""
SAMPLE = 0.05
"""Seconds between two samples of a rebuild's resident memory."""


@dataclass(frozen=True)
class Rebuilds:
    events: int
    decode_rate: float
    view_rates: dict[str, float]
    all_rate: float | None
    together_rate: float | None


def decode_rate(app: LedgerApp) -> tuple[int, float]:
    """Reading, verifying and decoding every event in pages, with no projection work: the
    ceiling (events decode when asked for, so each is asked for here)."""
    source = EventSource.of(app)
    count, after = 0, 0
    started = time.perf_counter()
    with app.records.datastore.transaction(commit=False) as cursor:
        while True:
            page = source.read(cursor, after, PAGE)
            count += sum(1 for event in page.events if event.event is not None)
            after = page.last_position
            if not page.full:
                break
    return count, count / (time.perf_counter() - started)


VIEW_ROWS = ("each", "together", "lag", "memory")
"""The parts of the read-model rows: every view (or those named) rebuilt on its own, all
rebuilt together, live lag, peak memory of a rebuild."""


def rebuilds(
    app: LedgerApp, names: Collection[str] | None = None, together: bool = True
) -> Rebuilds:
    """Each view named rebuilt on its own (None: every view), then all together if asked;
    the rate of all one after another only when every view was rebuilt."""
    init_projections(app.records.datastore)
    events, ceiling = decode_rate(app)
    rates: dict[str, float] = {}
    total_started = time.perf_counter()
    chosen = [view for view in all_views(app) if names is None or view.name in names]
    for view in chosen:
        started = time.perf_counter()
        rebuild_view(app, view, page_size=PAGE)
        rates[view.name] = events / (time.perf_counter() - started)
    every = len(chosen) == len(all_views(app))
    all_rate = events / (time.perf_counter() - total_started) if every else None
    together_rate = None
    if together:
        started = time.perf_counter()
        rebuild_views(app, all_views(app), page_size=PAGE)
        together_rate = events / (time.perf_counter() - started)
    return Rebuilds(events, ceiling, rates, all_rate, together_rate)


@dataclass(frozen=True)
class Lag:
    writes: int
    p50_ms: float
    p99_ms: float
    rate: float
    """Writes per second achieved (LIVE_RATE is asked for)."""
    plan_size: int
    """Measurements in the smallest plan written to, when the writes began."""


def live_lag(app: LedgerApp, address: DatabaseAddress, employee_ids: list[str]) -> Lag:
    """Save measurements at LIVE_RATE per second into plans of LIVE_PLAN_SIZE or more
    measurements, from a process of its own; time until ``scorecards`` has each one."""
    plan_size = min(top_up(app, employee_id) for employee_id in employee_ids)
    seen: list[tuple[int, float]] = []
    listening = threading.Event()
    stop = threading.Event()

    def listen() -> None:
        with psycopg.connect(address.conninfo(), autocommit=True) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            listening.set()
            while not stop.is_set():
                for note in conn.notifies(timeout=0.2, stop_after=1):
                    view, _, position = note.payload.partition(" ")
                    if view == "scorecards":
                        seen.append((int(position), time.monotonic()))

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    listening.wait(10)
    views = all_views(app)
    with Worker(app, views):
        wait_for(app.records.datastore, [view.name for view in views], app.head_position(), 300)
        saved = written_elsewhere(address, employee_ids)
        time.sleep(2)
    stop.set()
    listener.join()
    return lags(saved, seen, plan_size)


def written_elsewhere(address: DatabaseAddress, employee_ids: list[str]) -> list[tuple[int, float]]:
    """The measurements a writer process saved, each with when its save returned."""
    child = subprocess.run(
        [
            sys.executable,
            "-m",
            "scripts.bench_lag_writer",
            address.url(),
            str(LIVE_RATE),
            str(LIVE_SECONDS),
            ",".join(employee_ids),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    saved = json.loads(child.stdout.strip().splitlines()[-1])
    return [(int(position), float(at)) for position, at in saved]


def top_up(app: LedgerApp, employee_id: str) -> int:
    """Record measurements until the plan holds LIVE_PLAN_SIZE; how many it holds."""
    plan, cycle = app.plan(employee_id, CYCLE_ID), app.cycle(CYCLE_ID)
    log = app.measurement_log(employee_id, CYCLE_ID)
    if log is None:
        log = MeasurementLog.start(employee_id, CYCLE_ID, actor=HR.actor)
    for n in range(len(log.measurements), LIVE_PLAN_SIZE):
        log.record(
            plan,
            cycle,
            kpi_id="kpi-0-0",
            value=Decimal(n % 40),
            effective_date=START + timedelta(days=n % 300),
            actor=HR.actor,
        )
    app.save(log)
    return len(log.measurements)


def lags(saved: list[tuple[int, float]], seen: list[tuple[int, float]], plan_size: int) -> Lag:
    seen.sort()
    delays = []
    index = 0
    for position, at in saved:
        while index < len(seen) and seen[index][0] < position:
            index += 1
        if index < len(seen):
            delays.append((seen[index][1] - at) * 1000)
    delays.sort()
    elapsed = saved[-1][1] - saved[0][1]
    return Lag(
        len(delays),
        statistics.median(delays),
        delays[min(len(delays) - 1, int(len(delays) * 0.99))],
        (len(saved) - 1) / elapsed if elapsed > 0 else 0.0,
        plan_size,
    )


def peak_rebuild_memory_mb(address: DatabaseAddress) -> float:
    """Rebuild every view together in a process of its own; the peak resident memory of
    that process and the one reading the ledger for it, together (sampled every
    ``SAMPLE`` seconds), or the rebuild's own peak where that is more."""
    child = subprocess.Popen(
        [sys.executable, "-m", "scripts.bench_views", address.url()],
        stdout=subprocess.PIPE,
        text=True,
    )
    sampled = 0.0
    while child.poll() is None:
        sampled = max(sampled, resident_mb(child.pid))
        time.sleep(SAMPLE)
    output, _ = child.communicate()
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, child.args, output)
    return max(sampled, float(output.strip().splitlines()[-1]))


def resident_mb(pid: int) -> float:
    """The resident memory of a process and its children, now; 0 once it has ended."""
    try:
        process = psutil.Process(pid)
        family = [process, *process.children(recursive=True)]
        total = 0
        for member in family:
            with suppress(psutil.NoSuchProcess):
                total += member.memory_info().rss
    except psutil.NoSuchProcess:
        return 0.0
    return total / 2**20


def named_master_key() -> Path | None:
    """The master key the benchmark names for its processes, if any."""
    named = os.environ.get("LEDGER_MASTER_KEY")
    return Path(named) if named else None


def main() -> None:
    """In a child process: rebuild all views of the ledger at the URL together; print peak MB."""
    url = sys.argv[1]
    app = LedgerApp(
        DatabaseAddress.from_url(url),
        Settings(pool_size=2, max_overflow=2, master_key=named_master_key()),
    )
    try:
        rebuild_views(app, all_views(app), page_size=PAGE)
    finally:
        app.close()
    print(peak_resident_mb())


def peak_resident_mb() -> float:
    """This process's own peak resident memory. Linux's ``ru_maxrss`` keeps, across the
    exec that started it, the peak of the process it was forked from (the benchmark, with a
    generated ledger in memory): the kernel's ``VmHWM`` is this program's alone."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(app: LedgerApp, events: int) -> int:
    return generate_ledger(app, events)


if __name__ == "__main__":
    main()
