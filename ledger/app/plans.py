"""Plans: KRAs, KPIs, weights, activation, target revisions and adjustments."""

from __future__ import annotations

from collections.abc import Mapping

from ledger.app.base import command
from ledger.app.people import PeopleCommands
from ledger.commands import Context, Written
from ledger.domain.definitions import KpiDefinition, KraDefinition, Weights
from ledger.domain.plan import Plan
from ledger.values import TargetSpec


class PlanCommands(PeopleCommands):
    @command
    def draft_plan(self, ctx: Context, employee_id: str, cycle_id: str) -> Written:
        self.employee(employee_id)
        self.cycle(cycle_id)
        plan = Plan.draft(employee_id, cycle_id, actor=ctx.actor)
        label = plan_label(employee_id, cycle_id)
        return self.commit(ctx, plan, main=plan, created=True, label=label)

    @command
    def define_kra(
        self,
        ctx: Context,
        employee_id: str,
        cycle_id: str,
        kra_id: str,
        definition: KraDefinition,
        *,
        reason: str | None = None,
        kpis: Mapping[str, KpiDefinition] | None = None,
        weights: Weights | None = None,
    ) -> Written:
        plan = self.plan_for_change(ctx, employee_id, cycle_id)
        plan.define_kra(
            kra_id, definition, actor=ctx.actor, reason=reason, kpis=kpis, weights=weights
        )
        return self.commit(ctx, plan, main=plan, created=True)

    @command
    def change_kra(
        self,
        ctx: Context,
        employee_id: str,
        cycle_id: str,
        kra_id: str,
        definition: KraDefinition,
        *,
        reason: str | None = None,
    ) -> Written:
        plan = self.plan_for_change(ctx, employee_id, cycle_id)
        plan.change_kra(kra_id, definition, actor=ctx.actor, reason=reason)
        return self.commit(ctx, plan, main=plan)

    @command
    def remove_kra(
        self,
        ctx: Context,
        employee_id: str,
        cycle_id: str,
        kra_id: str,
        *,
        reason: str | None = None,
        weights: Weights | None = None,
    ) -> Written:
        plan = self.plan_for_change(ctx, employee_id, cycle_id)
        plan.remove_kra(kra_id, actor=ctx.actor, reason=reason, weights=weights)
        return self.commit(ctx, plan, main=plan)

    @command
    def define_kpi(
        self,
        ctx: Context,
        employee_id: str,
        cycle_id: str,
        kpi_id: str,
        kra_id: str,
        definition: KpiDefinition,
        *,
        reason: str | None = None,
        weights: Weights | None = None,
    ) -> Written:
        plan = self.plan_for_change(ctx, employee_id, cycle_id)
        plan.define_kpi(kpi_id, kra_id, definition, actor=ctx.actor, reason=reason, weights=weights)
        return self.commit(ctx, plan, main=plan, created=True)

    @command
    def change_kpi(
        self,
        ctx: Context,
        employee_id: str,
        cycle_id: str,
        kpi_id: str,
        definition: KpiDefinition,
        *,
        reason: str | None = None,
    ) -> Written:
        plan = self.plan_for_change(ctx, employee_id, cycle_id)
        plan.change_kpi(kpi_id, definition, actor=ctx.actor, reason=reason)
        return self.commit(ctx, plan, main=plan)

    @command
    def remove_kpi(
        self,
        ctx: Context,
        employee_id: str,
        cycle_id: str,
        kpi_id: str,
        *,
        reason: str | None = None,
        weights: Weights | None = None,
    ) -> Written:
        plan = self.plan_for_change(ctx, employee_id, cycle_id)
        plan.remove_kpi(kpi_id, actor=ctx.actor, reason=reason, weights=weights)
        return self.commit(ctx, plan, main=plan)

    @command
    def reweight(
        self,
        ctx: Context,
        employee_id: str,
        cycle_id: str,
        weights: Weights,
        *,
        reason: str | None = None,
    ) -> Written:
        plan = self.plan_for_change(ctx, employee_id, cycle_id)
        plan.reweight(weights, actor=ctx.actor, reason=reason)
        return self.commit(ctx, plan, main=plan)

    @command
    def activate_plan(self, ctx: Context, employee_id: str, cycle_id: str) -> Written:
        plan = self.plan_for_change(ctx, employee_id, cycle_id)
        plan.activate(actor=ctx.actor)
        return self.commit(ctx, plan, main=plan)

    @command
    def revise_target(
        self,
        ctx: Context,
        employee_id: str,
        cycle_id: str,
        kpi_id: str,
        spec: TargetSpec,
        *,
        effective_from: str,
        reason: str | None,
        approved_by: str | None = None,
    ) -> Written:
        plan = self.plan_for_change(ctx, employee_id, cycle_id)
        plan.revise_target(
            kpi_id,
            spec,
            effective_from=effective_from,
            actor=ctx.actor,
            reason=reason,
            approved_by=approved_by,
        )
        return self.commit(ctx, plan, main=plan, created=True)

    @command
    def adjust_target(
        self,
        ctx: Context,
        employee_id: str,
        cycle_id: str,
        kpi_id: str,
        spec: TargetSpec,
        *,
        period: str,
        reason: str | None,
        approved_by: str | None = None,
    ) -> Written:
        plan = self.plan_for_change(ctx, employee_id, cycle_id)
        plan.adjust_target(
            kpi_id, spec, period=period, actor=ctx.actor, reason=reason, approved_by=approved_by
        )
        return self.commit(ctx, plan, main=plan, created=True)

    def plan(self, employee_id: str, cycle_id: str, version: int | None = None) -> Plan:
        label = plan_label(employee_id, cycle_id)
        return self.load(Plan, Plan.create_id(employee_id, cycle_id), label, version)

    def plan_for_change(self, ctx: Context, employee_id: str, cycle_id: str) -> Plan:
        plan = self.plan(employee_id, cycle_id)
        self.check_version(ctx, plan)
        return plan


def plan_label(employee_id: str, cycle_id: str) -> str:
    return f"plan of employee {employee_id} for cycle {cycle_id}"
