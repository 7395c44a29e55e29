"""Every audit entry or register row up to a fixed position, streamed for an export.

A server-side cursor reads them in batches, so an export of millions of rows holds one
batch at a time. The position bound makes the stream repeatable: the same ``upto`` gives
the same rows, in the same order, once the view has reached it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar
from uuid import uuid4

from psycopg import sql
from psycopg.rows import DictRow, dict_row

from projections import tracking
from projections.errors import ProjectionError
from projections.queries import audit, register
from projections.queries.audit import AuditEntry, AuditFilter
from projections.queries.reading import Source, Where, connection, reading
from projections.queries.register import RegisterFilter, TargetRevisionRow

BATCH = 2000

R = TypeVar("R")


class ViewBehind(ProjectionError):
    """The view has not reached the position an export was asked for yet."""


def stream_audit_trail(
    source: Source, upto: int, filters: AuditFilter | None = None, *, batch: int = BATCH
) -> Iterator[AuditEntry]:
    """The entries up to position ``upto``, in position order.

    Raises ViewBehind when the audit trail has not reached ``upto``.
    """
    where = (filters or AuditFilter()).where().compare("position", "<=", upto)
    statement = audit.SELECT + where.clause() + audit.ORDER
    return _stream(source, audit.VIEW, upto, statement, where, audit.entry, batch)


def stream_target_revisions(
    source: Source, upto: int, filters: RegisterFilter | None = None, *, batch: int = BATCH
) -> Iterator[TargetRevisionRow]:
    """The register's rows up to position ``upto``, in position order.

    Raises ViewBehind when the register has not reached ``upto``.
    """
    where = (filters or RegisterFilter()).where().compare("position", "<=", upto)
    statement = register.SELECT + where.clause() + register.ORDER
    return _stream(source, register.VIEW, upto, statement, where, register.register_row, batch)


def _stream(
    source: Source,
    view: str,
    upto: int,
    statement: sql.Composed,
    where: Where,
    row: Callable[[DictRow], R],
    batch: int,
) -> Iterator[R]:
    with reading(source) as cursor:
        reached = tracking.positions(cursor, [view]).get(view, 0)
    if reached < upto:
        raise ViewBehind(f"view {view} is at position {reached}, not yet at {upto}")
    return _rows(source, statement, where, row, batch)


def _rows(
    source: Source,
    statement: sql.Composed,
    where: Where,
    row: Callable[[DictRow], R],
    batch: int,
) -> Iterator[R]:
    name = f"export_{uuid4().hex}"
    with (
        connection(source) as conn,
        conn.transaction(),
        conn.cursor(name, row_factory=dict_row) as cursor,
    ):
        cursor.itersize = batch
        cursor.execute(statement, where.params)
        yield from map(row, cursor)
