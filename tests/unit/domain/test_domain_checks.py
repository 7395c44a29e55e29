from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ledger.domain.checks import check_instant, check_text
from ledger.errors import InvalidInput
from ledger.periods import Period, parse_period


def test_an_instant_is_taken_in_utc() -> None:
    instant = datetime.fromisoformat("2026-07-01T11:00:00+02:00")
    assert check_instant(instant, "as_of") == datetime(2026, 7, 1, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+00:01", "2026-07-01T09:00:00"],
    ids=["in the year 10000 in UTC", "in the year 0 in UTC", "without a time zone"],
)
def test_an_instant_utc_cannot_hold_or_without_a_zone_is_refused_naming_the_field(
    text: str,
) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_instant(datetime.fromisoformat(text), "recorded_to")
    assert "recorded_to" in refused.value.fields


@pytest.mark.parametrize("text", ["a\x00b", "a\ud800b"], ids=["NUL", "a lone surrogate"])
def test_a_text_postgresql_cannot_hold_is_refused_naming_the_field(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_text(text, "note")
    assert "note" in refused.value.fields


def test_a_period_is_a_cycle_key_with_an_optional_quarter() -> None:
    assert parse_period("FY2026-Q3") == Period("FY2026", 3)
    assert parse_period("FY2026") == Period("FY2026")


@pytest.mark.parametrize("period_id", ["\x00", "FY 2026-Q1", "-Q1"])
def test_a_period_whose_cycle_is_no_key_is_refused(period_id: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_period(period_id)
    assert "period" in refused.value.fields
