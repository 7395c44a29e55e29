"""The latest scorecard from the ``scorecards`` read model whenever it is current.

A projected row equals the application's scorecard at the row's position, hash included
(the read model scores through the same path). When the read model has reached the
ledger's head, the row is the latest knowledge and one indexed read serves it; otherwise
the caller computes it from the events instead, so a reader never sees less than the
ledger holds.
"""

from __future__ import annotations

from psycopg.errors import UndefinedTable

from ledger.application import LedgerApp
from ledger.periods import parse_period
from ledger.scoring import Scorecard
from projections import tracking
from projections.queries import scorecard as projected_row
from projections.queries.reading import reading
from projections.views import ScorecardsView

VIEW = ScorecardsView.name


def current_scorecard(app: LedgerApp, employee_id: str, period_id: str) -> Scorecard | None:
    """The projected scorecard if the read model is at the head, else None."""
    pool = app.records.datastore.pool
    head = app.head_position()
    try:
        with reading(pool) as cursor:
            reached = tracking.positions(cursor, [VIEW]).get(VIEW, -1)
    except UndefinedTable:
        return None
    if reached < head:
        return None
    row = projected_row(pool, employee_id, parse_period(period_id).id)
    return None if row is None else row.scorecard
