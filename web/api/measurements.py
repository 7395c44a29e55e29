"""Measurements: recorded against a KPI of an active plan, corrected and voided, never erased."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from ledger.domain.access import Action
from web.api.fields import DecimalText, Number, long_text, required_reason, short_text
from web.api.resource import ETAG, Resource
from web.api.schemas import WrittenSchema
from web.serving.auth import requires
from web.serving.calls import Answer, answer, context, ledger, tagged

resource = Resource("measurements", "Measurements of KPIs, their corrections and voids")

PLAN = "/employees/<employee_id>/plans/<cycle_id>"
LOG = f"the plan's measurement log (the ETag of GET {PLAN}/measurements)"


VALUE = "the value observed; required unless the KPI's aggregation is ratio, absent then"
RATE_PART = "a rate's {}: required when the KPI's aggregation is ratio, absent otherwise"


def observed(description: str) -> Number:
    """A value, or a rate's numerator or denominator: the domain says which the KPI takes."""
    return Number(load_default=None, allow_none=True, metadata={"description": description})


class MeasurementSchema(Schema):
    value = observed(VALUE)
    numerator = observed(RATE_PART.format("numerator"))
    denominator = observed(RATE_PART.format("denominator") + "; 0 or more")
    effective_date = fields.Date(required=True, metadata={"description": "the day it is about"})
    source = short_text(load_default="manual", blank=False)
    note = long_text(load_default="")


class CorrectionSchema(Schema):
    value = observed(VALUE)
    numerator = observed(RATE_PART.format("numerator") + "; with the denominator")
    denominator = observed(RATE_PART.format("denominator") + "; with the numerator")
    reason = required_reason()


class VoidSchema(Schema):
    reason = required_reason()


class MeasurementOut(Schema):
    measurement_id = fields.String(required=True)
    kpi_id = fields.String(required=True)
    value = DecimalText(allow_none=True, required=True, metadata={"description": "null for a rate"})
    original_value = DecimalText(allow_none=True, required=True)
    numerator = DecimalText(allow_none=True, required=True, metadata={"description": "a rate's"})
    denominator = DecimalText(allow_none=True, required=True, metadata={"description": "a rate's"})
    effective_date = fields.Date(required=True)
    source = fields.String(required=True)
    note = fields.String(required=True)
    voided = fields.Boolean(required=True)


class MeasurementListOut(Schema):
    items = fields.List(fields.Nested(MeasurementOut), required=True)
    next = fields.String(allow_none=True, required=True)
    version = fields.Integer(required=True)


@resource.write(f"{PLAN}/kpis/<kpi_id>/measurements", "POST", version_of=LOG)
@requires(Action.WRITE)
@resource.arguments(MeasurementSchema)
@resource.response(201, WrittenSchema)
def record(body: dict[str, Any], employee_id: str, cycle_id: str, kpi_id: str) -> Answer:
    """Record a measurement of a KPI; answers its measurement_id"""
    return answer(ledger().record_measurement(context(), employee_id, cycle_id, kpi_id, **body))


@resource.route(f"{PLAN}/measurements", "GET")
@requires(Action.READ)
@resource.response(200, MeasurementListOut, headers={"ETag": ETAG})
def measurements(employee_id: str, cycle_id: str) -> Answer:
    """Every measurement of a plan in recording order, voided ones included; the version of
    its measurement log is the ETag that measurement writes name in If-Match"""
    ledger().plan(employee_id, cycle_id)
    log = ledger().measurement_log(employee_id, cycle_id)
    items = list(log.measurements) if log is not None else []
    version = log.version if log is not None else 0
    return {"items": items, "next": None, "version": version}, 200, tagged(version)


@resource.write("/measurements/<measurement_id>/corrections", "POST", version_of=LOG)
@requires(Action.WRITE)
@resource.arguments(CorrectionSchema)
@resource.response(200, WrittenSchema)
def correct(body: dict[str, Any], measurement_id: str) -> Answer:
    """Correct a measurement's value (with a reason); its original stays on record"""
    return answer(ledger().correct_measurement(context(), measurement_id, **body))


@resource.write("/measurements/<measurement_id>/voids", "POST", version_of=LOG)
@requires(Action.WRITE)
@resource.arguments(VoidSchema)
@resource.response(200, WrittenSchema)
def void(body: dict[str, Any], measurement_id: str) -> Answer:
    """Void a measurement (with a reason): it stays on record and counts no more"""
    return answer(ledger().void_measurement(context(), measurement_id, **body))
