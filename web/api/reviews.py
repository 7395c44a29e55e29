"""Reviews: finalised, calibrated and reopened in revisions; each revision reproducible."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from marshmallow import Schema, fields, validate

from ledger.application import LedgerApp
from ledger.domain.access import Action
from ledger.domain.review import Review
from web.api.fields import DecimalText, long_text, required_reason
from web.api.resource import Resource
from web.api.schemas import WrittenSchema
from web.serving.auth import requires
from web.serving.calls import Answer, answer, context, ledger, tagged

resource = Resource("reviews", "Reviews: finalised scorecards and their revisions")

REVIEW = "/employees/<employee_id>/reviews/<period>"


class FinalizeSchema(Schema):
    comments = long_text(load_default="")


class CalibrateSchema(Schema):
    rating = fields.Integer(strict=True, required=True, validate=validate.Range(-1000, 1000))
    reason = required_reason()


class ReopenSchema(Schema):
    reason = required_reason()


class RevisionOut(Schema):
    revision = fields.Integer(required=True)
    position = fields.Integer(required=True, metadata={"description": "the knowledge it scored"})
    score = DecimalText(allow_none=True, required=True)
    computed_rating = fields.Integer(allow_none=True, required=True)
    final_rating = fields.Integer(allow_none=True, required=True)
    scorecard_hash = fields.String(required=True)
    comments = fields.String(required=True)
    finalized_by = fields.String(required=True)
    recorded_at = fields.AwareDateTime(allow_none=True, required=True)
    calibration_reason = fields.String(allow_none=True, required=True)
    calibrated_by = fields.String(allow_none=True, required=True)
    calibrated_at = fields.AwareDateTime(
        allow_none=True, required=True, metadata={"description": "when last calibrated"}
    )
    reopen_reason = fields.String(allow_none=True, required=True)
    reopened_by = fields.String(allow_none=True, required=True)
    reopened_at = fields.AwareDateTime(allow_none=True, required=True)
    plan_version = fields.Integer(required=True)
    measurements_version = fields.Integer(allow_none=True, required=True)
    cycle_version = fields.Integer(required=True)


class ReviewOut(Schema):
    employee_id = fields.String(required=True)
    period = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "open or finalized"})
    version = fields.Integer(required=True)
    revisions = fields.List(fields.Nested(RevisionOut), required=True)


class ReproductionOut(Schema):
    revision = fields.Integer(required=True)
    scorecard = fields.Dict(required=True)
    hash = fields.String(required=True)
    stored_hash = fields.String(required=True)
    matches = fields.Boolean(required=True)


@resource.write(f"{REVIEW}/finalize", "POST")
@requires(Action.WRITE)
@resource.arguments(FinalizeSchema, required=False)
@resource.response(200, WrittenSchema, description="a new revision finalised")
@resource.alt_response(201, WrittenSchema, description="the review's first revision", success=True)
def finalize(body: dict[str, Any], employee_id: str, period: str) -> Answer:
    """Finalise the review's next revision from the latest knowledge"""
    return answer(ledger().finalize_review(context(), employee_id, period, **body))


@resource.write(f"{REVIEW}/calibrate", "POST")
@requires(Action.CALIBRATE)
@resource.arguments(CalibrateSchema)
@resource.response(200, WrittenSchema)
def calibrate(body: dict[str, Any], employee_id: str, period: str) -> Answer:
    """Set the final rating of the finalised revision (with a reason)"""
    return answer(ledger().calibrate_review(context(), employee_id, period, **body))


@resource.write(f"{REVIEW}/reopen", "POST")
@requires(Action.CALIBRATE)
@resource.arguments(ReopenSchema)
@resource.response(200, WrittenSchema)
def reopen(body: dict[str, Any], employee_id: str, period: str) -> Answer:
    """Reopen a finalised review for its next revision (with a reason)"""
    return answer(ledger().reopen_review(context(), employee_id, period, **body))


@resource.route(REVIEW, "GET")
@requires(Action.READ)
@resource.response(200, ReviewOut)
def review(employee_id: str, period: str) -> tuple[dict[str, Any], int, dict[str, str]]:
    """A review with every revision"""
    found = ledger().review(employee_id, period)
    return review_view(ledger(), found), 200, tagged(found.version)


@resource.route(f"{REVIEW}/revisions/<int:revision>/reproduce", "GET")
@requires(Action.READ)
@resource.response(200, ReproductionOut)
def reproduce(employee_id: str, period: str, revision: int) -> dict[str, Any]:
    """Score a revision again from exactly the versions it pinned"""
    return reproduction_document(employee_id, period, revision)


def reproduction_document(employee_id: str, period: str, revision: int) -> dict[str, Any]:
    """The reproduction the API answers and the review page shows: the revision scored
    again, its hash beside the stored one, and whether they match."""
    reproduction = ledger().reproduce(employee_id, period, revision)
    return {
        "revision": revision,
        "scorecard": reproduction.scorecard.to_dict(),
        "hash": reproduction.scorecard.hash,
        "stored_hash": reproduction.revision.scorecard_hash,
        "matches": reproduction.matches,
    }


def review_view(ledger: LedgerApp, review: Review) -> dict[str, Any]:
    """The review the API answers and the review page shows, with when each revision was
    finalised, last calibrated and reopened."""
    times = act_times(ledger, review)
    return {
        "employee_id": review.employee_id,
        "period": review.period_id,
        "status": review.status,
        "version": review.version,
        "revisions": [
            {**asdict(r), **{name: times.get((r.revision, name)) for name in ACTS.values()}}
            for r in review.revisions
        ],
    }


ACTS = {
    Review.Finalized: "recorded_at",
    Review.Calibrated: "calibrated_at",
    Review.Reopened: "reopened_at",
}


def act_times(ledger: LedgerApp, review: Review) -> dict[tuple[int, str], datetime]:
    """When each revision was finalised, last calibrated and reopened, by revision and name.

    The events' own timestamps, taken as they were recorded; the chain's recorded_at of the
    same event is at most a transaction later.
    """
    events = ledger.repository.event_store.get(review.id, lte=review.version)
    return {
        (event.revision, ACTS[type(event)]): event.timestamp
        for event in events
        if isinstance(event, Review.Finalized | Review.Calibrated | Review.Reopened)
    }
