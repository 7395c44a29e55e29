"""``reviews``: one row per review with its status and every revision, rating history included."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from psycopg import Cursor
from psycopg.rows import DictRow

from ledger.domain.personal import ERASURE_TOPIC
from ledger.domain.review import Review
from projections.view import PositionedEvent, Statement, TableNames, View
from projections.views.documents import Json, dumps, instant, plain
from projections.views.erasure import PersonalColumns, erase_rows, erased_in
from projections.views.tables import Column, Index, Table, rows_where, upsert
from projections.views.topics import topics_of

REVIEWS = Table(
    "reviews",
    columns=(
        Column("employee_id", "text"),
        Column("period", "text"),
        Column("cycle_id", "text", required=True),
        Column("review_uuid", "uuid", required=True),
        Column("status", "text", required=True),
        Column("revisions", "jsonb", required=True),
        Column("version", "integer", required=True),
        Column("position", "bigint", required=True),
    ),
    key=("employee_id", "period"),
    unique=(Index("reviews_by_uuid", ("review_uuid",)),),
    indexes=(Index("reviews_by_cycle", ("cycle_id", "employee_id")),),
)

Revision = dict[str, Json]


@dataclass(frozen=True)
class ReviewRecord:
    """A row of ``reviews``; ``revisions`` as the JSON documents the row stores."""

    employee_id: str
    period: str
    cycle_id: str
    review_uuid: UUID
    status: str
    revisions: tuple[Revision, ...]
    version: int
    position: int

    def row(self) -> tuple[object, ...]:
        return (
            self.employee_id,
            self.period,
            self.cycle_id,
            self.review_uuid,
            self.status,
            dumps(list(self.revisions)),
            self.version,
            self.position,
        )

    def amended(self, revision: int, **changes: Json) -> tuple[Revision, ...]:
        """The revisions, with ``revision`` changed."""
        return tuple(
            {**document, **changes} if document["revision"] == revision else document
            for document in self.revisions
        )


def finalized(event: PositionedEvent, final: Review.Finalized) -> Revision:
    return {
        "revision": final.revision,
        "position": final.position,
        "score": plain(final.score),
        "computed_rating": final.computed_rating,
        "final_rating": final.computed_rating,
        "scorecard_hash": final.scorecard_hash,
        "finalized_by": final.actor,
        "recorded_at": instant(event.recorded_at),
        "finalized_position": event.position,
        "comments": final.comments,
        "plan_version": final.plan_version,
        "measurements_version": final.measurements_version,
        "cycle_version": final.cycle_version,
        "calibration_reason": None,
        "calibrated_by": None,
        "reopen_reason": None,
        "reopened_by": None,
    }


def applied(record: ReviewRecord | None, event: PositionedEvent) -> ReviewRecord:
    """The row after one event of the review."""
    stamp: dict[str, Any] = {"version": event.originator_version, "position": event.position}
    match event.event:
        case Review.Opened() as opened:
            return ReviewRecord(
                employee_id=opened.employee_id,
                period=opened.period_id,
                cycle_id=opened.cycle_id,
                review_uuid=event.originator_id,
                status="open",
                revisions=(),
                **stamp,
            )
        case Review.Finalized() as final:
            assert record is not None
            revisions = (*record.revisions, finalized(event, final))
            return replace(record, status="finalized", revisions=revisions, **stamp)
        case Review.Calibrated() as calibrated:
            assert record is not None
            revisions = record.amended(
                calibrated.revision,
                final_rating=calibrated.rating,
                calibration_reason=calibrated.reason,
                calibrated_by=calibrated.actor,
            )
            return replace(record, revisions=revisions, **stamp)
        case Review.Reopened() as reopened:
            assert record is not None
            revisions = record.amended(
                reopened.revision, reopen_reason=reopened.reason, reopened_by=reopened.actor
            )
            return replace(record, status="open", revisions=revisions, **stamp)
    raise TypeError(f"not an event of a review: {event.topic}")


def current(
    cursor: Cursor[DictRow], tables: TableNames, page: Sequence[PositionedEvent]
) -> dict[UUID, ReviewRecord]:
    """The rows as they stand before the page, of the reviews it changes."""
    ids = {event.originator_id for event in page if event.originator_version > 1}
    rows = rows_where(cursor, REVIEWS, tables, "review_uuid", ids)
    return {
        row["review_uuid"]: ReviewRecord(**{**row, "revisions": tuple(_documents(row))})
        for row in rows
    }


def _documents(row: DictRow) -> list[Revision]:
    revisions = row["revisions"]
    documents: list[Revision] = json.loads(revisions) if isinstance(revisions, str) else revisions
    return documents


REVIEWS_PERSONAL = PersonalColumns(
    REVIEWS.name,
    key=("employee_id", "period"),
    json={"revisions": frozenset({"comments", "calibration_reason", "reopen_reason"})},
)


class ReviewsView(View):
    name = "reviews"
    version = 2
    tables = (REVIEWS.name,)
    topics = (*topics_of(Review), ERASURE_TOPIC)

    def ddl(self, tables: TableNames) -> Sequence[Statement]:
        return REVIEWS.ddl(tables)

    def apply(
        self, cursor: Cursor[DictRow], page: Sequence[PositionedEvent], tables: TableNames
    ) -> None:
        erased = erased_in(page)
        page = [event for event in page if event.topic != ERASURE_TOPIC]
        records = current(cursor, tables, page)
        for event in page:
            records[event.originator_id] = applied(records.get(event.originator_id), event)
        upsert(cursor, REVIEWS, tables, [record.row() for record in records.values()])
        for employee_id in erased:
            erase_rows(cursor, tables, REVIEWS_PERSONAL, employee_id)
