"""The template filters: how the pages write instants, numbers, deltas and hashes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from web.pages.formatting import MISSING, delta, instant, number, short_hash
from web.pages.signing import local_path


def test_an_instant_is_written_in_utc_whatever_zone_it_came_in() -> None:
    assert instant("2026-07-01T14:30:00+05:30") == "2026-07-01 09:00:00 UTC"
    india = timezone(timedelta(hours=5, minutes=30))
    assert instant(datetime(2026, 7, 1, 14, 30, tzinfo=india)) == "2026-07-01 09:00:00 UTC"
    assert instant(datetime(2026, 7, 1, 9, 0, tzinfo=UTC)) == "2026-07-01 09:00:00 UTC"


def test_nothing_is_a_dash() -> None:
    assert instant(None) == MISSING
    assert number(None) == MISSING
    assert delta(None) == MISSING
    assert short_hash(None) == MISSING


def test_numbers_are_written_exactly_as_stored() -> None:
    assert number("96.670") == "96.670"
    assert number(Decimal("0.10")) == "0.10"
    assert number(3) == "3"


def test_a_delta_carries_its_sign() -> None:
    assert delta("5.35") == "+5.35"
    assert delta("-0.20") == "-0.20"
    assert delta("0.00") == "0.00"
    assert delta("n/a") == "n/a"


def test_a_long_hash_is_shortened_with_its_algorithm_kept() -> None:
    digest = "ab" * 32
    assert short_hash(f"sha256:{digest}") == f"sha256:{digest[:12]}…"
    assert short_hash("sha256:abc") == "sha256:abc"
    assert short_hash(digest, 8) == f"{digest[:8]}…"


def test_only_paths_of_this_site_are_followed_after_sign_in() -> None:
    assert local_path("/people/E1?x=1") == "/people/E1?x=1"
    assert local_path("/people?") == "/people"
    for elsewhere in (
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:x",
    ):
        assert local_path(elsewhere) == ""
