"""Reviews as the ``reviews`` view has them: status and every revision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from psycopg import sql

from ledger.domain.review import ReviewStatus
from projections.queries.documents import decimal, loaded
from projections.queries.reading import Source, reading, select
from projections.views.reviews import REVIEWS, ReviewsView

VIEW = ReviewsView.name


@dataclass(frozen=True)
class ReviewRevisionRow:
    """One finalisation: its scorecard's position, score and ratings, and what followed."""

    revision: int
    position: int
    """The position of the knowledge its scorecard reflects."""
    score: Decimal | None
    computed_rating: int | None
    final_rating: int | None
    scorecard_hash: str
    finalized_by: str
    recorded_at: datetime
    finalized_position: int
    """The position of the finalisation itself."""
    comments: str
    plan_version: int
    measurements_version: int | None
    cycle_version: int
    calibration_reason: str | None
    calibrated_by: str | None
    reopen_reason: str | None
    reopened_by: str | None


@dataclass(frozen=True)
class ReviewRow:
    employee_id: str
    cycle_id: str
    period: str
    status: ReviewStatus
    version: int
    position: int
    """The position of the review's last event."""
    revisions: tuple[ReviewRevisionRow, ...]


_COLUMNS = ("employee_id", "cycle_id", "period", "status", "version", "position", "revisions")
_SELECT = select(REVIEWS.name, _COLUMNS)
_ONE = _SELECT + sql.SQL(" WHERE employee_id = %s AND period = %s")


def review(source: Source, employee_id: str, period: str) -> ReviewRow | None:
    with reading(source) as cursor:
        row = cursor.execute(_ONE, (employee_id, period)).fetchone()
    if row is None:
        return None
    revisions = tuple(_revision(document) for document in loaded(row["revisions"]))
    return ReviewRow(**{**row, "revisions": revisions})


def _revision(document: dict[str, Any]) -> ReviewRevisionRow:
    return ReviewRevisionRow(
        **{
            **document,
            "score": decimal(document["score"]),
            "recorded_at": datetime.fromisoformat(document["recorded_at"]),
        }
    )
