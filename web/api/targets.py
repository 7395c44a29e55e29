"""Targets of a KPI: revised from a quarter onward, or adjusted for one quarter."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, post_load

from ledger.domain.access import Action
from ledger.values import TargetSpec
from web.api.fields import Number, quarter_field, required_reason, short_text
from web.api.resource import Resource
from web.api.schemas import WrittenSchema
from web.serving.auth import requires
from web.serving.calls import Answer, answer, context, ledger

resource = Resource("targets", "Target revisions and quarterly adjustments of a KPI")

KPI = "/employees/<employee_id>/plans/<cycle_id>/kpis/<kpi_id>"


class TargetChangeSchema(Schema):
    target = Number(required=True)
    threshold = Number(load_default=None, allow_none=True)
    stretch = Number(load_default=None, allow_none=True)
    reason = required_reason()
    approved_by = short_text(load_default=None, allow_none=True)

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        spec = TargetSpec(data.pop("target"), data.pop("threshold"), data.pop("stretch"))
        return {"spec": spec, **data}


class RevisionSchema(TargetChangeSchema):
    effective_from = quarter_field(required=True, metadata={"description": "the first quarter"})


class AdjustmentSchema(TargetChangeSchema):
    period = quarter_field(required=True, metadata={"description": "the one quarter it overrides"})


@resource.write(f"{KPI}/target-revisions", "POST")
@requires(Action.WRITE)
@resource.arguments(RevisionSchema)
@resource.response(201, WrittenSchema)
def revise_target(body: dict[str, Any], employee_id: str, cycle_id: str, kpi_id: str) -> Answer:
    """Revise a KPI's target from a quarter onward (with a reason)"""
    return answer(ledger().revise_target(context(), employee_id, cycle_id, kpi_id, **body))


@resource.write(f"{KPI}/adjustments", "POST")
@requires(Action.WRITE)
@resource.arguments(AdjustmentSchema)
@resource.response(201, WrittenSchema)
def adjust_target(body: dict[str, Any], employee_id: str, cycle_id: str, kpi_id: str) -> Answer:
    """Override a KPI's target for one quarter (with a reason)"""
    return answer(ledger().adjust_target(context(), employee_id, cycle_id, kpi_id, **body))
