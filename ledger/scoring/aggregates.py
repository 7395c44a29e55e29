"""From the aggregates to the scoring engine: the one path every scorecard takes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ledger.domain.cycle import ReviewCycle
from ledger.domain.definitions import Kpi
from ledger.domain.measurements import MeasurementLog
from ledger.domain.plan import Plan
from ledger.periods import Period
from ledger.scoring import (
    CyclePolicy,
    KpiPlan,
    KraPlan,
    MeasurementFact,
    Scorecard,
    ScoringInput,
    score,
)


@dataclass(frozen=True)
class Knowledge:
    """The aggregates one scorecard depends on, as the ledger knew them at ``position``."""

    position: int
    plan: Plan
    log: MeasurementLog | None
    cycle: ReviewCycle


def kpi_plan(kpi: Kpi) -> KpiPlan:
    return KpiPlan(
        kpi_id=kpi.kpi_id,
        name=kpi.name,
        unit=kpi.unit,
        direction=kpi.direction,
        aggregation=kpi.aggregation,
        weight=kpi.weight,
        definition=kpi.definition,
        revisions=kpi.revisions,
        adjustments=kpi.adjustments,
        scale=kpi.scale,
    )


def scoring_input(knowledge: Knowledge, period: Period) -> ScoringInput:
    plan, log, cycle = knowledge.plan, knowledge.log, knowledge.cycle
    kras = tuple(
        KraPlan(
            kra.kra_id,
            kra.title,
            kra.weight,
            tuple(kpi_plan(kpi) for kpi in plan.kpis_of(kra.kra_id)),
        )
        for kra in plan.kras
    )
    measurements = tuple(
        MeasurementFact(
            m.measurement_id,
            m.kpi_id,
            m.value,
            m.effective_date,
            m.sequence,
            m.voided,
            m.numerator,
            m.denominator,
        )
        for m in (log.measurements if log is not None else ())
    )
    policy = CyclePolicy(
        cycle.cycle_id, cycle.start_date, cycle.achievement_cap, cycle.rating_scale
    )
    return ScoringInput(plan.employee_id, period, policy, kras, measurements)


def scorecard_of(knowledge: Knowledge, period: Period) -> Scorecard:
    return score(scoring_input(knowledge, period))


def scorecards_of(knowledge: Knowledge, periods: Sequence[Period]) -> list[Scorecard]:
    """The scorecards of several periods of the same knowledge, its input built once."""
    if not periods:
        return []
    inp = scoring_input(knowledge, periods[0])
    return [score(replace(inp, period=period)) for period in periods]
