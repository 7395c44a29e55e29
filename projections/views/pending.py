"""Scorecards a rebuild has reached but not scored yet.

A rebuild replays months of events in which the same plans are reached page after page;
scoring them at every page would score each plan as often as it has pages. While the
view builds shadow tables, a page only notes in ``scorecards_pending`` the periods its
events reached, each with the last event that reached it, in the page's transaction.
Before the swap, each noted plan is scored once, from the aggregates as the rebuild left
them: a row stands at the last event that could change it, so the scorecard then is the
scorecard at that event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from psycopg import Cursor, sql
from psycopg.rows import DictRow

from ledger.periods import parse_period
from projections.view import TableNames
from projections.views.pairs import Pair
from projections.views.reach import Positions
from projections.views.tables import Column, Index, Table, upsert

PENDING = Table(
    "scorecards_pending",
    columns=(
        Column("employee_id", "text"),
        Column("cycle_id", "text"),
        Column("period", "text"),
        Column("position", "bigint", required=True),
    ),
    key=("employee_id", "cycle_id", "period"),
    indexes=(Index("scorecards_pending_by_cycle", ("cycle_id", "employee_id")),),
)
SETTLED_AT_ONCE = 25
"""Plans scored per transaction when a rebuild settles what it noted."""


@dataclass(frozen=True)
class Statements:
    pairs_of_cycles: sql.Composed
    batch: sql.Composed
    forget: sql.Composed


@cache
def statements(tables: TableNames, scorecards: str) -> Statements:
    names = {"pending": tables[PENDING.name], "scorecards": tables[scorecards]}
    return Statements(
        pairs_of_cycles=sql.SQL(
            "SELECT employee_id, cycle_id FROM {pending} WHERE cycle_id = ANY(%(cycles)s)"
            " UNION SELECT employee_id, cycle_id FROM {scorecards}"
            " WHERE cycle_id = ANY(%(cycles)s) ORDER BY cycle_id, employee_id"
        ).format(**names),
        batch=sql.SQL(
            "SELECT employee_id, cycle_id, period, position FROM {pending}"
            " WHERE (employee_id, cycle_id) IN (SELECT DISTINCT employee_id, cycle_id"
            " FROM {pending} ORDER BY cycle_id, employee_id LIMIT %s)"
        ).format(**names),
        forget=sql.SQL(
            "DELETE FROM {pending} WHERE (employee_id, cycle_id) IN"
            " (SELECT * FROM unnest(%s::text[], %s::text[]))"
        ).format(**names),
    )


def note(cursor: Cursor[DictRow], tables: TableNames, reached: dict[Pair, Positions]) -> None:
    """Note the periods reached, each at the last event that reached it so far."""
    rows = [
        (pair.employee_id, pair.cycle_id, period.id, position)
        for pair, positions in reached.items()
        for period, position in positions.items()
    ]
    upsert(cursor, PENDING, tables, rows)


def pairs_of_cycles(
    cursor: Cursor[DictRow], tables: TableNames, scorecards: str, cycle_ids: Iterable[str]
) -> list[Pair]:
    """The plans of the cycles that have a scorecard or a noted period."""
    statement = statements(tables, scorecards).pairs_of_cycles
    rows = cursor.execute(statement, {"cycles": list(cycle_ids)}).fetchall()
    return [Pair(row["employee_id"], row["cycle_id"]) for row in rows]


def next_batch(
    cursor: Cursor[DictRow], tables: TableNames, scorecards: str
) -> dict[Pair, Positions]:
    """The noted periods of the next plans to score (none: all scored)."""
    statement = statements(tables, scorecards).batch
    reached: dict[Pair, Positions] = {}
    for row in cursor.execute(statement, (SETTLED_AT_ONCE,)).fetchall():
        pair = Pair(row["employee_id"], row["cycle_id"])
        reached.setdefault(pair, {})[parse_period(row["period"])] = row["position"]
    return reached


def forget(
    cursor: Cursor[DictRow], tables: TableNames, scorecards: str, pairs: Iterable[Pair]
) -> None:
    chosen = list(pairs)
    employees = [pair.employee_id for pair in chosen]
    cycles = [pair.cycle_id for pair in chosen]
    cursor.execute(statements(tables, scorecards).forget, (employees, cycles))
