"""HTTP throughput and latency on loopback, beside the same operations called directly."""

from __future__ import annotations

import http.client
import json
import secrets
import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from multiprocessing import get_context

from ledger.application import LedgerApp
from ledger.commands import Context
from ledger.config import Settings
from ledger.domain import Profile
from ledger.domain.access import Role
from projections import Worker, wait_for
from projections.catalog import all_views
from projections.queries.current import current_document
from scripts.bench_data import CYCLE_ID, HR, START, plan_for
from web.serving.factory import create_app
from web.serving.server import ApiServer

CLIENTS = 4


@dataclass(frozen=True)
class Timing:
    rate: float
    p50_ms: float
    p99_ms: float


def run_clients(work: list[list[Callable[[], None]]]) -> Timing:
    """Each client thread runs its own list of calls; rate over all, latency per call."""
    latencies: list[float] = []
    lock = threading.Lock()

    def client(calls: list[Callable[[], None]]) -> None:
        mine = []
        for call in calls:
            started = time.perf_counter()
            call()
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(calls,)) for calls in work]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return Timing(
        len(ordered) / elapsed,
        statistics.median(ordered) * 1000,
        ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
    )


Call = tuple[str, str, object | None]
"""A request: method, path and JSON body (None for none)."""


@dataclass(frozen=True)
class Load:
    """What the load process sends: one list of calls per client connection."""

    port: int
    token: str
    clients: tuple[tuple[Call, ...], ...]


class Client:
    """One keep-alive connection per client thread."""

    def __init__(self, port: int, token: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: object | None = None) -> None:
        payload = None if body is None else json.dumps(body)
        self.connection.request(method, path, payload, self.headers)
        response = self.connection.getresponse()
        response.read()
        if response.status >= 300:
            raise RuntimeError(f"{method} {path}: {response.status}")


def run_load(load: Load) -> Timing:
    """In the load process: each client on its own connection, all at once."""
    clients = [Client(load.port, load.token) for _ in load.clients]
    work: list[list[Callable[[], None]]] = [
        [partial(client.call, *call) for call in calls]
        for client, calls in zip(clients, load.clients, strict=True)
    ]
    try:
        return run_clients(work)
    finally:
        for client in clients:
            client.connection.close()


class LoadProcess:
    """A process of its own for the HTTP clients, so that they share no interpreter lock
    with the server they measure."""

    def __init__(self) -> None:
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"))

    def run(self, load: Load) -> Timing:
        return self._pool.submit(run_load, load).result()

    def close(self) -> None:
        self._pool.shutdown()


def seats(ledger: LedgerApp, count: int) -> list[str]:
    employee_ids = []
    for _ in range(count):
        employee_id = f"H{secrets.token_hex(5)}"
        ledger.register_employee(HR, employee_id, Profile("Bench", "Sales", "Staff"))
        ledger.save(plan_for(employee_id))
        employee_ids.append(employee_id)
    return employee_ids


def http_rows(ledger: LedgerApp, settings: Settings, quick: bool) -> dict[str, Timing]:
    per_client = 100 if quick else 500
    if not _has_cycle(ledger):
        ledger.open_cycle(HR, CYCLE_ID, name="FY 2026-27", start_date=START)
    token = ledger.issue_token(Context("admin:bench"), name="bench", role=Role.HR).token
    server = ApiServer(create_app(settings, ledger=ledger), port=0, threads=CLIENTS * 2)
    serving = threading.Thread(target=server.run, daemon=True)
    serving.start()
    worker = Worker(ledger, all_views(ledger))
    worker.start(daemon=True)
    clients = LoadProcess()
    try:
        people = seats(ledger, CLIENTS * 2)
        http_people, direct_people = people[:CLIENTS], people[CLIENTS:]
        writes = tuple(http_writes(employee, per_client) for employee in http_people)
        reads = tuple(http_reads(people, per_client) for _ in range(CLIENTS))
        results = {
            "direct writes": run_clients(
                [direct_writes(ledger, employee, per_client) for employee in direct_people]
            ),
            "http writes": clients.run(Load(server.port, token, writes)),
            "caught up": caught_up(ledger),
            "direct reads": run_clients(
                [direct_reads(ledger, people, per_client) for _ in range(CLIENTS)]
            ),
            "http reads": clients.run(Load(server.port, token, reads)),
        }
    finally:
        clients.close()
        server.close()
        serving.join(timeout=10)
        worker.stop(timeout=30)
    del results["caught up"]
    return results


def caught_up(ledger: LedgerApp) -> Timing:
    """Wait until the read models have every write, so reads are served from them."""
    started = time.perf_counter()
    if not wait_for(ledger.records.datastore, "scorecards", ledger.head_position(), 120):
        raise RuntimeError("the scorecards read model did not catch up")
    return Timing(0.0, (time.perf_counter() - started) * 1000, 0.0)


def _has_cycle(ledger: LedgerApp) -> bool:
    try:
        ledger.cycle(CYCLE_ID)
    except Exception:
        return False
    return True


def _day(n: int) -> date:
    return START + timedelta(days=n % 360)


def direct_writes(ledger: LedgerApp, employee_id: str, count: int) -> list[Callable[[], None]]:
    def write(n: int) -> Callable[[], None]:
        def call() -> None:
            ledger.record_measurement(
                HR, employee_id, CYCLE_ID, "kpi-0-0", value=Decimal(n % 50), effective_date=_day(n)
            )

        return call

    return [write(n) for n in range(count)]


def http_writes(employee_id: str, count: int) -> tuple[Call, ...]:
    path = f"/api/v1/employees/{employee_id}/plans/{CYCLE_ID}/kpis/kpi-0-0/measurements"
    return tuple(
        ("POST", path, {"value": str(n % 50), "effective_date": _day(n).isoformat()})
        for n in range(count)
    )


def direct_reads(ledger: LedgerApp, people: list[str], count: int) -> list[Callable[[], None]]:
    def read(n: int) -> Callable[[], None]:
        def call() -> None:
            employee_id, period = people[n % len(people)], f"{CYCLE_ID}-Q{n % 4 + 1}"
            if current_document(ledger, employee_id, period) is None:
                ledger.scorecard(employee_id, period)

        return call

    return [read(n) for n in range(count)]


def http_reads(people: list[str], count: int) -> tuple[Call, ...]:
    return tuple(
        (
            "GET",
            f"/api/v1/employees/{people[n % len(people)]}/scorecards/{CYCLE_ID}-Q{n % 4 + 1}",
            None,
        )
        for n in range(count)
    )
