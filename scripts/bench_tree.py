"""What the Merkle tree costs: saves through the append function with and without the tree's
statements, and inclusion and consistency proofs per second at two sizes of history.

"Without the tree" is the same append function, created beside the real one in the same scratch
database with the statements that add leaves and subtrees left out: the same lock, events, chain
and notification, so the difference between the two is the tree and nothing else. Both write in
clear (no sealing of personal fields), as the chain's own cost row in the core part does.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from uuid import uuid4

import psycopg
from eventsourcing.persistence import StoredEvent

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.store.database import EVENTS_TABLE, SCHEMA, DatabaseAddress
from ledger.store.provision import init_schema
from ledger.store.recorder import LedgerRecorder
from ledger.store.schema import append_function_name, ledger_statements
from ledger.store.scratch import create_database, drop_database
from scripts.bench_core import (
    BATCH,
    STATE,
    Rounds,
    Sizes,
    active_plan_seat,
    measurement_batch,
    new_employee,
    saves,
)
from scripts.bench_data import CYCLE_ID, HR, START
from scripts.bench_table import Row

UNTREED = f"{append_function_name(EVENTS_TABLE)}_without_tree"
TREE_STATEMENTS = re.compile(r"\n\s*PERFORM [^;]*_tree_grow\"\([^;]*\);")
FILL_BATCH = 5_000
SMALL_SHARE = 100
"""The smaller history is the larger one divided by this."""


def tree_rows(server: DatabaseAddress, settings: Settings, quick: bool, events: int) -> list[Row]:
    return save_rows(server, settings, quick) + proof_rows(server, settings, quick, events)


def save_rows(server: DatabaseAddress, settings: Settings, quick: bool) -> list[Row]:
    address = create_database(server, "ledger_bench_tree")
    try:
        init_schema(address, settings)
        create_untreed_append(address)
        rounds = save_rounds(address, settings, Sizes.of(quick))
    finally:
        drop_database(server, address)

    def cost(measure: str, name: str, without: str) -> Row:
        share = 1 - rounds.ratio(name, without)
        against = "same append function without the tree's statements"
        return Row(measure, rounds.median(name), "events/s", against, f"{share:.0%}", "<= 15%")

    return [
        cost("cost of the Merkle tree, one-event save", "tree one", "untreed one"),
        cost(f"cost of the Merkle tree, {BATCH:,}-event save", "tree batch", "untreed batch"),
    ]


def create_untreed_append(address: DatabaseAddress) -> None:
    """The ledger's append function under another name, less the statements that grow the tree."""
    with psycopg.connect(address.conninfo(), autocommit=True) as conn:
        [append] = [
            text
            for statement in ledger_statements(SCHEMA, EVENTS_TABLE)
            if f'"{append_function_name(EVENTS_TABLE)}"(' in (text := statement.as_string(conn))
            and "CREATE" in text
        ]
        untreed, removed = TREE_STATEMENTS.subn("", append)
        untreed = untreed.replace(f'"{append_function_name(EVENTS_TABLE)}"(', f'"{UNTREED}"(')
        assert removed == 1, "the append function no longer has the tree's statements"
        assert "tree_grow" not in untreed
        conn.execute(untreed.encode())


def untreed_app(address: DatabaseAddress, settings: Settings) -> LedgerApp:
    app = LedgerApp(address, settings)
    recorder = app.recorder
    assert isinstance(recorder, LedgerRecorder)
    real = f'"{append_function_name(EVENTS_TABLE)}"('
    assert real in recorder.append_statement
    recorder.append_statement = recorder.append_statement.replace(real, f'"{UNTREED}"(')
    return app


def save_rounds(address: DatabaseAddress, settings: Settings, sizes: Sizes) -> Rounds:
    rounds = Rounds()
    treed, untreed = LedgerApp(address, settings), untreed_app(address, settings)
    try:
        for app in (treed, untreed):
            app.sealing_mapper.keyring = None
        treed.open_cycle(HR, CYCLE_ID, name="FY 2026-27", start_date=START)
        for turn in range(sizes.rounds):
            save_round(rounds, treed, untreed, sizes.commands, untreed_first=turn % 2 == 1)
    finally:
        treed.close()
        untreed.close()
    return rounds


def save_round(
    rounds: Rounds, treed: LedgerApp, untreed: LedgerApp, commands: int, *, untreed_first: bool
) -> None:
    """One-event saves and a save of BATCH events, with and without the tree; the order is
    switched every other round."""
    employees = [new_employee() for _ in range(2 * commands)]
    logs = [measurement_batch(treed, active_plan_seat(treed)) for _ in range(2)]
    measures: list[tuple[str, int, Callable[[], None]]] = [
        ("tree one", commands, lambda: saves(treed, employees[:commands])),
        ("untreed one", commands, lambda: saves(untreed, employees[commands:])),
        ("tree batch", BATCH, lambda: saves(treed, logs[:1])),
        ("untreed batch", BATCH, lambda: saves(untreed, logs[1:])),
    ]
    order = [measures[n] for n in (1, 0, 3, 2)] if untreed_first else measures
    for name, count, run in order:
        rounds.time(name, count, run)


@dataclass(frozen=True)
class ProofRates:
    events: int
    inclusion: float
    consistency: float


def proof_rows(server: DatabaseAddress, settings: Settings, quick: bool, events: int) -> list[Row]:
    address = create_database(server, "ledger_bench_proofs")
    try:
        init_schema(address, settings)
        app = LedgerApp(address, settings)
        try:
            count = 300 if quick else 1_000
            fill(app, events // SMALL_SHARE)
            small = proof_rates(app, count)
            fill(app, events - events // SMALL_SHARE)
            large = proof_rates(app, count)
        finally:
            app.close()
    finally:
        drop_database(server, address)
    rows = []
    for kind in ("inclusion", "consistency"):
        small_rate, large_rate = getattr(small, kind), getattr(large, kind)
        what = f"{kind} proofs (MerkleTree, one connection)"
        rows.append(Row(f"{what}, {small.events:,} events", small_rate, "proofs/s", "-", "-", "-"))
        rows.append(
            Row(
                f"{what}, {large.events:,} events",
                large_rate,
                "proofs/s",
                f"{small.events:,} events",
                f"{large_rate / small_rate:.0%}",
                ">= 80%",
            )
        )
    return rows


def fill(app: LedgerApp, events: int) -> None:
    """``events`` more events through the ledger's append function (chain and tree), in saves of
    FILL_BATCH: filler rows, since the tree sees only their hashes."""
    recorder = app.recorder
    assert isinstance(recorder, LedgerRecorder)
    left = events
    while left > 0:
        batch = min(left, FILL_BATCH)
        recorder.insert_events(
            [StoredEvent(uuid4(), 1, "bench:Filler", STATE) for _ in range(batch)]
        )
        left -= batch


def proof_rates(app: LedgerApp, count: int) -> ProofRates:
    """Proofs for random leaves and random earlier tree sizes against the tree as it is."""
    rng = random.Random(count)
    size = app.tree.size()
    indexes = [rng.randrange(size) for _ in range(count)]
    positions = [app.tree.position_of(index) for index in indexes]
    olds = [rng.randint(1, size - 1) for _ in range(count)]
    inclusion = timed(count, lambda: [app.tree.inclusion(p) for p in positions])
    consistency = timed(count, lambda: [app.tree.consistency(old) for old in olds])
    return ProofRates(size, inclusion, consistency)


def timed(count: int, run: Callable[[], object]) -> float:
    """The best of three runs, in proofs per second."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return count / best
