"""ReviewCycle: twelve months in four quarters, with the policy its scores are rated by."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import NoReturn
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.checks import (
    check_actor,
    check_date,
    check_number,
    check_text,
    require_reason,
)
from ledger.domain.topics import explicit_topics
from ledger.errors import InvalidInput
from ledger.ids import check_key, cycle_uuid
from ledger.periods import (
    LAST_CYCLE_START,
    QUARTERS,
    Period,
    cycle_end,
    parse_period,
    quarter_bounds,
    quarter_id,
    quarter_of,
)
from ledger.values import (
    DEFAULT_ACHIEVEMENT_CAP,
    DEFAULT_RATING_SCALE,
    RatingBand,
)

MIN_ACHIEVEMENT_CAP = Decimal(100)


@explicit_topics("ReviewCycle")
class ReviewCycle(Aggregate):
    """A review cycle such as FY2026, opened once; its policy may be revised with a reason."""

    class Event(Aggregate.Event):
        actor: str

    class Opened(Event, Aggregate.Created):
        cycle_id: str
        name: str
        start_date: date
        end_date: date
        achievement_cap: Decimal
        rating_scale: list[RatingBand]

    class PolicyRevised(Event):
        achievement_cap: Decimal | None
        """The new cap, or None when it stays."""
        rating_scale: list[RatingBand] | None
        """The whole new scale, or None when it stays."""
        reason: str

        def apply(self, cycle: ReviewCycle) -> None:
            if self.achievement_cap is not None:
                cycle.achievement_cap = self.achievement_cap
            if self.rating_scale is not None:
                cycle.rating_scale = tuple(self.rating_scale)

    @staticmethod
    def create_id(cycle_id: str) -> UUID:
        return cycle_uuid(cycle_id)

    def __init__(
        self,
        cycle_id: str,
        name: str,
        start_date: date,
        end_date: date,
        achievement_cap: Decimal,
        rating_scale: list[RatingBand],
    ) -> None:
        self.cycle_id = cycle_id
        self.name = name
        self.start_date = start_date
        self.end_date = end_date
        self.achievement_cap = achievement_cap
        self.rating_scale = tuple(rating_scale)

    @classmethod
    def open(
        cls,
        cycle_id: str,
        *,
        name: str,
        start_date: date,
        end_date: date | None = None,
        achievement_cap: Decimal = DEFAULT_ACHIEVEMENT_CAP,
        rating_scale: Sequence[RatingBand] = DEFAULT_RATING_SCALE,
        actor: str,
    ) -> ReviewCycle:
        """Opens a cycle; ``end_date`` defaults to twelve months after ``start_date``.

        Raises InvalidInput for a malformed key or name, a start that is not the first of a
        month, another end date, a cap below 100 or a malformed rating scale.
        """
        check_cycle_id(cycle_id)
        check_start_date(start_date)
        expected_end = cycle_end(start_date)
        if end_date is not None and check_date(end_date, "end_date") != expected_end:
            message = f"must be {expected_end.isoformat()}, twelve months after the start"
            raise InvalidInput(f"end_date {message}", {"end_date": message})
        return cls._create(
            cls.Opened,
            cycle_id=cycle_id,
            name=check_text(name, "name"),
            start_date=start_date,
            end_date=expected_end,
            achievement_cap=check_achievement_cap(achievement_cap),
            rating_scale=check_rating_scale(rating_scale),
            actor=check_actor(actor),
        )

    @property
    def period_ids(self) -> tuple[str, ...]:
        """The quarters of this cycle, ``FY2026-Q1`` .. ``FY2026-Q4``."""
        return tuple(Period(self.cycle_id, quarter).id for quarter in QUARTERS)

    def contains(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date

    def quarter_of(self, day: date) -> int:
        """The quarter (1..4) containing ``day``; InvalidInput outside the cycle."""
        if not self.contains(day):
            message = f"{day.isoformat()} is outside cycle {self.cycle_id}"
            raise InvalidInput(message, {"effective_date": message})
        return quarter_of(self.start_date, day)

    def period_of(self, day: date) -> str | None:
        """The id of the quarter containing ``day`` (``FY2026-Q2``); None outside the cycle.

        The period a measurement, its correction or its void concerns, wherever it is named.
        """
        if not self.contains(day):
            return None
        return quarter_id(self.cycle_id, quarter_of(self.start_date, day))

    def quarter_bounds(self, quarter: int) -> tuple[date, date]:
        return quarter_bounds(self.start_date, quarter)

    def revise_policy(
        self,
        *,
        achievement_cap: Decimal | None = None,
        rating_scale: Sequence[RatingBand] | None = None,
        reason: str | None,
        actor: str,
    ) -> list[str]:
        """Records the parts of the policy that differ and returns their names.

        Nothing is recorded when both equal the policy in force. Raises InvalidInput when
        neither is given, either is malformed, or the reason is missing.
        """
        actor = check_actor(actor)
        if achievement_cap is None and rating_scale is None:
            message = "give an achievement_cap, a rating_scale or both"
            raise InvalidInput(message, {"achievement_cap": message, "rating_scale": message})
        new_cap = None if achievement_cap is None else check_achievement_cap(achievement_cap)
        new_scale = None if rating_scale is None else check_rating_scale(rating_scale)
        if new_cap == self.achievement_cap:
            new_cap = None
        if new_scale is not None and tuple(new_scale) == self.rating_scale:
            new_scale = None
        if new_cap is None and new_scale is None:
            return []
        self.trigger_event(
            self.PolicyRevised,
            achievement_cap=new_cap,
            rating_scale=new_scale,
            reason=require_reason(reason),
            actor=actor,
        )
        changed = {"achievement_cap": new_cap, "rating_scale": new_scale}
        return [name for name, value in changed.items() if value is not None]


def check_cycle_id(cycle_id: str) -> None:
    """A key that cannot be read as a quarter: ``FY2026-Q3`` names a period, not a cycle."""
    if parse_period(check_key(cycle_id, "cycle_id")).quarter is not None:
        message = "must not end in -Q1 .. -Q4, which names a quarter"
        raise InvalidInput(f"cycle_id {message}", {"cycle_id": message})


def check_start_date(start_date: date) -> None:
    if check_date(start_date, "start_date").day != 1:
        message = "must be the first day of a month"
        raise InvalidInput(f"start_date {message}", {"start_date": message})
    if start_date > LAST_CYCLE_START:
        message = (
            f"must be {LAST_CYCLE_START.isoformat()} or earlier,"
            f" so that the cycle's twelve months end by {date.max.isoformat()}"
        )
        raise InvalidInput(f"start_date {message}", {"start_date": message})


def check_achievement_cap(cap: Decimal) -> Decimal:
    check_number(cap, "achievement_cap")
    if cap < MIN_ACHIEVEMENT_CAP:
        message = f"must be at least {MIN_ACHIEVEMENT_CAP}"
        raise InvalidInput(f"achievement_cap {message}", {"achievement_cap": message})
    return cap


def check_rating_scale(scale: Sequence[RatingBand]) -> list[RatingBand]:
    """Bands from a min_score of 0 upward, min_scores and ratings strictly increasing."""
    bands = list(scale)
    if not bands or not all(isinstance(band, RatingBand) for band in bands):
        _refuse_scale("must be a non-empty list of bands")
    for band in bands:
        check_number(band.min_score, "rating_scale")
        if type(band.rating) is not int:
            _refuse_scale("each band needs an integer rating")
    checked = [
        RatingBand(band.min_score, band.rating, check_text(band.label, "rating_scale"))
        for band in bands
    ]
    if checked[0].min_score != 0:
        _refuse_scale("the first band must start at a min_score of 0")
    for lower, upper in pairwise(checked):
        if upper.min_score <= lower.min_score:
            _refuse_scale("min_scores must be strictly increasing")
        if upper.rating <= lower.rating:
            _refuse_scale("ratings must be distinct and increase with min_score")
    return checked


def _refuse_scale(message: str) -> NoReturn:
    raise InvalidInput(f"rating_scale: {message}", {"rating_scale": message})
