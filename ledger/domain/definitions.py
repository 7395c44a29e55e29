"""What a plan is made of: KRAs, KPIs, their weights and targets, and the rules they obey."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from ledger.domain.checks import TEXT_MAX_LENGTH, check_number, check_text
from ledger.errors import InvalidInput
from ledger.values import RATIO_SCALES, Aggregation, Direction, TargetChange, TargetSpec

FULL_WEIGHT = Decimal(100)
SPEC_FIELDS = ("target", "threshold", "stretch")


@dataclass(frozen=True)
class KraDefinition:
    """A key result area as a client defines it."""

    title: str
    weight: Decimal
    description: str = ""

    def checked(self) -> KraDefinition:
        return KraDefinition(
            title=check_text(self.title, "title"),
            weight=check_weight(self.weight, "weight"),
            description=check_text(
                self.description, "description", required=False, max_length=TEXT_MAX_LENGTH
            ),
        )

    def fields(self) -> dict[str, Any]:
        return {"title": self.title, "description": self.description, "weight": self.weight}


@dataclass(frozen=True)
class KpiDefinition:
    """A key performance indicator as a client defines it, with its target."""

    name: str
    unit: str
    direction: Direction
    aggregation: Aggregation
    weight: Decimal
    spec: TargetSpec
    description: str = ""
    scale: Decimal | None = None
    """A rate's multiplier (1 or 100); a KPI of another aggregation has none."""

    def checked(self) -> KpiDefinition:
        if not isinstance(self.direction, Direction):
            message = "must be increase or decrease"
            raise InvalidInput(f"direction {message}", {"direction": message})
        if not isinstance(self.aggregation, Aggregation):
            message = "must be sum, mean, last, min, max or ratio"
            raise InvalidInput(f"aggregation {message}", {"aggregation": message})
        return KpiDefinition(
            name=check_text(self.name, "name"),
            unit=check_text(self.unit, "unit", required=False),
            direction=self.direction,
            aggregation=self.aggregation,
            weight=check_weight(self.weight, "weight"),
            spec=check_target_spec(self.spec, self.direction),
            description=check_text(
                self.description, "description", required=False, max_length=TEXT_MAX_LENGTH
            ),
            scale=check_scale(self.scale, self.aggregation),
        )

    def fields(self) -> dict[str, Any]:
        """Every field by name, with the target, threshold and stretch side by side; the
        scale only for a rate, so that other KPIs read as they always have."""
        scale = {} if self.scale is None else {"scale": self.scale}
        return {
            "name": self.name,
            "description": self.description,
            "unit": self.unit,
            "direction": self.direction,
            "aggregation": self.aggregation,
            "weight": self.weight,
            "target": self.spec.target,
            "threshold": self.spec.threshold,
            "stretch": self.spec.stretch,
            **scale,
        }


def check_scale(scale: Decimal | None, aggregation: Aggregation) -> Decimal | None:
    """A rate has a scale of 1 or 100; any other KPI has none."""
    if aggregation is not Aggregation.RATIO:
        if scale is not None:
            message = "only a KPI with aggregation ratio has a scale"
            raise InvalidInput(f"scale: {message}", {"scale": message})
        return None
    if scale is None or isinstance(scale, bool) or scale not in RATIO_SCALES:
        message = "a KPI with aggregation ratio needs a scale of 1 or 100"
        raise InvalidInput(f"scale: {message}", {"scale": message})
    return scale


@dataclass(frozen=True)
class Weights:
    """A complete set of weights: every KRA of a plan and every KPI, by id."""

    kra_weights: Mapping[str, Decimal]
    kpi_weights: Mapping[str, Decimal]


Layout = Mapping[str, list[str]]
"""The KRA ids of a plan in order, each with its KPI ids in order."""


@dataclass(frozen=True)
class Kra:
    kra_id: str
    title: str
    description: str
    weight: Decimal

    def to_definition(self) -> KraDefinition:
        return KraDefinition(self.title, self.weight, self.description)

    def changed(self, changes: Mapping[str, Any]) -> Kra:
        return replace(self, **changes)


@dataclass(frozen=True)
class Kpi:
    """A KPI of a plan: its definition, and the revisions and adjustments of its target."""

    kpi_id: str
    kra_id: str
    name: str
    description: str
    unit: str
    direction: Direction
    aggregation: Aggregation
    weight: Decimal
    definition: TargetSpec
    """The target, threshold and stretch the KPI was defined (or last changed) with."""
    revisions: tuple[TargetChange, ...] = ()
    adjustments: tuple[TargetChange, ...] = ()
    scale: Decimal | None = None

    @property
    def is_rate(self) -> bool:
        """Its measurements carry a numerator and a denominator, not a value."""
        return self.aggregation is Aggregation.RATIO

    def to_definition(self) -> KpiDefinition:
        return KpiDefinition(
            name=self.name,
            unit=self.unit,
            direction=self.direction,
            aggregation=self.aggregation,
            weight=self.weight,
            spec=self.definition,
            description=self.description,
            scale=self.scale,
        )

    def changed(self, changes: Mapping[str, Any]) -> Kpi:
        spec_changes = {name: value for name, value in changes.items() if name in SPEC_FIELDS}
        others = {name: value for name, value in changes.items() if name not in SPEC_FIELDS}
        return replace(self, definition=replace(self.definition, **spec_changes), **others)


def check_weight(weight: Decimal, field: str) -> Decimal:
    """A weight is a decimal above 0 and at most 100."""
    check_number(weight, field)
    if not 0 < weight <= FULL_WEIGHT:
        message = "must be above 0 and at most 100"
        raise InvalidInput(f"{field} {message}", {field: message})
    return weight


def check_target_spec(spec: TargetSpec, direction: Direction) -> TargetSpec:
    """For increase, threshold < target < stretch where given; for decrease, threshold >
    target > stretch where given; without a threshold the target must be above 0."""
    if not isinstance(spec, TargetSpec):
        raise InvalidInput("target is required", {"target": "required"})
    for name in SPEC_FIELDS:
        value = getattr(spec, name)
        if value is None and name == "target":
            raise InvalidInput("target is required", {"target": "required"})
        if value is not None:
            check_number(value, name)
    below, above = ("threshold", "stretch")
    if direction is Direction.DECREASE:
        below, above = above, below
    if spec.threshold is None and spec.target <= 0:
        message = "must be above 0 when there is no threshold"
        raise InvalidInput(f"target {message}", {"target": message})
    _check_order(spec, below, "target", direction)
    _check_order(spec, "target", above, direction)
    return spec


def _check_order(spec: TargetSpec, lower: str, higher: str, direction: Direction) -> None:
    low, high = getattr(spec, lower), getattr(spec, higher)
    if low is not None and high is not None and not low < high:
        field = higher if lower == "target" else lower
        message = f"{lower} must be below {higher} for a KPI that should {direction.value}"
        raise InvalidInput(message, {field: message})


def check_weights(weights: Weights, layout: Layout) -> Weights:
    """Exactly one valid weight for every KRA and every KPI of ``layout``, in its order."""
    kra_ids = list(layout)
    kpi_ids = [kpi_id for ids in layout.values() for kpi_id in ids]
    _check_names_exactly(weights.kra_weights, kra_ids, "kra_weights")
    _check_names_exactly(weights.kpi_weights, kpi_ids, "kpi_weights")
    return Weights(
        kra_weights={
            kra_id: check_weight(weights.kra_weights[kra_id], "kra_weights") for kra_id in kra_ids
        },
        kpi_weights={
            kpi_id: check_weight(weights.kpi_weights[kpi_id], "kpi_weights") for kpi_id in kpi_ids
        },
    )


def _check_names_exactly(given: Mapping[str, Decimal], expected: list[str], field: str) -> None:
    missing = [name for name in expected if name not in given]
    unknown = [name for name in given if name not in expected]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown {', '.join(map(str, unknown))}")
        message = f"must name every one of the plan's ids exactly once: {'; '.join(parts)}"
        raise InvalidInput(f"{field} {message}", {field: message})


def balance_problems(weights: Weights, layout: Layout) -> list[str]:
    """Why these weights could not stand in an active plan; empty when they can."""
    if not layout:
        return ["the plan has no KRA"]
    problems = []
    kra_total = sum(weights.kra_weights.values(), Decimal(0))
    if kra_total != FULL_WEIGHT:
        problems.append(f"KRA weights sum to {kra_total}, not 100")
    for kra_id, kpi_ids in layout.items():
        if not kpi_ids:
            problems.append(f"KRA {kra_id} has no KPI")
            continue
        kpi_total = sum((weights.kpi_weights[kpi_id] for kpi_id in kpi_ids), Decimal(0))
        if kpi_total != FULL_WEIGHT:
            problems.append(f"KPI weights of KRA {kra_id} sum to {kpi_total}, not 100")
    return problems
