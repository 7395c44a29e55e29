"""What the scoring engine is given: a plan, its target changes, measurements, policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ledger.periods import Period
from ledger.values import (
    DEFAULT_ACHIEVEMENT_CAP,
    DEFAULT_RATING_SCALE,
    Aggregation,
    Direction,
    RatingBand,
    TargetChange,
    TargetSpec,
)


@dataclass(frozen=True)
class KpiPlan:
    kpi_id: str
    name: str
    unit: str
    direction: Direction
    aggregation: Aggregation
    weight: Decimal
    definition: TargetSpec
    revisions: tuple[TargetChange, ...] = ()
    adjustments: tuple[TargetChange, ...] = ()
    scale: Decimal | None = None
    """A rate's scale (1 or 100); None for other aggregations."""


@dataclass(frozen=True)
class KraPlan:
    kra_id: str
    title: str
    weight: Decimal
    kpis: tuple[KpiPlan, ...]


@dataclass(frozen=True)
class MeasurementFact:
    """One measurement at its latest corrected value (a rate: numerator and denominator)."""

    measurement_id: str
    kpi_id: str
    value: Decimal | None
    effective_date: date
    sequence: int
    voided: bool = False
    numerator: Decimal | None = None
    denominator: Decimal | None = None


@dataclass(frozen=True)
class CyclePolicy:
    cycle_id: str
    start_date: date
    achievement_cap: Decimal = DEFAULT_ACHIEVEMENT_CAP
    rating_scale: tuple[RatingBand, ...] = DEFAULT_RATING_SCALE


@dataclass(frozen=True)
class ScoringInput:
    """Everything one scorecard depends on, and nothing else."""

    employee_id: str
    period: Period
    cycle: CyclePolicy
    kras: tuple[KraPlan, ...]
    measurements: tuple[MeasurementFact, ...]
