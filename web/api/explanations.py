"""Explanations: why a scorecard changed between two points, event by event, and a finalised
review restated under later knowledge."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from ledger.domain.access import Action
from ledger.explanation import parse_point
from ledger.explanation.explaining import explain, restate
from web.api.fields import POINT_RULE, point_field
from web.api.resource import Resource
from web.api.scorecards import MAX_POSITION, ScorecardOut
from web.serving.auth import requires
from web.serving.calls import ledger

resource = Resource("explanations", "Why a scorecard changed, and reviews restated")


class ExplainQuery(Schema):
    frm = point_field(data_key="from", required=True)
    to = point_field(description=f"{POINT_RULE}; default: the latest position")
    steps = fields.String(
        load_default="all",
        validate=validate.OneOf(["all", "moved"]),
        metadata={
            "description": "`moved`: only the steps that moved the scorecard (the counts"
            " stay those of every step); default `all`"
        },
    )


class RestateQuery(Schema):
    position = fields.Integer(
        validate=validate.Range(0, MAX_POSITION),
        metadata={"description": "the later knowledge; default: the latest"},
    )


class SideOut(Schema):
    position = fields.Integer(required=True)
    score = fields.String(allow_none=True, required=True)
    rating = fields.Integer(allow_none=True, required=True)
    scorecard = fields.Nested(
        ScorecardOut,
        allow_none=True,
        required=True,
        metadata={"description": "null when the plan or its cycle did not exist yet"},
    )


class KpiChangeOut(Schema):
    kpi_id = fields.String(required=True)
    kra_id = fields.String(required=True)
    name = fields.String(required=True)
    achievement_from = fields.String(allow_none=True, required=True)
    achievement_to = fields.String(allow_none=True, required=True)
    difference = fields.String(allow_none=True, required=True)


class KraChangeOut(Schema):
    kra_id = fields.String(required=True)
    title = fields.String(required=True)
    score_from = fields.String(allow_none=True, required=True)
    score_to = fields.String(allow_none=True, required=True)
    difference = fields.String(allow_none=True, required=True)


class OverallChangeOut(Schema):
    score_from = fields.String(allow_none=True, required=True)
    score_to = fields.String(allow_none=True, required=True)
    difference = fields.String(allow_none=True, required=True)
    rating_from = fields.Integer(allow_none=True, required=True)
    rating_to = fields.Integer(allow_none=True, required=True)


class StepOut(Schema):
    position = fields.Integer(required=True)
    recorded_at = fields.String(allow_none=True, required=True)
    event_type = fields.String(required=True)
    actor = fields.String(allow_none=True, required=True)
    reason = fields.String(allow_none=True, required=True)
    approved_by = fields.String(allow_none=True, required=True)
    score = fields.String(
        allow_none=True, required=True, metadata={"description": "the overall score after it"}
    )
    rating = fields.Integer(allow_none=True, required=True)
    kpi_id = fields.String(allow_none=True, required=True)
    measurement_id = fields.String(allow_none=True, required=True)
    period = fields.String(
        allow_none=True,
        required=True,
        metadata={
            "description": "the period the event concerns: an adjustment's, a revision's"
            " effective_from, the quarter a measurement's effective date falls in (for its"
            " correction and void too, as the audit trail names it), or the review's;"
            " null for what concerns the whole cycle"
        },
    )
    moved = fields.Boolean(
        required=True,
        metadata={
            "description": "the overall score or rating, or a KPI's achievement, differs"
            " right after the event from right before it"
        },
    )
    score_delta = fields.String(
        allow_none=True,
        required=True,
        metadata={
            "description": "the score after the event minus the latest non-null score"
            " before it; the deltas add up to the later score minus the earlier one"
        },
    )


class ComparisonOut(Schema):
    employee_id = fields.String(required=True)
    period = fields.String(required=True)
    frm = fields.Nested(SideOut, data_key="from", required=True)
    to = fields.Nested(SideOut, required=True)
    kpis = fields.List(fields.Nested(KpiChangeOut), required=True)
    kras = fields.List(fields.Nested(KraChangeOut), required=True)
    overall = fields.Nested(OverallChangeOut, required=True)


class ExplanationOut(ComparisonOut):
    steps = fields.List(
        fields.Nested(StepOut),
        required=True,
        metadata={
            "description": "every event between from and to, in order (with steps=moved,"
            " those that moved the scorecard)"
        },
    )
    steps_moved = fields.Integer(
        required=True, metadata={"description": "how many steps moved the scorecard"}
    )
    steps_unchanged = fields.Integer(
        required=True, metadata={"description": "how many steps left it as it was"}
    )


class RestatementOut(ComparisonOut):
    revision = fields.Integer(required=True)
    stored_hash = fields.String(required=True)
    matches = fields.Boolean(
        required=True, metadata={"description": "the reproduced revision hashes as finalised"}
    )
    computed_rating = fields.Integer(allow_none=True, required=True)
    final_rating = fields.Integer(allow_none=True, required=True)
    calibration_reason = fields.String(allow_none=True, required=True)


@resource.route("/employees/<employee_id>/scorecards/<period>/explain", "GET")
@requires(Action.READ)
@resource.arguments(ExplainQuery, location="query")
@resource.response(200, ExplanationOut)
def explanation(query: dict[str, Any], employee_id: str, period: str) -> dict[str, Any]:
    """Why the scorecard changed between two points, event by event

    Both scorecards, their differences per KPI, KRA and overall, and every event between
    the points that touches the plan, measurements, cycle policy or review, each with the
    overall score after it, the period it concerns and whether it moved the scorecard.
    """
    return with_from(explanation_document(employee_id, period, query))


@resource.route("/employees/<employee_id>/reviews/<period>/revisions/<int:revision>/restate", "GET")
@requires(Action.READ)
@resource.arguments(RestateQuery, location="query")
@resource.response(200, RestatementOut)
def restatement(
    query: dict[str, Any], employee_id: str, period: str, revision: int
) -> dict[str, Any]:
    """A finalised revision reproduced, beside the same period under later knowledge"""
    found = restate(ledger(), employee_id, period, revision, query.get("position"))
    return with_from(found.to_dict())


def explanation_document(employee_id: str, period: str, query: dict[str, Any]) -> dict[str, Any]:
    """The explanation the API answers and the explain page shows, for the points of an
    ``ExplainQuery`` (``to`` defaults to the latest position; ``steps=moved`` keeps only
    the steps that moved the scorecard)."""
    frm = parse_point(query["frm"], "from")
    to = parse_point(query["to"], "to") if "to" in query else ledger().head_position()
    found = explain(ledger(), employee_id, period, frm, to)
    return found.to_dict(moved_only=query.get("steps") == "moved")


def with_from(document: dict[str, object]) -> dict[str, Any]:
    """The document with ``from`` under the attribute name its schema reads."""
    return {("frm" if key == "from" else key): value for key, value in document.items()}
