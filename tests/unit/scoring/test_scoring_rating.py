from __future__ import annotations

from decimal import Decimal

from ledger.scoring import band_for
from ledger.values import DEFAULT_RATING_SCALE, RatingBand


def rating(score: str | None) -> int | None:
    band = band_for(None if score is None else Decimal(score), DEFAULT_RATING_SCALE)
    return None if band is None else band.rating


def test_the_rating_is_the_highest_band_reached() -> None:
    assert rating("96.67") == 3
    assert rating("100") == 4
    assert rating("150") == 5


def test_a_band_starts_at_its_minimum_score() -> None:
    assert rating("60") == 2
    assert rating("59.99") == 1


def test_the_rating_uses_the_score_rounded_to_two_places() -> None:
    assert rating("79.995") == 3
    assert rating("79.994999") == 2


def test_no_score_has_no_rating() -> None:
    assert rating(None) is None


def test_a_score_below_every_band_has_no_rating() -> None:
    scale = (RatingBand(Decimal(50), 1, "Low"),)

    assert band_for(Decimal("49.99"), scale) is None


def test_the_order_of_the_bands_in_the_scale_does_not_matter() -> None:
    scale = tuple(reversed(DEFAULT_RATING_SCALE))

    band = band_for(Decimal("85"), scale)

    assert band == RatingBand(Decimal(80), 3, "Meets expectations")
