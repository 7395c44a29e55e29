"""Review cycles: opened once; their achievement cap and rating scale revised with a reason."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_load, validate

from ledger.domain.access import Action
from ledger.domain.cycle import ReviewCycle
from ledger.values import RatingBand
from web.api.fields import DecimalText, Number, required_reason, short_text
from web.api.resource import Resource
from web.api.schemas import WrittenSchema
from web.serving.auth import requires
from web.serving.calls import Answer, answer, context, ledger, tagged

resource = Resource("cycles", "Review cycles and their policy")

MAX_BANDS = 20
FIRST_OF_MONTH = "^[0-9]{4}-[0-9]{2}-01$"


class RatingBandSchema(Schema):
    min_score = Number(required=True)
    rating = fields.Integer(strict=True, required=True, validate=validate.Range(-1000, 1000))
    label = short_text(required=True, blank=False)

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> RatingBand:
        return RatingBand(data["min_score"], data["rating"], data["label"])


def rating_scale(**kwargs: Any) -> fields.List[Any]:
    return fields.List(
        fields.Nested(RatingBandSchema), validate=validate.Length(min=1, max=MAX_BANDS), **kwargs
    )


class CycleSchema(Schema):
    name = short_text(required=True, blank=False)
    start_date = fields.Date(
        required=True,
        metadata={"description": "the first of a month", "pattern": FIRST_OF_MONTH},
    )
    end_date = fields.Date(load_default=None, allow_none=True)
    achievement_cap = Number(load_default=None, allow_none=True)
    rating_scale = rating_scale(load_default=None, allow_none=True)


class PolicySchema(Schema):
    achievement_cap = Number(load_default=None, allow_none=True)
    rating_scale = rating_scale(load_default=None, allow_none=True)
    reason = required_reason()


class RatingBandOut(Schema):
    min_score = DecimalText(required=True)
    rating = fields.Integer(required=True)
    label = fields.String(required=True)


class CycleOut(Schema):
    cycle_id = fields.String(required=True)
    name = fields.String(required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    achievement_cap = DecimalText(required=True)
    rating_scale = fields.List(fields.Nested(RatingBandOut), required=True)
    periods = fields.List(fields.String(), required=True)
    version = fields.Integer(required=True)


@resource.write("/cycles/<cycle_id>", "PUT")
@requires(Action.ORGANISE)
@resource.arguments(CycleSchema)
@resource.response(201, WrittenSchema)
def open_cycle(body: dict[str, Any], cycle_id: str) -> Answer:
    """Open a review cycle"""
    return answer(ledger().open_cycle(context(), cycle_id, **body))


@resource.write("/cycles/<cycle_id>/policy", "PATCH")
@requires(Action.ORGANISE)
@resource.arguments(PolicySchema)
@resource.response(200, WrittenSchema)
def revise_policy(body: dict[str, Any], cycle_id: str) -> Answer:
    """Revise a cycle's achievement cap or rating scale (with a reason)"""
    return answer(ledger().revise_policy(context(), cycle_id, **body))


@resource.route("/cycles/<cycle_id>", "GET")
@requires(Action.BROWSE)
@resource.response(200, CycleOut)
def get_cycle(cycle_id: str) -> tuple[dict[str, Any], int, dict[str, str]]:
    """A review cycle with its policy and periods"""
    cycle = ledger().cycle(cycle_id)
    return cycle_view(cycle), 200, tagged(cycle.version)


def cycle_view(cycle: ReviewCycle) -> dict[str, Any]:
    return {
        "cycle_id": cycle.cycle_id,
        "name": cycle.name,
        "start_date": cycle.start_date,
        "end_date": cycle.end_date,
        "achievement_cap": cycle.achievement_cap,
        "rating_scale": list(cycle.rating_scale),
        "periods": list(cycle.period_ids),
        "version": cycle.version,
    }
