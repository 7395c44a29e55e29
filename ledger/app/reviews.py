"""Reviews: finalised, calibrated and reopened; every revision reproducible."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ledger.app.base import command
from ledger.app.history import HistoryQueries
from ledger.commands import Context, Written
from ledger.domain.review import Review, ReviewRevision
from ledger.errors import NotFound
from ledger.periods import parse_period
from ledger.scoring import Scorecard
from ledger.scoring.aggregates import Knowledge, scorecard_of


@dataclass(frozen=True)
class Reproduction:
    revision: ReviewRevision
    scorecard: Scorecard

    @property
    def matches(self) -> bool:
        return self.scorecard.hash == self.revision.scorecard_hash


class ReviewCommands(HistoryQueries):
    @command
    def finalize_review(
        self, ctx: Context, employee_id: str, period_id: str, *, comments: str = ""
    ) -> Written:
        period = parse_period(period_id)
        knowledge = self.knowledge(employee_id, period.cycle_id)
        card = scorecard_of(knowledge, period)
        review = self.review_or_none(employee_id, period.id)
        created = review is None
        if review is None:
            review = Review.open(employee_id, period.id, actor=ctx.actor)
        self.check_version(ctx, review)
        revision = review.finalize(
            plan_active=knowledge.plan.is_active,
            plan_version=knowledge.plan.version,
            measurements_version=knowledge.log.version if knowledge.log else None,
            cycle_version=knowledge.cycle.version,
            position=knowledge.position,
            score=card.score,
            computed_rating=card.rating,
            scorecard_hash=card.hash,
            comments=comments,
            actor=ctx.actor,
        )
        ids = {"revision": str(revision)}
        return self.commit(ctx, review, main=review, ids=ids, created=created)

    @command
    def calibrate_review(
        self, ctx: Context, employee_id: str, period_id: str, *, rating: int, reason: str | None
    ) -> Written:
        review = self.review(employee_id, period_id)
        self.check_version(ctx, review)
        ratings = {band.rating for band in self.cycle(review.cycle_id).rating_scale}
        review.calibrate(rating, ratings=ratings, reason=reason, actor=ctx.actor)
        return self.commit(ctx, review, main=review)

    @command
    def reopen_review(
        self, ctx: Context, employee_id: str, period_id: str, *, reason: str | None
    ) -> Written:
        review = self.review(employee_id, period_id)
        self.check_version(ctx, review)
        review.reopen(reason=reason, actor=ctx.actor)
        return self.commit(ctx, review, main=review)

    def review(self, employee_id: str, period_id: str, version: int | None = None) -> Review:
        period = parse_period(period_id)
        label = f"review of employee {employee_id} for {period.id}"
        return self.load(Review, Review.create_id(employee_id, period.id), label, version)

    def review_or_none(self, employee_id: str, period_id: str) -> Review | None:
        period = parse_period(period_id)
        label = f"review of employee {employee_id} for {period.id}"
        return self.find(Review, Review.create_id(employee_id, period.id), label)

    def reproduce(self, employee_id: str, period_id: str, revision: int) -> Reproduction:
        """Score the revision again from exactly the versions it pinned."""
        review = self.review(employee_id, period_id)
        pinned = next((r for r in review.revisions if r.revision == revision), None)
        if pinned is None:
            raise NotFound(f"review {review.period_id} has no revision {revision}")
        period = parse_period(review.period_id)
        log = None
        if pinned.measurements_version is not None:
            log = self.measurement_log(employee_id, period.cycle_id, pinned.measurements_version)
        knowledge = Knowledge(
            position=pinned.position,
            plan=self.plan(employee_id, period.cycle_id, pinned.plan_version),
            log=log,
            cycle=self.cycle(period.cycle_id, pinned.cycle_version),
        )
        card = replace(scorecard_of(knowledge, period), position=pinned.position)
        return Reproduction(pinned, card)
