"""KRAs and KPIs of a plan: defined or changed with PUT, removed with DELETE."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from ledger.application import LedgerApp
from ledger.commands import Context, Written
from ledger.domain.access import Action
from ledger.domain.definitions import KpiDefinition, KraDefinition
from ledger.errors import InvalidInput
from ledger.values import Aggregation, Direction, TargetSpec
from web.api.fields import Number, key_field, long_text, reason_field, short_text
from web.api.resource import Resource
from web.api.schemas import WeightsSchema, WrittenSchema
from web.serving.auth import requires
from web.serving.calls import Answer, answer, context, ledger

resource = Resource("definitions", "KRAs and KPIs of a plan")

PLAN = "/employees/<employee_id>/plans/<cycle_id>"
MAX_KPIS_PER_KRA = 50


class KpiFields(Schema):
    name = short_text(required=True, blank=False)
    description = long_text(load_default="")
    unit = short_text(load_default="")
    direction = fields.Enum(Direction, by_value=True, required=True)
    aggregation = fields.Enum(Aggregation, by_value=True, required=True)
    weight = Number(required=True)
    target = Number(required=True)
    threshold = Number(load_default=None, allow_none=True)
    stretch = Number(load_default=None, allow_none=True)
    scale = Number(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "aggregation ratio only, and required there: 1 for a fraction, 100"
            " for a percentage"
        },
    )


class NewKpiSchema(KpiFields):
    kpi_id = key_field(required=True)


class KraSchema(Schema):
    title = short_text(required=True, blank=False)
    description = long_text(load_default="")
    weight = Number(required=True)
    reason = reason_field()
    kpis = fields.List(
        fields.Nested(NewKpiSchema),
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=MAX_KPIS_PER_KRA),
        metadata={"description": "only when defining: the new KRA's KPIs"},
    )
    weights = fields.Nested(
        WeightsSchema,
        load_default=None,
        allow_none=True,
        metadata={"description": "only when defining on an active plan: every weight after it"},
    )


class KpiSchema(KpiFields):
    kra_id = key_field(
        required=True, metadata={"description": "the KRA it belongs to; never changes"}
    )
    reason = reason_field()
    weights = fields.Nested(
        WeightsSchema,
        load_default=None,
        allow_none=True,
        metadata={"description": "only when defining on an active plan: every weight after it"},
    )


class RemovalSchema(Schema):
    reason = reason_field()
    weights = fields.Nested(
        WeightsSchema,
        load_default=None,
        allow_none=True,
        metadata={"description": "on an active plan: every weight after the removal"},
    )


@resource.write(f"{PLAN}/kras/<kra_id>", "PUT")
@requires(Action.WRITE)
@resource.arguments(KraSchema)
@resource.response(200, WrittenSchema, description="the KRA changed")
@resource.alt_response(201, WrittenSchema, description="the KRA defined", success=True)
def put_kra(body: dict[str, Any], employee_id: str, cycle_id: str, kra_id: str) -> Answer:
    """Define a KRA (with its KPIs), or change its title, description or weight"""
    return answer(define_or_change_kra(ledger(), context(), employee_id, cycle_id, kra_id, body))


@resource.write(f"{PLAN}/kras/<kra_id>", "DELETE")
@requires(Action.WRITE)
@resource.arguments(RemovalSchema, required=False)
@resource.response(200, WrittenSchema)
def remove_kra(body: dict[str, Any], employee_id: str, cycle_id: str, kra_id: str) -> Answer:
    """Remove a KRA with its KPIs (with a reason and new weights once active)"""
    return answer(ledger().remove_kra(context(), employee_id, cycle_id, kra_id, **body))


@resource.write(f"{PLAN}/kpis/<kpi_id>", "PUT")
@requires(Action.WRITE)
@resource.arguments(KpiSchema)
@resource.response(200, WrittenSchema, description="the KPI changed")
@resource.alt_response(201, WrittenSchema, description="the KPI defined", success=True)
def put_kpi(body: dict[str, Any], employee_id: str, cycle_id: str, kpi_id: str) -> Answer:
    """Define a KPI of a KRA, or change it"""
    return answer(define_or_change_kpi(ledger(), context(), employee_id, cycle_id, kpi_id, body))


@resource.write(f"{PLAN}/kpis/<kpi_id>", "DELETE")
@requires(Action.WRITE)
@resource.arguments(RemovalSchema, required=False)
@resource.response(200, WrittenSchema)
def remove_kpi(body: dict[str, Any], employee_id: str, cycle_id: str, kpi_id: str) -> Answer:
    """Remove a KPI (with a reason and new weights once active)"""
    return answer(ledger().remove_kpi(context(), employee_id, cycle_id, kpi_id, **body))


def kpi_definition(fields: dict[str, Any]) -> KpiDefinition:
    return KpiDefinition(
        name=fields["name"],
        unit=fields["unit"],
        direction=fields["direction"],
        aggregation=fields["aggregation"],
        weight=fields["weight"],
        spec=TargetSpec(fields["target"], fields["threshold"], fields["stretch"]),
        description=fields["description"],
        scale=fields["scale"],
    )


def define_or_change_kra(
    ledger: LedgerApp, ctx: Context, employee_id: str, cycle_id: str, kra_id: str, body: Any
) -> Written:
    definition = KraDefinition(body["title"], body["weight"], body["description"])
    plan = ledger.plan(employee_id, cycle_id)
    if kra_id not in plan.layout():
        kpis = {kpi["kpi_id"]: kpi_definition(kpi) for kpi in body["kpis"] or ()}
        if body["kpis"] and len(kpis) != len(body["kpis"]):
            raise InvalidInput("kpis name one KPI id twice", {"kpis": "a KPI id appears twice"})
        return ledger.define_kra(
            ctx,
            employee_id,
            cycle_id,
            kra_id,
            definition,
            reason=body["reason"],
            kpis=kpis,
            weights=body["weights"],
        )
    only_when_defining(body, "kpis", "weights")
    return ledger.change_kra(ctx, employee_id, cycle_id, kra_id, definition, reason=body["reason"])


def define_or_change_kpi(
    ledger: LedgerApp, ctx: Context, employee_id: str, cycle_id: str, kpi_id: str, body: Any
) -> Written:
    definition = kpi_definition(body)
    plan = ledger.plan(employee_id, cycle_id)
    if not plan.has_kpi(kpi_id):
        return ledger.define_kpi(
            ctx,
            employee_id,
            cycle_id,
            kpi_id,
            body["kra_id"],
            definition,
            reason=body["reason"],
            weights=body["weights"],
        )
    if plan.kpi(kpi_id).kra_id != body["kra_id"]:
        message = f"KPI {kpi_id} belongs to KRA {plan.kpi(kpi_id).kra_id} and stays there"
        raise InvalidInput(message, {"kra_id": message})
    only_when_defining(body, "weights")
    return ledger.change_kpi(ctx, employee_id, cycle_id, kpi_id, definition, reason=body["reason"])


def only_when_defining(body: dict[str, Any], *names: str) -> None:
    for field in names:
        if body.get(field) is not None:
            message = "only when defining; change weights with a reweight"
            raise InvalidInput(f"{field}: {message}", {field: message})
