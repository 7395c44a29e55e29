"""The rating band an overall score falls into."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ledger.scoring.precision import reported
from ledger.values import RatingBand


def band_for(score: Decimal | None, scale: Iterable[RatingBand]) -> RatingBand | None:
    """The band with the highest ``min_score`` at or below ``score`` rounded to 2 places;
    None when there is no score or it lies below every band."""
    if score is None:
        return None
    rounded = reported(score)
    reached = (band for band in scale if band.min_score <= rounded)
    return max(reached, key=_floor, default=None)


def _floor(band: RatingBand) -> Decimal:
    return band.min_score
