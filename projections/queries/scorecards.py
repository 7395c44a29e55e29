"""Scorecards as the ``scorecards`` view has them: the scoring engine's own Scorecard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psycopg import sql
from psycopg.rows import DictRow

from ledger.scoring import KpiScore, KraScore, Scorecard
from ledger.values import Aggregation, Direction
from projections.queries.documents import decimal, loaded, required_decimal
from projections.queries.reading import (
    DEFAULT_LIMIT,
    Listing,
    Source,
    Where,
    check_limit,
    listing,
    reading,
    select,
)
from projections.views.scorecards import SCORECARDS, ScorecardsView

VIEW = ScorecardsView.name


@dataclass(frozen=True)
class ScorecardRow:
    """A current scorecard, with the employee's department and manager for filtering.

    ``scorecard.position`` is the knowledge it reflects: the application's scorecard at
    that position equals it, hash included.
    """

    scorecard: Scorecard
    department: str | None
    manager_id: str | None

    @property
    def employee_id(self) -> str:
        return self.scorecard.employee_id

    @property
    def period(self) -> str:
        return self.scorecard.period

    @property
    def position(self) -> int:
        position = self.scorecard.position
        assert position is not None
        return position


_SELECT = select(SCORECARDS.name, ("scorecard", "department", "manager_id"))
_ONE = _SELECT + sql.SQL(" WHERE employee_id = %s AND period = %s")
_ORDER = sql.SQL(" ORDER BY employee_id LIMIT %s")
_OF_EMPLOYEE = _SELECT + sql.SQL(" WHERE employee_id = %s ORDER BY period")


def scorecard(source: Source, employee_id: str, period: str) -> ScorecardRow | None:
    with reading(source) as cursor:
        row = cursor.execute(_ONE, (employee_id, period)).fetchone()
    return None if row is None else _row(row)


def scorecards_of(source: Source, employee_id: str) -> list[ScorecardRow]:
    """An employee's current scorecards, one per period, in the order of their periods."""
    with reading(source) as cursor:
        rows = cursor.execute(_OF_EMPLOYEE, (employee_id,)).fetchall()
    return [_row(row) for row in rows]


def scorecards(
    source: Source,
    period: str,
    *,
    department: str | None = None,
    manager_id: str | None = None,
    rating: int | None = None,
    after: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Listing[ScorecardRow, str]:
    """One period's scorecards by employee id, after the ``after`` id."""
    check_limit(limit)
    where = (
        Where()
        .equals("period", period)
        .equals("department", department)
        .equals("manager_id", manager_id)
        .equals("rating", rating)
        .compare("employee_id", ">", after)
    )
    with reading(source) as cursor:
        rows = cursor.execute(_SELECT + where.clause() + _ORDER, [*where.params, limit + 1])
        found = [_row(row) for row in rows.fetchall()]
    return listing(found, limit, lambda row: row.employee_id)


def _row(row: DictRow) -> ScorecardRow:
    card = scorecard_from(loaded(row["scorecard"]))
    return ScorecardRow(card, row["department"], row["manager_id"])


def scorecard_from(document: dict[str, Any]) -> Scorecard:
    """The Scorecard a view stored with ``Scorecard.to_dict()``."""
    return Scorecard(
        employee_id=document["employee_id"],
        cycle_id=document["cycle_id"],
        period=document["period"],
        score=decimal(document["score"]),
        rating=document["rating"],
        rating_label=document["rating_label"],
        complete=document["complete"],
        kras=tuple(_kra(kra) for kra in document["kras"]),
        position=document["position"],
        as_of=document["as_of"],
    )


def _kra(document: dict[str, Any]) -> KraScore:
    return KraScore(
        kra_id=document["kra_id"],
        title=document["title"],
        weight=required_decimal(document["weight"]),
        score=decimal(document["score"]),
        kpis=tuple(_kpi(kpi) for kpi in document["kpis"]),
    )


def _kpi(document: dict[str, Any]) -> KpiScore:
    return KpiScore(
        kpi_id=document["kpi_id"],
        name=document["name"],
        unit=document["unit"],
        direction=Direction(document["direction"]),
        aggregation=Aggregation(document["aggregation"]),
        weight=required_decimal(document["weight"]),
        target=required_decimal(document["target"]),
        threshold=decimal(document["threshold"]),
        stretch=decimal(document["stretch"]),
        actual=decimal(document["actual"]),
        achievement=decimal(document["achievement"]),
        measurement_count=document["measurement_count"],
    )
