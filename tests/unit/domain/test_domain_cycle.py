from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.application import Application

from ledger.domain import ReviewCycle
from ledger.errors import InvalidInput, LedgerError
from ledger.ids import cycle_uuid
from ledger.values import DEFAULT_ACHIEVEMENT_CAP, DEFAULT_RATING_SCALE, RatingBand

ACTOR = "hr:priya"
APRIL = date(2025, 4, 1)
THREE_BANDS = [
    RatingBand(Decimal(0), 1, "Below"),
    RatingBand(Decimal(75), 2, "Meets"),
    RatingBand(Decimal("110.5"), 3, "Above"),
]


def open_cycle(**overrides: Any) -> ReviewCycle:
    arguments: dict[str, Any] = {"name": "FY 2026", "start_date": APRIL, "actor": ACTOR}
    return ReviewCycle.open("FY2026", **(arguments | overrides))


def test_opening_a_cycle_records_twelve_months_and_the_default_policy() -> None:
    cycle = open_cycle()

    (opened,) = cycle.collect_events()
    assert isinstance(opened, ReviewCycle.Opened)
    assert cycle.id == cycle_uuid("FY2026")
    assert (opened.start_date, opened.end_date) == (APRIL, date(2026, 3, 31))
    assert opened.achievement_cap == DEFAULT_ACHIEVEMENT_CAP
    assert opened.rating_scale == list(DEFAULT_RATING_SCALE)
    assert opened.actor == ACTOR
    assert cycle.rating_scale == DEFAULT_RATING_SCALE


def test_a_cycle_is_divided_into_four_quarters_from_its_start() -> None:
    cycle = open_cycle()

    assert cycle.period_ids == ("FY2026-Q1", "FY2026-Q2", "FY2026-Q3", "FY2026-Q4")
    assert cycle.quarter_of(date(2025, 10, 1)) == 3
    assert cycle.quarter_bounds(4) == (date(2026, 1, 1), date(2026, 3, 31))


def test_a_day_names_the_period_of_its_quarter_and_none_outside_the_cycle() -> None:
    cycle = open_cycle()

    assert cycle.period_of(date(2025, 4, 1)) == "FY2026-Q1"
    assert cycle.period_of(date(2025, 9, 30)) == "FY2026-Q2"
    assert cycle.period_of(date(2026, 3, 31)) == "FY2026-Q4"
    assert cycle.period_of(date(2026, 4, 1)) is None


def test_the_last_cycle_there_can_be_starts_in_january_9999_and_ends_on_its_last_day() -> None:
    cycle = open_cycle(start_date=date(9999, 1, 1))

    assert cycle.end_date == date.max
    assert cycle.quarter_bounds(4) == (date(9999, 10, 1), date.max)
    assert cycle.quarter_of(date.max) == 4


def test_a_cycle_contains_the_days_from_its_start_to_its_end() -> None:
    cycle = open_cycle()

    assert cycle.contains(APRIL)
    assert cycle.contains(date(2026, 3, 31))
    assert not cycle.contains(date(2025, 3, 31))
    assert not cycle.contains(date(2026, 4, 1))


def test_a_cycle_may_state_its_end_date_and_its_own_policy() -> None:
    cycle = open_cycle(
        end_date=date(2026, 3, 31), achievement_cap=Decimal(120), rating_scale=THREE_BANDS
    )
    assert cycle.achievement_cap == Decimal(120)
    assert cycle.rating_scale == tuple(THREE_BANDS)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"start_date": date(2025, 4, 2)}, "start_date"),
        ({"start_date": date(9999, 2, 1)}, "start_date"),
        ({"end_date": date(2026, 4, 1)}, "end_date"),
        ({"end_date": date(2025, 12, 31)}, "end_date"),
        ({"name": " "}, "name"),
        ({"name": "FY\x002026"}, "name"),
        ({"achievement_cap": Decimal("99.99")}, "achievement_cap"),
        ({"achievement_cap": Decimal("NaN")}, "achievement_cap"),
        ({"rating_scale": []}, "rating_scale"),
        ({"rating_scale": [RatingBand(Decimal(10), 1, "Low")]}, "rating_scale"),
        ({"rating_scale": [*THREE_BANDS[:2], RatingBand(Decimal(75), 3, "Same")]}, "rating_scale"),
        ({"rating_scale": [*THREE_BANDS[:2], RatingBand(Decimal(50), 3, "Lower")]}, "rating_scale"),
        ({"rating_scale": [*THREE_BANDS[:2], RatingBand(Decimal(90), 2, "Dup")]}, "rating_scale"),
        ({"rating_scale": [*THREE_BANDS[:2], RatingBand(Decimal(90), 3, "")]}, "rating_scale"),
    ],
    ids=[
        "a start that is not the first of a month",
        "a start whose twelve months end after 9999",
        "an end after twelve months",
        "an end before twelve months",
        "a blank name",
        "a name with a NUL character",
        "a cap below 100",
        "a cap that is not a number",
        "an empty rating scale",
        "a scale whose first band does not start at 0",
        "two bands with the same min_score",
        "min_scores that decrease",
        "two bands with the same rating",
        "a band without a label",
    ],
)
def test_opening_a_malformed_cycle_is_refused_naming_the_field(
    overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        open_cycle(**overrides)
    assert field in refused.value.fields


@pytest.mark.parametrize("cycle_id", ["FY 2026", "FY2026-Q3"], ids=["malformed", "a quarter"])
def test_opening_a_cycle_whose_id_is_not_a_cycle_key_is_refused(cycle_id: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        ReviewCycle.open(cycle_id, name="FY 2026", start_date=APRIL, actor=ACTOR)
    assert "cycle_id" in refused.value.fields


def test_revising_the_policy_records_what_changes_with_the_reason(cycle: ReviewCycle) -> None:
    changed = cycle.revise_policy(
        achievement_cap=Decimal(200), reason="stretch goals pay off", actor=ACTOR
    )

    assert changed == ["achievement_cap"]
    (revised,) = cycle.collect_events()
    assert isinstance(revised, ReviewCycle.PolicyRevised)
    assert (revised.achievement_cap, revised.rating_scale) == (Decimal(200), None)
    assert revised.reason == "stretch goals pay off"
    assert cycle.achievement_cap == Decimal(200)
    assert cycle.rating_scale == DEFAULT_RATING_SCALE


def test_revising_the_rating_scale_replaces_it_whole(cycle: ReviewCycle) -> None:
    cycle.revise_policy(rating_scale=THREE_BANDS, reason="simpler scale", actor=ACTOR)
    assert cycle.rating_scale == tuple(THREE_BANDS)


def test_revising_the_policy_to_what_it_is_records_nothing(cycle: ReviewCycle) -> None:
    unchanged = cycle.revise_policy(
        achievement_cap=DEFAULT_ACHIEVEMENT_CAP,
        rating_scale=DEFAULT_RATING_SCALE,
        reason="no-op",
        actor=ACTOR,
    )
    assert unchanged == []
    assert cycle.collect_events() == []


REFUSALS: list[Any] = [
    pytest.param(
        lambda c: c.revise_policy(reason="nothing", actor=ACTOR),
        InvalidInput,
        id="a revision naming neither cap nor scale",
    ),
    pytest.param(
        lambda c: c.revise_policy(achievement_cap=Decimal(160), reason=None, actor=ACTOR),
        InvalidInput,
        id="a revision without a reason",
    ),
    pytest.param(
        lambda c: c.revise_policy(achievement_cap=Decimal(50), reason="lower", actor=ACTOR),
        InvalidInput,
        id="a revision to a cap below 100",
    ),
    pytest.param(
        lambda c: c.revise_policy(rating_scale=THREE_BANDS[1:], reason="r", actor=ACTOR),
        InvalidInput,
        id="a revision to a scale not starting at 0",
    ),
    pytest.param(
        lambda c: c.revise_policy(achievement_cap=Decimal(160), reason="r", actor=""),
        InvalidInput,
        id="a revision without an actor",
    ),
]


@pytest.mark.parametrize(("command", "error"), REFUSALS)
def test_a_refused_policy_revision_raises_its_error_and_records_nothing(
    cycle: ReviewCycle, command: Callable[[ReviewCycle], object], error: type[LedgerError]
) -> None:
    with pytest.raises(error):
        command(cycle)
    assert cycle.collect_events() == []
    assert cycle.version == 1


def test_a_cycle_survives_storage_and_earlier_versions_stay_readable(
    store: Application[UUID], cycle: ReviewCycle
) -> None:
    cycle.revise_policy(
        achievement_cap=Decimal("175.5"), rating_scale=THREE_BANDS, reason="r", actor=ACTOR
    )
    store.save(cycle)

    assert store.repository.get(cycle.id) == cycle
    first: ReviewCycle = store.repository.get(cycle.id, version=1)
    assert first.achievement_cap == DEFAULT_ACHIEVEMENT_CAP
    assert first.rating_scale == DEFAULT_RATING_SCALE
