"""One KPI evaluated over one period from its tallies, before anything is rounded."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ledger.periods import QUARTERS
from ledger.scoring.achievement import achievement
from ledger.scoring.averages import mean
from ledger.scoring.inputs import CyclePolicy, KpiPlan
from ledger.scoring.tally import Tallies, merged_all
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
    kpi: KpiPlan, tallies: Tallies, cycle: CyclePolicy, quarter: int
) -> KpiEvaluation:
    spec = target_in_force(kpi, quarter)
    tally = tallies.get((kpi.kpi_id, quarter))
    if tally is None:
        return KpiEvaluation(spec, None, 0, None)
    actual = tally.actual(kpi.aggregation, kpi.scale)
    if actual is None:
        return KpiEvaluation(spec, None, tally.count, None)
    scored = achievement(actual, spec, kpi.direction, cycle.achievement_cap)
    return KpiEvaluation(spec, actual, tally.count, scored)


def evaluate_cycle(kpi: KpiPlan, tallies: Tallies, cycle: CyclePolicy) -> KpiEvaluation:
    """The mean of the scored quarterly achievements; shown beside the target in force
    in the last quarter and the actual over all the cycle's measurements."""
    quarterly = (evaluate_quarter(kpi, tallies, cycle, quarter) for quarter in QUARTERS)
    achievements = [evaluation.achievement for evaluation in quarterly]
    whole = merged_all(tallies.get((kpi.kpi_id, quarter)) for quarter in QUARTERS)
    return KpiEvaluation(
        spec=target_in_force(kpi, QUARTERS[-1]),
        actual=None if whole is None else whole.actual(kpi.aggregation, kpi.scale),
        measurement_count=0 if whole is None else whole.count,
        achievement=mean(value for value in achievements if value is not None),
    )
