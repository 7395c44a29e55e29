"""Helpers for the projection tests: writing events, reading the test view, waiting."""

from __future__ import annotations

import secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import psycopg
from psycopg import sql

from ledger.application import LedgerApp
from ledger.commands import Context
from ledger.domain.employee import Profile
from projections import LIVE, RunnerOptions, TableNames

HR = Context(actor="hr:test")
FAST = RunnerOptions(page_size=50, poll_interval=0.2, leadership_poll=0.05, reconnect_delay=0.1)


def new_id(prefix: str = "E") -> str:
    return f"{prefix}{secrets.token_hex(4)}"


def register(app: LedgerApp, count: int) -> list[int]:
    """Register ``count`` employees; the positions of their events."""
    return [
        app.register_employee(HR, new_id(), Profile("Asha", "Sales", "Associate")).position
        for _ in range(count)
    ]


def register_and_promote(app: LedgerApp, count: int) -> list[int]:
    """Two events per employee, of two topics."""
    positions: list[int] = []
    for _ in range(count):
        employee_id = new_id()
        positions.append(
            app.register_employee(HR, employee_id, Profile("Ravi", "Ops", "Analyst")).position
        )
        written = app.change_profile(
            HR,
            employee_id,
            Profile("Ravi", "Ops", "Lead"),
            effective_date=date(2025, 4, 1),
            reason="promoted",
        )
        positions.append(written.position)
    return positions


@dataclass(frozen=True)
class LogContents:
    rows: list[tuple[object, ...]]
    counts: dict[str, int]

    @property
    def positions(self) -> list[int]:
        return [int(str(row[0])) for row in self.rows]

    def without_builder(self) -> LogContents:
        return LogContents([row[:-1] for row in self.rows], self.counts)


def contents(conninfo: str, name: str, tables: TableNames = LIVE) -> LogContents:
    with psycopg.connect(conninfo) as conn:
        rows = conn.execute(
            sql.SQL(
                "SELECT position, recorded_at, event_hash, originator_id, originator_version,"
                " topic, built_by FROM {} ORDER BY position, originator_id"
            ).format(tables[f"{name}_events"])
        ).fetchall()
        counts = conn.execute(
            sql.SQL("SELECT topic, events FROM {}").format(tables[f"{name}_counts"])
        ).fetchall()
    return LogContents(list(rows), {str(topic): int(n) for topic, n in counts})


def ledger_topics(conninfo: str, upto: int | None = None) -> dict[int, str]:
    """Position -> topic of every event in the ledger, up to ``upto``."""
    with psycopg.connect(conninfo) as conn:
        rows = conn.execute(
            "SELECT notification_id, topic FROM ledger_events"
            " WHERE notification_id <= coalesce(%s, notification_id) ORDER BY notification_id",
            (upto,),
        ).fetchall()
    return {int(position): str(topic) for position, topic in rows}


def assert_exactly_the_ledger(log: LogContents, conninfo: str, upto: int | None = None) -> None:
    """Every event up to ``upto`` in the view once, none twice, counts agreeing."""
    topics = ledger_topics(conninfo, upto)
    assert log.positions == list(topics)
    assert log.counts == dict(Counter(topics.values()))


def eventually(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    """Whether ``condition`` holds within ``timeout`` seconds, checked every 20 ms."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True
