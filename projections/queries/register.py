"""The target-revision register as the ``target_revisions`` view has it, paged by position."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from typing import Literal

from psycopg import Cursor, sql
from psycopg.rows import DictRow

from projections.queries.reading import Listing, Source, Where, check_limit, reading, select
from projections.views.register import TARGET_REVISIONS, TargetRevisionsView

VIEW = TargetRevisionsView.name
DEFAULT_LIMIT = 100

Kind = Literal["defined", "revised", "adjusted", "removed"]


@dataclass(frozen=True)
class TargetRevisionRow:
    """One KPI definition, revision, adjustment or removal, with what it replaced.

    ``period`` is the quarter a revision is effective from or an adjustment is for, the
    first quarter for a definition, None for a removal. ``previous_*`` is what was in
    force for that period before (None for a first definition); a removal's ``previous_*``
    is the target the KPI carried (its latest revision, else its definition) and its new
    figures are None.
    """

    position: int
    recorded_at: datetime
    employee_id: str
    cycle_id: str
    kra_id: str
    kpi_id: str
    kind: Kind
    period: str | None
    previous_target: Decimal | None
    previous_threshold: Decimal | None
    previous_stretch: Decimal | None
    target: Decimal | None
    threshold: Decimal | None
    stretch: Decimal | None
    actor: str
    reason: str | None
    approved_by: str | None
    event_hash: str


@dataclass(frozen=True)
class RegisterFilter:
    """Rows matching every filter given; recorded in ``[recorded_from, recorded_to)``."""

    cycle_id: str | None = None
    employee_id: str | None = None
    kpi_id: str | None = None
    recorded_from: datetime | None = None
    recorded_to: datetime | None = None

    def where(self) -> Where:
        return (
            Where()
            .equals("cycle_id", self.cycle_id)
            .equals("employee_id", self.employee_id)
            .equals("kpi_id", self.kpi_id)
            .compare("recorded_at", ">=", self.recorded_from)
            .compare("recorded_at", "<", self.recorded_to)
        )


_NAMES = tuple(field.name for field in fields(TargetRevisionRow))
SELECT = select(TARGET_REVISIONS.name, _NAMES)
ORDER = sql.SQL(" ORDER BY position, kpi_id")
_LIMIT = sql.SQL(" LIMIT %s")


def register_row(row: DictRow) -> TargetRevisionRow:
    return TargetRevisionRow(**row)


def target_revisions(
    source: Source,
    filters: RegisterFilter | None = None,
    *,
    after: int | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Listing[TargetRevisionRow, int]:
    """Rows in position order after position ``after``; ``next`` is the position to pass.

    The rows of one event (a KRA removed with its KPIs) never straddle two pages, so a
    page may hold a few rows fewer than ``limit``, or more when one event alone has more.
    """
    check_limit(limit)
    filters = filters or RegisterFilter()
    with reading(source) as cursor:
        found = _rows(cursor, filters.where().compare("position", ">", after), limit + 1)
        if len(found) <= limit:
            return Listing(tuple(found), None)
        last = found[limit - 1].position
        items = found[:limit]
        if found[limit].position == last:
            items = [row for row in items if row.position != last]
        if not items:
            items = _rows(cursor, filters.where().equals("position", last), None)
    return Listing(tuple(items), items[-1].position)


def _rows(cursor: Cursor[DictRow], where: Where, limit: int | None) -> list[TargetRevisionRow]:
    rows = cursor.execute(SELECT + where.clause() + ORDER + _LIMIT, [*where.params, limit])
    return [register_row(row) for row in rows.fetchall()]
