"""Schemas every resource shares: the answer to a write, an empty body, weights."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_load, validate

from ledger.domain.definitions import Weights
from web.api.fields import Number, reason_field, required_reason


class WrittenSchema(Schema):
    """What every write answers: the position of its last event and the ids it made."""

    position = fields.Integer(required=True)
    version = fields.Integer(
        allow_none=True, metadata={"description": "the written aggregate's version"}
    )
    measurement_id = fields.String()
    revision = fields.Integer()


class EmptySchema(Schema):
    """A body with no fields, or no body at all."""


MAX_WEIGHTS = 1000


def weight_map(**kwargs: Any) -> fields.Dict:
    """Weights by KRA or KPI id."""
    return fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=64)),
        values=Number(),
        validate=validate.Length(max=MAX_WEIGHTS),
        **kwargs,
    )


class WeightsSchema(Schema):
    """A complete set of weights: every KRA and every KPI of the plan, by id."""

    kra_weights = weight_map(required=True)
    kpi_weights = weight_map(required=True)

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> Weights:
        return Weights(data["kra_weights"], data["kpi_weights"])


class ReasonSchema(Schema):
    reason = reason_field()


class ReasonRequiredSchema(Schema):
    reason = required_reason()
