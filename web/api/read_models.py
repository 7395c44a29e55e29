"""What routes served from the read models share: the pool to read from, and waiting until
a view has reached the position a client wrote at (read-your-writes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from marshmallow import fields, validate
from psycopg.errors import UndefinedTable

from ledger.domain.access import AccessDenied, Action, Role, may
from projections import tracking
from projections import wait_for as view_reached
from projections.queries import Source, ViewBehind
from projections.queries.reading import reading
from web.serving.calls import ledger, principal, settings
from web.serving.problems import PositionNotReached

MAX_POSITION = 2**63 - 1


def source() -> Source:
    """The ledger's connection pool: read models live in the same database."""
    pool: Source = ledger().records.datastore.pool
    return pool


def min_position_field() -> fields.Integer:
    return fields.Integer(
        validate=validate.Range(0, MAX_POSITION),
        metadata={"description": "answer only once the view has reached this position"},
    )


def await_views(views: Sequence[str], position: int | None) -> None:
    """Return once every view is built and has reached ``position`` (if given), waiting a
    bounded time; a view never built, or still behind, is a 409 problem to retry."""
    datastore = ledger().records.datastore
    reached = positions_of(views)
    if position is None or all(reached[view] >= position for view in views):
        return
    if not view_reached(datastore, list(views), position, settings().read_wait_seconds):
        raise PositionNotReached(position, min(positions_of(views).values()))


def positions_of(views: Sequence[str]) -> dict[str, int]:
    """Each view's tracked position; ViewBehind when one was never built."""
    try:
        with reading(source()) as cursor:
            reached = tracking.positions(cursor, list(views))
    except UndefinedTable:
        reached = {}
    missing = sorted(set(views) - set(reached))
    if missing:
        names = ", ".join(missing)
        raise ViewBehind(f"read model(s) {names} not built yet: `ledger projections run` does it")
    return reached


def audited() -> bool:
    """Whether the principal reads the ledger as a whole (admin, hr, auditor)."""
    return may(principal(), Action.AUDIT, None, lambda _: None)


def scope_of_lists(query: dict[str, Any]) -> dict[str, Any]:
    """Lists show a manager their direct reports and an employee themself alone."""
    who = principal()
    if audited():
        return query
    if who.role is Role.MANAGER and who.employee_id is not None:
        return {**query, "manager_id": who.employee_id}
    if who.role is Role.EMPLOYEE and who.employee_id is not None:
        return {**query, "employee_id": who.employee_id}
    raise AccessDenied(f"{who.actor} may not list the ledger's records")
