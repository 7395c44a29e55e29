"""The ends of an explanation: a position, an instant, or a review revision."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ledger.domain.checks import check_instant
from ledger.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from ledger.application import LedgerApp
    from ledger.explanation.subject import Subject


@dataclass(frozen=True)
class Revision:
    """A revision of the period's review; it stands for the position its scorecard pinned."""

    number: int


Point = int | datetime | Revision
"""A position, an instant (the last position recorded at or before it) or a revision."""

_POSITION = re.compile(r"[0-9]{1,18}")
_REVISION = re.compile(r"(?:r|rev|revision)[:-]?([1-9][0-9]{0,8})", re.IGNORECASE)


def parse_point(text: str, field: str) -> Point:
    """``120`` is a position, ``r2`` or ``revision:2`` a review revision, and anything else
    an ISO 8601 instant with a time zone. Raises InvalidInput naming ``field``."""
    text = text.strip()
    if _POSITION.fullmatch(text):
        return int(text)
    revision = _REVISION.fullmatch(text)
    if revision:
        return Revision(int(revision[1]))
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        message = (
            "must be a position (120), a review revision (r2) or an instant with a time zone"
            " (2026-07-01T09:00:00Z)"
        )
        raise InvalidInput(f"{field} {message}", {field: message})
    return check_instant(instant, field)


def resolve_point(app: LedgerApp, subject: Subject, point: Point, field: str) -> int:
    """The position ``point`` stands for; InvalidInput or NotFound naming ``field``."""
    if isinstance(point, Revision):
        return _revision_position(app, subject, point)
    if isinstance(point, datetime):
        if point.tzinfo is None:
            message = "an instant needs a time zone (e.g. 2026-07-01T09:00:00Z)"
            raise InvalidInput(f"{field}: {message}", {field: message})
        return app.records.position_at(point)
    if isinstance(point, bool) or not isinstance(point, int):
        raise TypeError(f"{field} must be a position, an instant or a Revision")
    head = app.head_position()
    if not 0 <= point <= head:
        message = f"must lie between 0 and the ledger's head, {head}"
        raise InvalidInput(f"{field} position {message}", {field: message})
    return point


def _revision_position(app: LedgerApp, subject: Subject, point: Revision) -> int:
    review = app.review(subject.employee_id, subject.period.id)
    for revision in review.revisions:
        if revision.revision == point.number:
            return revision.position
    raise NotFound(f"review {review.period_id} has no revision {point.number}")
