"""Review: the finalised scorecard of one employee for one period, in revisions."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.checks import (
    TEXT_MAX_LENGTH,
    check_actor,
    check_number,
    check_text,
    require_reason,
)
from ledger.domain.topics import explicit_topics
from ledger.errors import InvalidInput, RuleViolated
from ledger.ids import KEY_PATTERN, check_key, review_uuid
from ledger.periods import parse_period

ReviewStatus = Literal["open", "finalized"]

SCORECARD_HASH = re.compile(r"sha256:[0-9a-f]{64}")


@dataclass(frozen=True)
class ReviewRevision:
    """One finalisation, with the versions it was scored from and what became of it."""

    revision: int
    plan_version: int
    measurements_version: int | None
    """None when the employee had no measurement log for the cycle."""
    cycle_version: int
    position: int
    score: Decimal | None
    computed_rating: int | None
    final_rating: int | None
    scorecard_hash: str
    comments: str
    finalized_by: str
    sequence: int
    """The review version that recorded the finalisation."""
    calibration_reason: str | None = None
    calibrated_by: str | None = None
    reopen_reason: str | None = None
    reopened_by: str | None = None


@explicit_topics("Review")
class Review(Aggregate):
    """Open until finalised; calibrated or reopened only when finalised."""

    class Event(Aggregate.Event):
        actor: str

    class Opened(Event, Aggregate.Created):
        employee_id: str
        cycle_id: str
        period_id: str

    class Finalized(Event):
        revision: int
        plan_version: int
        measurements_version: int | None
        cycle_version: int
        position: int
        """The position of the last event the scorecard knew of."""
        score: Decimal | None
        computed_rating: int | None
        scorecard_hash: str
        comments: str

        def apply(self, review: Review) -> None:
            review.status = "finalized"
            review._revisions.append(
                ReviewRevision(
                    revision=self.revision,
                    plan_version=self.plan_version,
                    measurements_version=self.measurements_version,
                    cycle_version=self.cycle_version,
                    position=self.position,
                    score=self.score,
                    computed_rating=self.computed_rating,
                    final_rating=self.computed_rating,
                    scorecard_hash=self.scorecard_hash,
                    comments=self.comments,
                    finalized_by=self.actor,
                    sequence=self.originator_version,
                )
            )

    class Calibrated(Event):
        revision: int
        rating: int
        reason: str

        def apply(self, review: Review) -> None:
            review._revisions[-1] = replace(
                review._revisions[-1],
                final_rating=self.rating,
                calibration_reason=self.reason,
                calibrated_by=self.actor,
            )

    class Reopened(Event):
        revision: int
        reason: str

        def apply(self, review: Review) -> None:
            review.status = "open"
            review._revisions[-1] = replace(
                review._revisions[-1], reopen_reason=self.reason, reopened_by=self.actor
            )

    @staticmethod
    def create_id(employee_id: str, period_id: str) -> UUID:
        return review_uuid(employee_id, period_id)

    def __init__(self, employee_id: str, cycle_id: str, period_id: str) -> None:
        self.employee_id = employee_id
        self.cycle_id = cycle_id
        self.period_id = period_id
        self.status: ReviewStatus = "open"
        self._revisions: list[ReviewRevision] = []

    @classmethod
    def open(cls, employee_id: str, period_id: str, *, actor: str) -> Review:
        """A review of a quarter (``FY2026-Q3``) or a whole cycle (``FY2026``).

        Raises InvalidInput for a malformed employee id, period or actor.
        """
        period = parse_period(period_id) if isinstance(period_id, str) else None
        if period is None or not KEY_PATTERN.fullmatch(period.cycle_id):
            message = "must be <cycle_id> or <cycle_id>-Q1 .. -Q4"
            raise InvalidInput(f"period {message}", {"period": message})
        return cls._create(
            cls.Opened,
            employee_id=check_key(employee_id, "employee_id"),
            cycle_id=period.cycle_id,
            period_id=period.id,
            actor=check_actor(actor),
        )

    @property
    def revisions(self) -> tuple[ReviewRevision, ...]:
        return tuple(self._revisions)

    @property
    def current(self) -> ReviewRevision | None:
        """The latest revision, None before the first finalisation."""
        return self._revisions[-1] if self._revisions else None

    def finalize(
        self,
        *,
        plan_active: bool,
        plan_version: int,
        measurements_version: int | None,
        cycle_version: int,
        position: int,
        score: Decimal | None,
        computed_rating: int | None,
        scorecard_hash: str,
        comments: str = "",
        actor: str,
    ) -> int:
        """Finalises the next revision (1, 2, ...) and returns its number.

        Raises RuleViolated when finalised already or the plan is not active, InvalidInput
        for malformed versions, position, score, rating or hash.
        """
        actor = check_actor(actor)
        if self.status == "finalized":
            raise RuleViolated(f"review {self.period_id} is finalised; reopen it first")
        if not plan_active:
            raise RuleViolated("a review can be finalised only for an active plan")
        _check_whole_number(plan_version, "plan_version", minimum=1)
        _check_whole_number(cycle_version, "cycle_version", minimum=1)
        _check_whole_number(position, "position", minimum=0)
        if measurements_version is not None:
            _check_whole_number(measurements_version, "measurements_version", minimum=0)
        if (score is None) != (computed_rating is None):
            message = "score and computed_rating are given together or not at all"
            raise InvalidInput(message, {"score": message, "computed_rating": message})
        if score is not None:
            check_number(score, "score")
        if computed_rating is not None:
            _check_whole_number(computed_rating, "computed_rating")
        if not isinstance(scorecard_hash, str) or not SCORECARD_HASH.fullmatch(scorecard_hash):
            message = "must be sha256:<64 lowercase hex digits>"
            raise InvalidInput(f"scorecard_hash {message}", {"scorecard_hash": message})
        revision = len(self._revisions) + 1
        self.trigger_event(
            self.Finalized,
            revision=revision,
            plan_version=plan_version,
            measurements_version=measurements_version or None,
            cycle_version=cycle_version,
            position=position,
            score=score,
            computed_rating=computed_rating,
            scorecard_hash=scorecard_hash,
            comments=check_text(comments, "comments", required=False, max_length=TEXT_MAX_LENGTH),
            actor=actor,
        )
        return revision

    def calibrate(
        self, rating: int, *, ratings: Collection[int], reason: str | None, actor: str
    ) -> None:
        """Sets the final rating of the finalised revision to one of ``ratings`` (the cycle's).

        Raises RuleViolated unless finalised or when the rating is the final one already,
        InvalidInput for a rating outside ``ratings`` or a missing reason.
        """
        actor, reason = check_actor(actor), require_reason(reason)
        current = self._check_finalized()
        _check_whole_number(rating, "rating")
        if rating not in ratings:
            message = f"must be one of {', '.join(map(str, sorted(ratings)))}"
            raise InvalidInput(f"rating {message}", {"rating": message})
        if rating == current.final_rating:
            raise RuleViolated(f"the final rating is {rating} already")
        self.trigger_event(
            self.Calibrated, revision=current.revision, rating=rating, reason=reason, actor=actor
        )

    def reopen(self, *, reason: str | None, actor: str) -> None:
        """Opens the review for its next revision.

        Raises RuleViolated unless finalised, InvalidInput without a reason.
        """
        actor, reason = check_actor(actor), require_reason(reason)
        current = self._check_finalized()
        self.trigger_event(self.Reopened, revision=current.revision, reason=reason, actor=actor)

    def _check_finalized(self) -> ReviewRevision:
        current = self.current
        if self.status != "finalized" or current is None:
            raise RuleViolated(f"review {self.period_id} is not finalised")
        return current


def _check_whole_number(value: int, field: str, *, minimum: int | None = None) -> None:
    if type(value) is not int or (minimum is not None and value < minimum):
        at_least = "" if minimum is None else f" of at least {minimum}"
        message = f"must be a whole number{at_least}"
        raise InvalidInput(f"{field} {message}", {field: message})
