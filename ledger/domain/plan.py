"""Plan: one employee's KRAs and KPIs for one review cycle, and the targets in force."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.checks import check_actor, check_optional_name, check_reason, require_reason
from ledger.domain.definitions import (
    Kpi,
    KpiDefinition,
    Kra,
    KraDefinition,
    Layout,
    Weights,
    balance_problems,
    check_target_spec,
    check_weights,
)
from ledger.domain.topics import explicit_topics
from ledger.errors import AlreadyExists, InvalidInput, NotFound, RuleViolated
from ledger.ids import check_key, plan_uuid
from ledger.periods import parse_period
from ledger.values import Aggregation, Direction, TargetChange, TargetSpec

PlanStatus = Literal["draft", "active"]

GOOD_KRA_COUNT = range(4, 7)
GOOD_KPI_COUNT = range(2, 4)
USE_REWEIGHT = "change weights with a reweight"
USE_REVISION = "change targets with a target revision or adjustment"
KRA_FIELDS_FIXED_WHEN_ACTIVE = {"weight": USE_REWEIGHT}
KPI_FIELDS_FIXED_WHEN_ACTIVE = {
    "weight": USE_REWEIGHT,
    "target": USE_REVISION,
    "threshold": USE_REVISION,
    "stretch": USE_REVISION,
    "direction": "a KPI's direction is fixed once the plan is active",
}


@explicit_topics("Plan")
class Plan(Aggregate):
    """KRAs and KPIs drafted freely, then activated; after that every change has a reason."""

    class Event(Aggregate.Event):
        actor: str

    class Drafted(Event, Aggregate.Created):
        employee_id: str
        cycle_id: str

    class KraDefined(Event):
        kra_id: str
        title: str
        description: str
        weight: Decimal
        reason: str | None

        def apply(self, plan: Plan) -> None:
            plan._kras[self.kra_id] = Kra(self.kra_id, self.title, self.description, self.weight)

    class KraChanged(Event):
        kra_id: str
        changes: dict[str, Any]
        """Each changed field (title, description, weight) with its new value."""
        reason: str | None

        def apply(self, plan: Plan) -> None:
            plan._kras[self.kra_id] = plan._kras[self.kra_id].changed(self.changes)

    class KraRemoved(Event):
        kra_id: str
        kpi_ids: list[str]
        """The KPIs of the KRA, removed with it."""
        reason: str | None

        def apply(self, plan: Plan) -> None:
            del plan._kras[self.kra_id]
            for kpi_id in self.kpi_ids:
                plan._retire_kpi(kpi_id)

    class KpiDefined(Event):
        kpi_id: str
        kra_id: str
        name: str
        description: str
        unit: str
        direction: Direction
        aggregation: Aggregation
        weight: Decimal
        target: Decimal
        threshold: Decimal | None
        stretch: Decimal | None
        reason: str | None
        scale: Decimal | None
        """A rate's scale; None for every other KPI."""

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Stored before rates: no KPI then had a scale."""
            state["scale"] = None

        def apply(self, plan: Plan) -> None:
            spec = TargetSpec(self.target, self.threshold, self.stretch)
            plan._kpis[self.kpi_id] = Kpi(
                self.kpi_id,
                self.kra_id,
                self.name,
                self.description,
                self.unit,
                self.direction,
                self.aggregation,
                self.weight,
                spec,
                scale=self.scale,
            )

    class KpiChanged(Event):
        kpi_id: str
        changes: dict[str, Any]
        """Each changed field (name, description, unit, direction, aggregation, weight,
        target, threshold, stretch) with its new value; None removes a threshold or stretch."""
        reason: str | None

        def apply(self, plan: Plan) -> None:
            plan._kpis[self.kpi_id] = plan._kpis[self.kpi_id].changed(self.changes)

    class KpiRemoved(Event):
        kpi_id: str
        reason: str | None

        def apply(self, plan: Plan) -> None:
            plan._retire_kpi(self.kpi_id)

    class Reweighted(Event):
        kra_weights: dict[str, Decimal]
        kpi_weights: dict[str, Decimal]
        reason: str | None

        def apply(self, plan: Plan) -> None:
            for kra_id, weight in self.kra_weights.items():
                plan._kras[kra_id] = plan._kras[kra_id].changed({"weight": weight})
            for kpi_id, weight in self.kpi_weights.items():
                plan._kpis[kpi_id] = plan._kpis[kpi_id].changed({"weight": weight})

    class Activated(Event):
        def apply(self, plan: Plan) -> None:
            plan.status = "active"

    class TargetRevised(Event):
        kpi_id: str
        target: Decimal
        threshold: Decimal | None
        stretch: Decimal | None
        effective_from: str
        """The first quarter it applies to, as a period id: ``FY2026-Q3``."""
        reason: str
        approved_by: str | None

        def apply(self, plan: Plan) -> None:
            kpi = plan._kpis[self.kpi_id]
            change = _target_change(self, self.effective_from)
            plan._kpis[self.kpi_id] = kpi.changed({"revisions": (*kpi.revisions, change)})

    class TargetAdjusted(Event):
        kpi_id: str
        period: str
        """The one quarter it applies to, as a period id: ``FY2026-Q3``."""
        target: Decimal
        threshold: Decimal | None
        stretch: Decimal | None
        reason: str
        approved_by: str | None

        def apply(self, plan: Plan) -> None:
            kpi = plan._kpis[self.kpi_id]
            change = _target_change(self, self.period)
            plan._kpis[self.kpi_id] = kpi.changed({"adjustments": (*kpi.adjustments, change)})

    @staticmethod
    def create_id(employee_id: str, cycle_id: str) -> UUID:
        return plan_uuid(employee_id, cycle_id)

    def __init__(self, employee_id: str, cycle_id: str) -> None:
        self.employee_id = employee_id
        self.cycle_id = cycle_id
        self.status: PlanStatus = "draft"
        self._kras: dict[str, Kra] = {}
        self._kpis: dict[str, Kpi] = {}
        self._retired_kpi_ids: set[str] = set()

    @classmethod
    def draft(cls, employee_id: str, cycle_id: str, *, actor: str) -> Plan:
        """Raises InvalidInput for malformed keys or actor."""
        return cls._create(
            cls.Drafted,
            employee_id=check_key(employee_id, "employee_id"),
            cycle_id=check_key(cycle_id, "cycle_id"),
            actor=check_actor(actor),
        )

    # Queries

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def kras(self) -> tuple[Kra, ...]:
        return tuple(self._kras.values())

    @property
    def kpis(self) -> tuple[Kpi, ...]:
        """Every KPI, grouped by KRA in the KRAs' order, each group in definition order."""
        return tuple(kpi for kra_id in self._kras for kpi in self.kpis_of(kra_id))

    def kra(self, kra_id: str) -> Kra:
        """Raises NotFound for an unknown KRA."""
        try:
            return self._kras[kra_id]
        except KeyError:
            raise NotFound(f"plan has no KRA {kra_id!r}") from None

    def kpi(self, kpi_id: str) -> Kpi:
        """Raises NotFound for an unknown KPI."""
        try:
            return self._kpis[kpi_id]
        except KeyError:
            raise NotFound(f"plan has no KPI {kpi_id!r}") from None

    def has_kpi(self, kpi_id: str) -> bool:
        return kpi_id in self._kpis

    def kpis_of(self, kra_id: str) -> tuple[Kpi, ...]:
        return tuple(kpi for kpi in self._kpis.values() if kpi.kra_id == kra_id)

    @property
    def weights(self) -> Weights:
        return Weights(
            kra_weights={kra.kra_id: kra.weight for kra in self.kras},
            kpi_weights={kpi.kpi_id: kpi.weight for kpi in self.kpis},
        )

    def layout(self) -> dict[str, list[str]]:
        """Each KRA id with its KPI ids, in order."""
        return {kra_id: [kpi.kpi_id for kpi in self.kpis_of(kra_id)] for kra_id in self._kras}

    def lint(self) -> list[str]:
        """Warnings against good practice; none of them stops anything."""
        warnings = []
        if len(self._kras) not in GOOD_KRA_COUNT:
            warnings.append(f"the plan has {len(self._kras)} KRAs; good practice is 4 to 6")
        for kra in self.kras:
            count = len(self.kpis_of(kra.kra_id))
            if count not in GOOD_KPI_COUNT:
                warnings.append(f"KRA {kra.kra_id} has {count} KPIs; good practice is 2 to 3")
            if not kra.description:
                warnings.append(f"KRA {kra.kra_id} has no description")
        for kpi in self.kpis:
            if not kpi.unit:
                warnings.append(f"KPI {kpi.kpi_id} has no unit, so it is not measurable")
        if not self.is_active:
            warnings.extend(
                f"activation needs: {problem}"
                for problem in balance_problems(self.weights, self.layout())
            )
        return warnings

    # Definitions

    def define_kra(
        self,
        kra_id: str,
        definition: KraDefinition,
        *,
        actor: str,
        reason: str | None = None,
        kpis: Mapping[str, KpiDefinition] | None = None,
        weights: Weights | None = None,
    ) -> None:
        """Defines a KRA, with the KPIs given (by id, in order), then applies ``weights``.

        An active plan needs a reason, the new KRA's KPIs and a complete set of weights
        that keeps every sum at 100. Raises AlreadyExists for a known id, InvalidInput for
        malformed values, a missing reason or missing weights, RuleViolated for weights
        that would not balance an active plan.
        """
        actor = check_actor(actor)
        checked_reason = self._check_reason(reason)
        check_key(kra_id, "kra_id")
        if kra_id in self._kras:
            raise AlreadyExists(f"plan already has KRA {kra_id!r}")
        definition = definition.checked()
        new_kpis = {
            kpi_id: self._check_new_kpi(kpi_id, kpi) for kpi_id, kpi in (kpis or {}).items()
        }
        layout = self.layout() | {kra_id: list(new_kpis)}
        stated = {kra_id: definition.weight} | {k: d.weight for k, d in new_kpis.items()}
        new_weights = self._check_new_weights(weights, layout, stated)
        self.trigger_event(
            self.KraDefined,
            kra_id=kra_id,
            title=definition.title,
            description=definition.description,
            weight=definition.weight,
            reason=checked_reason,
            actor=actor,
        )
        for kpi_id, kpi in new_kpis.items():
            self._trigger_kpi_defined(kpi_id, kra_id, kpi, checked_reason, actor)
        self._trigger_reweighted(new_weights, checked_reason, actor)

    def change_kra(
        self,
        kra_id: str,
        definition: KraDefinition,
        *,
        actor: str,
        reason: str | None = None,
    ) -> list[str]:
        """Records the fields that differ and returns their names; nothing when none does.

        Raises NotFound for an unknown KRA, InvalidInput for malformed values or a missing
        reason on an active plan, RuleViolated for a weight change on an active plan.
        """
        actor = check_actor(actor)
        current = self.kra(kra_id).to_definition().fields()
        changes = _differences(current, definition.checked().fields())
        if not changes:
            return []
        self._check_fixed_when_active(changes, KRA_FIELDS_FIXED_WHEN_ACTIVE)
        self.trigger_event(
            self.KraChanged,
            kra_id=kra_id,
            changes=changes,
            reason=self._check_reason(reason),
            actor=actor,
        )
        return list(changes)

    def remove_kra(
        self,
        kra_id: str,
        *,
        actor: str,
        reason: str | None = None,
        weights: Weights | None = None,
    ) -> None:
        """Removes a KRA with all its KPIs, then applies ``weights``.

        An active plan needs a reason and a complete set of weights for what remains.
        Raises NotFound, InvalidInput or RuleViolated as ``define_kra`` does.
        """
        actor = check_actor(actor)
        checked_reason = self._check_reason(reason)
        self.kra(kra_id)
        layout = self.layout()
        kpi_ids = layout.pop(kra_id)
        new_weights = self._check_new_weights(weights, layout, {})
        self.trigger_event(
            self.KraRemoved, kra_id=kra_id, kpi_ids=kpi_ids, reason=checked_reason, actor=actor
        )
        self._trigger_reweighted(new_weights, checked_reason, actor)

    def define_kpi(
        self,
        kpi_id: str,
        kra_id: str,
        definition: KpiDefinition,
        *,
        actor: str,
        reason: str | None = None,
        weights: Weights | None = None,
    ) -> None:
        """Defines a KPI of an existing KRA, then applies ``weights``.

        An active plan needs a reason and a complete set of weights that keeps every sum
        at 100. Raises NotFound for an unknown KRA, AlreadyExists for a known (or retired)
        KPI id, InvalidInput for malformed values, a missing reason or missing weights,
        RuleViolated for weights that would not balance an active plan.
        """
        actor = check_actor(actor)
        checked_reason = self._check_reason(reason)
        self.kra(kra_id)
        definition = self._check_new_kpi(kpi_id, definition)
        layout = self.layout()
        layout[kra_id].append(kpi_id)
        new_weights = self._check_new_weights(weights, layout, {kpi_id: definition.weight})
        self._trigger_kpi_defined(kpi_id, kra_id, definition, checked_reason, actor)
        self._trigger_reweighted(new_weights, checked_reason, actor)

    def change_kpi(
        self,
        kpi_id: str,
        definition: KpiDefinition,
        *,
        actor: str,
        reason: str | None = None,
    ) -> list[str]:
        """Records the fields that differ and returns their names; nothing when none does.

        A KPI stays in its KRA. On an active plan its weight, direction and targets are
        fixed (RuleViolated) and a reason is required (InvalidInput). Raises NotFound for
        an unknown KPI, InvalidInput for malformed values.
        """
        actor = check_actor(actor)
        kpi = self.kpi(kpi_id)
        current = kpi.to_definition().fields()
        checked = definition.checked()
        changes = _differences(current, checked.fields())
        if not changes:
            return []
        self._check_fixed_when_active(changes, KPI_FIELDS_FIXED_WHEN_ACTIVE)
        if self.is_active and kpi.is_rate != (checked.aggregation is Aggregation.RATIO):
            raise RuleViolated(
                f"KPI {kpi_id} is measured as {'a rate' if kpi.is_rate else 'values'};"
                " once the plan is active that is fixed (define another KPI)"
            )
        self.trigger_event(
            self.KpiChanged,
            kpi_id=kpi_id,
            changes=changes,
            reason=self._check_reason(reason),
            actor=actor,
        )
        return list(changes)

    def remove_kpi(
        self,
        kpi_id: str,
        *,
        actor: str,
        reason: str | None = None,
        weights: Weights | None = None,
    ) -> None:
        """Removes a KPI, then applies ``weights``; its id is never reused once active.

        An active plan needs a reason and a complete set of weights for what remains, and
        keeps at least one KPI per KRA (remove the KRA instead). Raises NotFound,
        InvalidInput or RuleViolated as ``define_kpi`` does.
        """
        actor = check_actor(actor)
        checked_reason = self._check_reason(reason)
        kpi = self.kpi(kpi_id)
        layout = self.layout()
        layout[kpi.kra_id].remove(kpi_id)
        new_weights = self._check_new_weights(weights, layout, {})
        self.trigger_event(self.KpiRemoved, kpi_id=kpi_id, reason=checked_reason, actor=actor)
        self._trigger_reweighted(new_weights, checked_reason, actor)

    def _trigger_kpi_defined(
        self,
        kpi_id: str,
        kra_id: str,
        definition: KpiDefinition,
        reason: str | None,
        actor: str,
    ) -> None:
        self.trigger_event(
            self.KpiDefined,
            kpi_id=kpi_id,
            kra_id=kra_id,
            name=definition.name,
            description=definition.description,
            unit=definition.unit,
            direction=definition.direction,
            aggregation=definition.aggregation,
            weight=definition.weight,
            target=definition.spec.target,
            threshold=definition.spec.threshold,
            stretch=definition.spec.stretch,
            reason=reason,
            scale=definition.scale,
            actor=actor,
        )

    def _retire_kpi(self, kpi_id: str) -> None:
        del self._kpis[kpi_id]
        if self.is_active:
            self._retired_kpi_ids.add(kpi_id)

    # Weights and activation

    def reweight(self, weights: Weights, *, actor: str, reason: str | None = None) -> None:
        """Replaces every weight at once.

        ``weights`` names every KRA and KPI. On an active plan the reason is required and
        the weights must keep every sum at 100 (RuleViolated). Raises InvalidInput for
        malformed or incomplete weights, RuleViolated when nothing would change.
        """
        actor = check_actor(actor)
        checked_reason = self._check_reason(reason)
        new_weights = self._check_new_weights(weights, self.layout(), {})
        if new_weights == self.weights:
            raise RuleViolated("the plan has these weights already")
        self._trigger_reweighted(new_weights, checked_reason, actor)

    def _trigger_reweighted(self, weights: Weights | None, reason: str | None, actor: str) -> None:
        if weights is not None:
            self.trigger_event(
                self.Reweighted,
                kra_weights=dict(weights.kra_weights),
                kpi_weights=dict(weights.kpi_weights),
                reason=reason,
                actor=actor,
            )

    def activate(self, *, actor: str) -> None:
        """Raises RuleViolated when active already, or unless the KRA weights sum to 100,
        every KRA has KPIs and the KPI weights of every KRA sum to 100."""
        actor = check_actor(actor)
        if self.is_active:
            raise RuleViolated("the plan is active already")
        problems = balance_problems(self.weights, self.layout())
        if problems:
            raise RuleViolated(f"the plan cannot be activated: {'; '.join(problems)}")
        for kpi in self.kpis:
            kpi.to_definition().checked()
        self.trigger_event(self.Activated, actor=actor)

    # Targets

    def revise_target(
        self,
        kpi_id: str,
        spec: TargetSpec,
        *,
        effective_from: str,
        actor: str,
        reason: str | None,
        approved_by: str | None = None,
    ) -> None:
        """Changes a KPI's target from a quarter (``FY2026-Q3``) of this cycle onward.

        Raises RuleViolated unless the plan is active, NotFound for an unknown KPI,
        InvalidInput for another cycle's period, a spec invalid for the KPI's direction or
        a missing reason.
        """
        self.trigger_event(
            self.TargetRevised,
            **self._check_target_change(kpi_id, spec, effective_from, "effective_from"),
            effective_from=effective_from,
            reason=require_reason(reason),
            approved_by=check_optional_name(approved_by, "approved_by"),
            actor=check_actor(actor),
        )

    def adjust_target(
        self,
        kpi_id: str,
        spec: TargetSpec,
        *,
        period: str,
        actor: str,
        reason: str | None,
        approved_by: str | None = None,
    ) -> None:
        """Overrides a KPI's target for one quarter (``FY2026-Q3``) of this cycle only.

        Raises as ``revise_target`` does.
        """
        self.trigger_event(
            self.TargetAdjusted,
            **self._check_target_change(kpi_id, spec, period, "period"),
            period=period,
            reason=require_reason(reason),
            approved_by=check_optional_name(approved_by, "approved_by"),
            actor=check_actor(actor),
        )

    def _check_target_change(
        self, kpi_id: str, spec: TargetSpec, period_id: str, field: str
    ) -> dict[str, Any]:
        self.check_active()
        kpi = self.kpi(kpi_id)
        self._check_quarter(period_id, field)
        spec = check_target_spec(spec, kpi.direction)
        return {
            "kpi_id": kpi_id,
            "target": spec.target,
            "threshold": spec.threshold,
            "stretch": spec.stretch,
        }

    # Checks

    def check_active(self) -> None:
        if not self.is_active:
            raise RuleViolated("the plan is not active")

    def _check_reason(self, reason: str | None) -> str | None:
        return check_reason(reason, required=self.is_active)

    def _check_new_kpi(self, kpi_id: str, definition: KpiDefinition) -> KpiDefinition:
        check_key(kpi_id, "kpi_id")
        if kpi_id in self._kpis:
            raise AlreadyExists(f"plan already has KPI {kpi_id!r}")
        if kpi_id in self._retired_kpi_ids:
            raise AlreadyExists(f"KPI id {kpi_id!r} was removed from this plan and is retired")
        return definition.checked()

    def _check_new_weights(
        self, weights: Weights | None, layout: Layout, stated: Mapping[str, Decimal]
    ) -> Weights | None:
        """The weights to apply after a change of ``layout``; None when there are none."""
        if weights is None:
            if self.is_active:
                message = "an active plan needs a complete new set of weights with this change"
                raise InvalidInput(message, {"weights": message})
            return None
        checked = check_weights(weights, layout)
        every_weight = {**checked.kra_weights, **checked.kpi_weights}
        for name, weight in stated.items():
            if every_weight[name] != weight:
                message = f"the weight of {name} differs from its definition"
                raise InvalidInput(message, {"weights": message})
        if self.is_active:
            problems = balance_problems(checked, layout)
            if problems:
                raise RuleViolated(f"the weights would not balance: {'; '.join(problems)}")
        return checked

    def _check_fixed_when_active(
        self, changes: Mapping[str, object], fixed: Mapping[str, str]
    ) -> None:
        if self.is_active:
            for name in changes:
                if name in fixed:
                    raise RuleViolated(f"{name} cannot change on an active plan: {fixed[name]}")

    def _check_quarter(self, period_id: str, field: str) -> None:
        period = parse_period(period_id) if isinstance(period_id, str) else None
        if period is None or period.cycle_id != self.cycle_id or period.quarter is None:
            message = f"must be a quarter of cycle {self.cycle_id}, {self.cycle_id}-Q1 to -Q4"
            raise InvalidInput(f"{field} {message}", {field: message})


def _target_change(event: Plan.TargetRevised | Plan.TargetAdjusted, period_id: str) -> TargetChange:
    quarter = parse_period(period_id).quarter
    assert quarter is not None
    spec = TargetSpec(event.target, event.threshold, event.stretch)
    return TargetChange(quarter, event.originator_version, spec)


def _differences(current: Mapping[str, Any], proposed: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of ``proposed`` that differ, and None for a field it no longer has."""
    names = [*proposed, *(name for name in current if name not in proposed)]
    return {name: proposed.get(name) for name in names if current.get(name) != proposed.get(name)}
