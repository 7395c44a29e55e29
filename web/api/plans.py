"""Plans: drafted, read with the targets in force per quarter, reweighted, activated, linted."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_load

from ledger.domain.access import Action
from ledger.domain.definitions import Kpi, Weights
from ledger.domain.plan import Plan
from ledger.periods import QUARTERS, Period
from ledger.scoring import target_in_force
from ledger.scoring.aggregates import kpi_plan
from web.api.fields import DecimalText, reason_field
from web.api.resource import Resource
from web.api.schemas import EmptySchema, WrittenSchema, weight_map
from web.serving.auth import requires
from web.serving.calls import Answer, answer, context, ledger, tagged

resource = Resource("plans", "Plans: KRAs and KPIs of one employee in one cycle")

PLAN = "/employees/<employee_id>/plans/<cycle_id>"


class ReweightSchema(Schema):
    kra_weights = weight_map(required=True)
    kpi_weights = weight_map(required=True)
    reason = reason_field()

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        weights = Weights(data.pop("kra_weights"), data.pop("kpi_weights"))
        return {"weights": weights, **data}


class TargetOut(Schema):
    period = fields.String(required=True)
    target = DecimalText(required=True)
    threshold = DecimalText(allow_none=True, required=True)
    stretch = DecimalText(allow_none=True, required=True)


class KpiOut(Schema):
    kpi_id = fields.String(required=True)
    kra_id = fields.String(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)
    unit = fields.String(required=True)
    direction = fields.String(required=True)
    aggregation = fields.String(required=True)
    weight = DecimalText(required=True)
    target = DecimalText(required=True)
    threshold = DecimalText(allow_none=True, required=True)
    stretch = DecimalText(allow_none=True, required=True)
    scale = DecimalText(
        allow_none=True,
        required=True,
        metadata={"description": "a rate's multiplier (1 or 100); null for other aggregations"},
    )
    targets = fields.List(
        fields.Nested(TargetOut),
        required=True,
        metadata={"description": "the target, threshold and stretch in force in each quarter"},
    )


class KraOut(Schema):
    kra_id = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    weight = DecimalText(required=True)
    kpis = fields.List(fields.Nested(KpiOut), required=True)


class PlanOut(Schema):
    employee_id = fields.String(required=True)
    cycle_id = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "draft or active"})
    version = fields.Integer(required=True)
    kras = fields.List(fields.Nested(KraOut), required=True)


class LintOut(Schema):
    warnings = fields.List(fields.String(), required=True)
    version = fields.Integer(required=True)


@resource.write(PLAN, "PUT")
@requires(Action.WRITE)
@resource.arguments(EmptySchema, required=False)
@resource.response(201, WrittenSchema)
def draft_plan(body: dict[str, Any], employee_id: str, cycle_id: str) -> Answer:
    """Draft a plan"""
    return answer(ledger().draft_plan(context(), employee_id, cycle_id))


@resource.route(PLAN, "GET")
@requires(Action.READ)
@resource.response(200, PlanOut)
def get_plan(employee_id: str, cycle_id: str) -> tuple[dict[str, Any], int, dict[str, str]]:
    """A plan with its KRAs, KPIs and the targets in force per quarter; its version is the ETag"""
    plan = ledger().plan(employee_id, cycle_id)
    return plan_view(plan), 200, tagged(plan.version)


@resource.write(f"{PLAN}/reweight", "POST")
@requires(Action.WRITE)
@resource.arguments(ReweightSchema)
@resource.response(200, WrittenSchema)
def reweight(body: dict[str, Any], employee_id: str, cycle_id: str) -> Answer:
    """Replace every weight at once (with a reason once active)"""
    return answer(ledger().reweight(context(), employee_id, cycle_id, **body))


@resource.write(f"{PLAN}/activate", "POST")
@requires(Action.WRITE)
@resource.arguments(EmptySchema, required=False)
@resource.response(200, WrittenSchema)
def activate(body: dict[str, Any], employee_id: str, cycle_id: str) -> Answer:
    """Activate a plan whose weights balance"""
    return answer(ledger().activate_plan(context(), employee_id, cycle_id))


@resource.route(f"{PLAN}/lint", "GET")
@requires(Action.READ)
@resource.response(200, LintOut)
def lint(employee_id: str, cycle_id: str) -> dict[str, Any]:
    """Warnings against good practice: 4 to 6 KRAs, 2 to 3 KPIs each, measurable KPIs"""
    return lint_view(ledger().plan(employee_id, cycle_id))


def lint_view(plan: Plan) -> dict[str, Any]:
    return {"warnings": plan.lint(), "version": plan.version}


def plan_view(plan: Plan) -> dict[str, Any]:
    return {
        "employee_id": plan.employee_id,
        "cycle_id": plan.cycle_id,
        "status": plan.status,
        "version": plan.version,
        "kras": [
            {
                "kra_id": kra.kra_id,
                "title": kra.title,
                "description": kra.description,
                "weight": kra.weight,
                "kpis": [kpi_view(plan.cycle_id, kpi) for kpi in plan.kpis_of(kra.kra_id)],
            }
            for kra in plan.kras
        ],
    }


def kpi_view(cycle_id: str, kpi: Kpi) -> dict[str, Any]:
    scoring = kpi_plan(kpi)
    targets = []
    for quarter in QUARTERS:
        spec = target_in_force(scoring, quarter)
        targets.append(
            {
                "period": Period(cycle_id, quarter).id,
                "target": spec.target,
                "threshold": spec.threshold,
                "stretch": spec.stretch,
            }
        )
    return {
        "kpi_id": kpi.kpi_id,
        "kra_id": kpi.kra_id,
        "name": kpi.name,
        "description": kpi.description,
        "unit": kpi.unit,
        "direction": kpi.direction.value,
        "aggregation": kpi.aggregation.value,
        "weight": kpi.weight,
        "target": kpi.definition.target,
        "threshold": kpi.definition.threshold,
        "stretch": kpi.definition.stretch,
        "scale": kpi.scale,
        "targets": targets,
    }
