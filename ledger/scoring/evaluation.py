"""One KPI evaluated over one period, before anything is rounded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ledger.periods import QUARTERS, quarter_bounds
from ledger.scoring.achievement import achievement
from ledger.scoring.actual import combined, counted
from ledger.scoring.averages import mean
from ledger.scoring.inputs import CyclePolicy, KpiPlan, MeasurementFact
from ledger.scoring.target import target_in_force
from ledger.values import TargetSpec


@dataclass(frozen=True)
class KpiEvaluation:
    """The target in force, the actual and the achievement of a KPI, unrounded."""

    spec: TargetSpec
    actual: Decimal | None
    measurement_count: int
    achievement: Decimal | None


def evaluate_quarter(
    kpi: KpiPlan, facts: Sequence[MeasurementFact], cycle: CyclePolicy, quarter: int
) -> KpiEvaluation:
    spec = target_in_force(kpi, quarter)
    first, last = quarter_bounds(cycle.start_date, quarter)
    measured = counted(facts, first, last)
    actual = combined(measured, kpi.aggregation)
    if actual is None:
        return KpiEvaluation(spec, None, 0, None)
    scored = achievement(actual, spec, kpi.direction, cycle.achievement_cap)
    return KpiEvaluation(spec, actual, len(measured), scored)


def evaluate_cycle(
    kpi: KpiPlan, facts: Sequence[MeasurementFact], cycle: CyclePolicy
) -> KpiEvaluation:
    """The mean of the scored quarterly achievements; shown beside the target in force
    in the last quarter and the actual over all the cycle's measurements."""
    quarterly = (evaluate_quarter(kpi, facts, cycle, quarter) for quarter in QUARTERS)
    achievements = [evaluation.achievement for evaluation in quarterly]
    first, _ = quarter_bounds(cycle.start_date, QUARTERS[0])
    _, last = quarter_bounds(cycle.start_date, QUARTERS[-1])
    measured = counted(facts, first, last)
    return KpiEvaluation(
        spec=target_in_force(kpi, QUARTERS[-1]),
        actual=combined(measured, kpi.aggregation),
        measurement_count=len(measured),
        achievement=mean(value for value in achievements if value is not None),
    )
