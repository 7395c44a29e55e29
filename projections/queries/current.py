"""The latest scorecard from the ``scorecards`` read model whenever it is current.

A projected row equals the application's scorecard at the row's position, hash included
(the read model scores through the same path and stores ``Scorecard.to_dict()``). When the
read model has reached the ledger's head, the row is the latest knowledge and its stored
document is the answer; otherwise the caller computes it from the events instead, so a
reader never sees less than the ledger holds.

The ledger's head, the view's position and the row come from one statement: one round
trip, one snapshot, no transaction around it.
"""

from __future__ import annotations

from functools import cache
from uuid import UUID

from eventsourcing.application import Application
from psycopg import sql
from psycopg.errors import UndefinedTable

from ledger.store.database import EVENTS_TABLE
from projections.schema import SCHEMA, TRACKING_TABLE
from projections.source import ledger_recorder
from projections.view import LIVE
from projections.views.scorecards import SCORECARDS, ScorecardsView

VIEW = ScorecardsView.name


@cache
def latest_statement(schema: str, events_table: str) -> bytes:
    """Head, the view's position and the stored document of one (employee, period), as
    the bytes sent: composed once rather than on every read."""
    statement = sql.SQL(
        "SELECT (SELECT max(notification_id) FROM {events}) AS head,"
        " (SELECT position FROM {tracking} WHERE view_name = %s) AS reached,"
        " (SELECT scorecard::text FROM {scorecards}"
        "   WHERE employee_id = %s AND period = %s) AS document"
    ).format(
        events=sql.Identifier(schema, events_table),
        tracking=sql.Identifier(SCHEMA, TRACKING_TABLE),
        scorecards=LIVE[SCORECARDS.name],
    )
    return statement.as_bytes()


def current_document(app: Application[UUID], employee_id: str, period: str) -> str | None:
    """The projected scorecard of a valid period id as JSON text if the read model is at
    the head, else None."""
    datastore = ledger_recorder(app).datastore
    statement = latest_statement(datastore.schema, EVENTS_TABLE)
    try:
        with datastore.pool.connection() as conn:
            row = conn.execute(statement, (VIEW, employee_id, period)).fetchone()
    except UndefinedTable:
        return None
    if row is None or row["reached"] is None or row["reached"] < (row["head"] or 0):
        return None
    document: str | None = row["document"]
    return document
