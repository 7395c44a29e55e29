"""Faults of the database on the write path answer 503 with Retry-After, never 500; a retry
with the same Idempotency-Key gets the first answer, and nothing is stored twice."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import count

import httpx
import psycopg
import pytest

from ledger.application import LedgerApp
from ledger.commands import Context
from ledger.config import Settings
from ledger.domain.access import Role
from ledger.store.database import EVENTS_TABLE, DatabaseAddress
from projections import Worker, wait_for
from projections.catalog import all_views
from tests.e2e.client import ApiClient, Seat, active_seat, new_id
from tests.e2e.serving import served

SETUP = Context(actor="admin:e2e-setup")
WRITERS = 4
LOAD_SECONDS = 3.0
LEAST_WRITES_EACH = 3
MOST_ATTEMPTS = 200
MEASUREMENT = {"value": 87, "effective_date": "2026-06-30"}


@dataclass(frozen=True)
class Server:
    url: str
    token: str
    database: DatabaseAddress

    @contextmanager
    def client(self) -> Iterator[ApiClient]:
        """A client closed whatever happens: an open connection keeps the server running."""
        client = ApiClient(self.url, self.token)
        try:
            yield client
        finally:
            client.close()


@pytest.fixture
def server(fresh_database: DatabaseAddress, e2e_settings: Settings) -> Iterator[Server]:
    """A server of its own on a database of its own, whose connections the test may kill."""
    ledger = LedgerApp(fresh_database, e2e_settings)
    token = ledger.issue_token(SETUP, name="faults-hr", role=Role.HR).token
    with served(ledger, e2e_settings, threads=8) as url:
        yield Server(url, token, fresh_database)
    ledger.close()


TERMINATE_OTHERS = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
    " WHERE datname = %s AND pid <> pg_backend_pid()"
)


def terminate_backends(conn: psycopg.Connection[tuple[object, ...]], dbname: str) -> int:
    """Every other connection to the database dropped, as a restart or failover would."""
    rows = conn.execute(TERMINATE_OTHERS, (dbname,)).fetchall()
    return sum(1 for (terminated,) in rows if terminated)


@dataclass
class Outcomes:
    """Per idempotency key, every status it was answered with and its final answer."""

    keys: list[str] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    busy_without_retry_after: int = 0
    final: dict[str, httpx.Response] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def seen(self, response: httpx.Response) -> None:
        with self.lock:
            self.statuses.append(response.status_code)
            if response.status_code == 503 and "Retry-After" not in response.headers:
                self.busy_without_retry_after += 1


def write_until_answered(client: ApiClient, path: str, key: str, outcomes: Outcomes) -> None:
    """Post under ``key`` again after every 503, as a client told to retry would."""
    with outcomes.lock:
        outcomes.keys.append(key)
    for _ in range(MOST_ATTEMPTS):
        response = client.post(path, MEASUREMENT, headers={"Idempotency-Key": key})
        outcomes.seen(response)
        if response.status_code != 503:
            outcomes.final[key] = response
            return


def writer(server: Server, seat: Seat, outcomes: Outcomes, stop: threading.Event) -> None:
    """Measurements of the seat's KPI, each under a key of its own, until told to stop."""
    with server.client() as client:
        for n in count():
            if n >= LEAST_WRITES_EACH and stop.is_set():
                return
            key = f"{seat.employee_id}-{n}"
            write_until_answered(client, f"{seat.kpi()}/measurements", key, outcomes)


def killer(database: DatabaseAddress, stop: threading.Event, terminated: list[int]) -> None:
    """Twice a second, every other connection to the database terminated, through one
    connection kept open so a busy server's connection slots cannot refuse it."""
    with psycopg.connect(database.conninfo(), autocommit=True) as conn:
        while not stop.is_set():
            terminated.append(terminate_backends(conn, database.dbname))
            stop.wait(0.5)


def test_writes_while_the_database_drops_connections_are_stored_once_or_refused_with_503(
    server: Server,
) -> None:
    with server.client() as setup:
        # One writer per plan: the test is about connection faults, not writers racing.
        seats = [active_seat(setup) for _ in range(WRITERS)]
        outcomes, terminated = under_load(server, seats)

        assert sum(terminated) > 0
        assert set(outcomes.statuses) <= {201, 409, 503}
        assert outcomes.busy_without_retry_after == 0
        assert len(outcomes.final) >= WRITERS * LEAST_WRITES_EACH
        assert set(outcomes.final) == set(outcomes.keys)
        acknowledged = {k: r.json() for k, r in outcomes.final.items() if r.status_code == 201}
        for seat in seats:
            stored = setup.ok("GET", f"{seat.plan}/measurements")["items"]
            answered = [
                answer["measurement_id"]
                for key, answer in acknowledged.items()
                if key.startswith(f"{seat.employee_id}-")
            ]
            assert sorted(item["measurement_id"] for item in stored) == sorted(answered)
        for key, answer in acknowledged.items():
            again = setup.post(path_of(seats, key), MEASUREMENT, headers={"Idempotency-Key": key})
            assert (again.status_code, again.json()) == (201, answer)
            assert again.headers["Idempotent-Replayed"] == "true"
        verification = setup.ok("GET", "/ledger/verify")
        assert verification["ok"], verification


def under_load(server: Server, seats: list[Seat]) -> tuple[Outcomes, list[int]]:
    """One writer thread per seat for a few seconds while another drops every connection
    twice a second; the outcomes, and how many connections each drop terminated."""
    outcomes, stop_writing, stop_killing = Outcomes(), threading.Event(), threading.Event()
    terminated: list[int] = []
    writers = [
        threading.Thread(target=writer, args=(server, seat, outcomes, stop_writing))
        for seat in seats
    ]
    kills = threading.Thread(target=killer, args=(server.database, stop_killing, terminated))
    kills.start()
    for thread in writers:
        thread.start()
    time.sleep(LOAD_SECONDS)  # how long the load lasts; nothing is asserted about time
    stop_writing.set()
    for thread in writers:
        thread.join()
    stop_killing.set()
    kills.join()
    return outcomes, terminated


def path_of(seats: list[Seat], key: str) -> str:
    [seat] = [s for s in seats if key.startswith(f"{s.employee_id}-")]
    return f"{seat.kpi()}/measurements"


@pytest.fixture
def impatient_lookups(server: Server) -> Server:
    """The server's new connections wait at most 200 ms for a lock, so a held lock on the
    idempotency keys makes the lookup fail the way a lost connection does."""
    with psycopg.connect(server.database.conninfo(), autocommit=True) as conn:
        conn.execute(
            psycopg.sql.SQL("ALTER DATABASE {} SET lock_timeout = '200ms'").format(
                psycopg.sql.Identifier(server.database.dbname)
            )
        )
        terminate_backends(conn, server.database.dbname)
    return server


def test_an_idempotency_lookup_that_fails_answers_503_and_the_retry_gets_one_answer(
    impatient_lookups: Server,
) -> None:
    with impatient_lookups.client() as client:
        seat = active_seat(client)
        path, key = f"{seat.kpi()}/measurements", {"Idempotency-Key": new_id("lookup-")}
        head = client.head_position()
        with psycopg.connect(impatient_lookups.database.conninfo()) as holder:
            holder.execute(f"LOCK TABLE {EVENTS_TABLE}_idempotency IN ACCESS EXCLUSIVE MODE")
            refused = client.post(path, MEASUREMENT, headers=key)
            holder.rollback()
        assert refused.status_code == 503, refused.text
        assert refused.headers["Retry-After"] == "1"
        assert refused.json()["type"].endswith("/busy")
        assert client.head_position() == head
        taken = client.post(path, MEASUREMENT, headers=key)
        assert taken.status_code == 201, taken.text
        again = client.post(path, MEASUREMENT, headers=key)
        assert (again.status_code, again.json()) == (201, taken.json())
        assert len(client.ok("GET", f"{seat.plan}/measurements")["items"]) == 1


@pytest.fixture
def patient(fresh_database: DatabaseAddress, e2e_settings: Settings) -> Iterator[Server]:
    """A server that waits up to a minute for a read model to reach a position, on a
    database of its own whose audit trail is built and then left where it is."""
    settings = replace(e2e_settings, read_wait_seconds=60)
    ledger = LedgerApp(fresh_database, settings)
    token = ledger.issue_token(SETUP, name="faults-auditor", role=Role.AUDITOR).token
    [audit] = [view for view in all_views(ledger) if view.name == "audit_trail"]
    with Worker(ledger, [audit]):
        assert wait_for(ledger.records.datastore, audit.name, ledger.head_position(), 60)
    with served(ledger, settings, threads=4) as url:
        yield Server(url, token, fresh_database)
    ledger.close()


TERMINATE_WAITS = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
    " WHERE datname = %s AND application_name = 'projections wait'"
)


def terminate_a_wait(database: DatabaseAddress) -> bool:
    """The session a request waits for a read model on, terminated once it is there."""
    with psycopg.connect(database.conninfo(), autocommit=True) as conn:
        for _ in range(MOST_ATTEMPTS):
            if any(done for (done,) in conn.execute(TERMINATE_WAITS, (database.dbname,))):
                return True
            time.sleep(0.05)  # until the request has opened its session
    return False


def test_a_read_whose_wait_for_a_view_loses_its_connection_answers_503_with_a_problem(
    patient: Server,
) -> None:
    with patient.client() as client:
        head = client.head_position()
        answers: list[httpx.Response] = []
        query = {"min_position": head + 10**6}
        asking = threading.Thread(target=lambda: answers.append(client.get("/audit", params=query)))
        asking.start()
        terminated = terminate_a_wait(patient.database)
        asking.join()
        assert terminated
        [refused] = answers
        assert refused.status_code == 503, refused.text
        assert refused.headers["Content-Type"] == "application/problem+json"
        assert refused.headers["Retry-After"] == "1"
        problem = refused.json()
        assert problem["type"].endswith("/busy")
        assert problem["status"] == 503
        assert client.head_position() == head


def test_list_reads_while_the_database_drops_connections_answer_200_or_503(
    patient: Server,
) -> None:
    stop, terminated = threading.Event(), list[int]()
    dropping = threading.Thread(target=killer, args=(patient.database, stop, terminated))
    statuses: list[int] = []
    with patient.client() as client:
        head = client.head_position()
        dropping.start()
        try:
            for _ in range(40):
                statuses.append(client.get("/audit", params={"limit": 5}).status_code)
                time.sleep(0.02)
        finally:
            stop.set()
            dropping.join()
        assert client.head_position() == head
    assert sum(terminated) > 0
    assert set(statuses) <= {200, 503}, sorted(set(statuses))
    assert 200 in statuses
