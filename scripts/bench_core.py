"""The write path against its ceilings: single-row INSERT and COPY on the same database.

The measures are taken in turns, a round of each after the other, and each figure is the
median over the rounds; a ratio is the median of the ratios within a round. A machine whose
load drifts during the run then weighs on a figure and its ceiling alike.
"""

from __future__ import annotations

import secrets
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

import psycopg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import JSONTranscoder
from eventsourcing.utils import Environment, EnvType

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.domain import Employee, KpiDefinition, KraDefinition, MeasurementLog, Profile
from ledger.store.database import DatabaseAddress, library_env
from ledger.transcodings import register_ledger_transcodings
from ledger.values import Aggregation, Direction, TargetSpec
from scripts.bench_data import CYCLE_ID, HR, START
from scripts.bench_history import (
    LONG,
    SHORT,
    ColdLoads,
    Logs,
    cold_loads,
    history_round,
    history_rows,
    prefilled,
)
from scripts.bench_table import Row

STATE = b'{"value":{"_type_":"decimal_str","_data_":"87"}}' * 3
BATCH = 1000
PROFILE = Profile("Bench Person", "Sales", "Sales Executive")


class PlainApp(Application[UUID]):
    """The same events through the library's own recorder: no chain, no recorded_at.

    Its pool holds one connection, as the ledger writes through one connection per process,
    so that the difference between the two is the chain and nothing else.
    """

    name = "Plain"

    def __init__(self, address: DatabaseAddress, settings: Settings) -> None:
        one = replace(settings, pool_size=1, max_overflow=0)
        env = library_env(address, one, create_table=True)
        env["APPLICATION_RECORDER_TOPIC"] = ""
        super().__init__(env=env)

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        return Environment(name, dict(env or {}))

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_ledger_transcodings(transcoder)


@dataclass
class Rounds:
    """Rates per measure, one per round."""

    rates: dict[str, list[float]] = field(default_factory=dict)

    def time(self, name: str, count: int, run: Callable[[], None]) -> None:
        started = time.perf_counter()
        run()
        self.rates.setdefault(name, []).append(count / (time.perf_counter() - started))

    def median(self, name: str) -> float:
        return statistics.median(self.rates[name])

    def ratio(self, name: str, ceiling: str) -> float:
        pairs = zip(self.rates[name], self.rates[ceiling], strict=True)
        return statistics.median(rate / limit for rate, limit in pairs)


@dataclass(frozen=True)
class Sizes:
    rounds: int
    commands: int
    """One-event writes per round and measure."""

    @classmethod
    def of(cls, quick: bool) -> Sizes:
        return cls(rounds=3, commands=100) if quick else cls(rounds=10, commands=200)


def core_rows(address: DatabaseAddress, settings: Settings, quick: bool) -> list[Row]:
    sizes = Sizes.of(quick)
    rounds, cold = Rounds(), list[ColdLoads]()
    ledger, plain = LedgerApp(address, settings), PlainApp(address, settings)
    clear = LedgerApp(address, settings)
    clear.sealing_mapper.keyring = None
    try:
        ledger.open_cycle(HR, CYCLE_ID, name="FY 2026-27", start_date=START)
        long = active_plan_seat(ledger)
        prefilled(ledger, long, LONG)
        with psycopg.connect(address.conninfo(), autocommit=True) as conn:
            create_raw_table(conn)
            for _ in range(sizes.rounds):
                one_round(rounds, conn, ledger, plain, clear, sizes.commands)
                history_round(rounds, ledger, short_logs(ledger, long), sizes.commands)
                cold.append(cold_loads(address, settings, long))
    finally:
        ledger.close()
        plain.close()
        clear.close()
    return rows_of(rounds) + history_rows(rounds, cold)


def short_logs(ledger: LedgerApp, long: str) -> Logs:
    short = [active_plan_seat(ledger) for _ in range(20)]
    for employee_id in short:
        prefilled(ledger, employee_id, SHORT)
    return Logs(short, long)


def one_round(
    rounds: Rounds,
    conn: psycopg.Connection[tuple[object, ...]],
    ledger: LedgerApp,
    plain: PlainApp,
    clear: LedgerApp,
    commands: int,
) -> None:
    employees = [new_employee() for _ in range(3 * commands)]
    logs = [measurement_batch(ledger, active_plan_seat(ledger)) for _ in range(3)]
    rounds.time("raw", commands, lambda: raw_single_inserts(conn, commands))
    rounds.time("command", commands, lambda: registrations(ledger, commands))
    rounds.time("ledger one", commands, lambda: saves(ledger, employees[:commands]))
    rounds.time("plain one", commands, lambda: saves(plain, employees[commands : 2 * commands]))
    rounds.time("copy", BATCH, lambda: raw_copy(conn, BATCH))
    rounds.time("ledger batch", BATCH, lambda: saves(ledger, logs[:1]))
    rounds.time("plain batch", BATCH, lambda: saves(plain, logs[1:2]))
    rounds.time("clear one", commands, lambda: saves(clear, employees[2 * commands :]))
    rounds.time("clear batch", BATCH, lambda: saves(clear, logs[2:]))


def create_raw_table(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS bench_raw (id bigserial PRIMARY KEY,"
        " originator_id uuid, originator_version bigint, topic text, state bytea)"
    )


def raw_single_inserts(conn: psycopg.Connection[tuple[object, ...]], count: int) -> None:
    """One row per transaction under an exclusive table lock: the ceiling of a one-event save."""
    for version in range(count):
        with conn.transaction():
            conn.execute("LOCK TABLE bench_raw IN EXCLUSIVE MODE")
            conn.execute(
                "INSERT INTO bench_raw (originator_id, originator_version, topic, state)"
                " VALUES (%s, %s, %s, %s)",
                (uuid4(), version, "bench:Raw", STATE),
                prepare=True,
            )


def raw_copy(conn: psycopg.Connection[tuple[object, ...]], count: int) -> None:
    """COPY into the same shape of table: the ceiling of a bulk save."""
    rows = [(uuid4(), version, "bench:Raw", STATE) for version in range(count)]
    with conn.transaction(), conn.cursor() as cursor:
        statement = "COPY bench_raw (originator_id, originator_version, topic, state)"
        with cursor.copy(statement + " FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def registrations(ledger: LedgerApp, count: int) -> None:
    for employee_id in fresh_ids("C", count):
        ledger.register_employee(HR, employee_id, PROFILE)


def saves(app: Application[UUID], aggregates: Sequence[Aggregate]) -> None:
    for aggregate in aggregates:
        app.save(aggregate)


def fresh_ids(prefix: str, count: int) -> Iterator[str]:
    return (f"{prefix}{secrets.token_hex(6)}" for _ in range(count))


def new_employee() -> Employee:
    [employee_id] = fresh_ids("B", 1)
    return Employee.register(employee_id, PROFILE, actor=HR.actor)


def active_plan_seat(ledger: LedgerApp) -> str:
    [employee_id] = fresh_ids("B", 1)
    ledger.register_employee(HR, employee_id, PROFILE)
    ledger.draft_plan(HR, employee_id, CYCLE_ID)
    ledger.define_kra(HR, employee_id, CYCLE_ID, "revenue", KraDefinition("Revenue", Decimal(100)))
    kpi = KpiDefinition(
        "Quarterly revenue",
        "INR",
        Direction.INCREASE,
        Aggregation.SUM,
        Decimal(100),
        TargetSpec(Decimal(10_000_000)),
    )
    ledger.define_kpi(HR, employee_id, CYCLE_ID, "quarterly-revenue", "revenue", kpi)
    ledger.activate_plan(HR, employee_id, CYCLE_ID)
    return employee_id


def measurement_batch(ledger: LedgerApp, employee_id: str) -> MeasurementLog:
    """A new measurement log with BATCH pending events: the log's start and its records."""
    plan, cycle = ledger.plan(employee_id, CYCLE_ID), ledger.cycle(CYCLE_ID)
    log = MeasurementLog.start(employee_id, CYCLE_ID, actor=HR.actor)
    for n in range(BATCH - 1):
        log.record(
            plan,
            cycle,
            kpi_id="quarterly-revenue",
            value=Decimal(1000 + n),
            note=f"visited client {n}",
            effective_date=date(2026, 4 + n % 12, 1) if n % 12 < 9 else date(2027, n % 12 - 8, 1),
            actor=HR.actor,
        )
    return log


def rows_of(rounds: Rounds) -> list[Row]:
    def row(measure: str, name: str, against: str, ceiling: str, goal: str = "-") -> Row:
        return Row(
            measure,
            rounds.median(name),
            "events/s",
            against,
            f"{rounds.ratio(name, ceiling):.0%}",
            goal,
        )

    def cost(measure: str, name: str, plain: str, against: str = "plain recorder") -> Row:
        share = 1 - rounds.ratio(name, plain)
        return Row(measure, rounds.median(name), "events/s", against, f"{share:.0%}", "<= 15%")

    return [
        Row(
            "raw INSERT, one row per transaction under the table lock",
            rounds.median("raw"),
            "rows/s",
            "-",
            "ceiling",
            "-",
        ),
        Row("raw COPY", rounds.median("copy"), "rows/s", "-", "ceiling", "-"),
        row(
            "one-event command through the application (register an employee)",
            "command",
            "raw INSERT",
            "raw",
            ">= 70%",
        ),
        row(
            "one-event save(), ledger recorder (chain, recorded_at)",
            "ledger one",
            "raw INSERT",
            "raw",
        ),
        row("one-event save(), library's plain recorder", "plain one", "raw INSERT", "raw"),
        cost("cost of the chain, one-event save", "clear one", "plain one"),
        cost(
            "cost of sealing personal fields, one-event save", "ledger one", "clear one", "in clear"
        ),
        row(
            f"save() of {BATCH:,} measurements, ledger recorder", "ledger batch", "raw COPY", "copy"
        ),
        row(
            f"save() of {BATCH:,} measurements, library's plain recorder",
            "plain batch",
            "raw COPY",
            "copy",
        ),
        cost(f"cost of the chain, {BATCH:,}-event save", "clear batch", "plain batch"),
        cost(
            f"cost of sealing personal fields, {BATCH:,}-event save",
            "ledger batch",
            "clear batch",
            "in clear",
        ),
    ]
