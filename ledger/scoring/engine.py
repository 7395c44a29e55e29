"""Scoring: a plan with its targets, measurements and policy in; a scorecard out.

Measurements are first tallied by KPI and quarter (see ``tally``); the scorecard is
scored from the tallies, so that a caller that keeps tallies up to date as measurements
arrive scores through the same path without going back to every measurement. Pure and
deterministic. Figures stay unrounded from one step to the next (KRA scores
from unrounded achievements, the overall score from unrounded KRA scores); they are
rounded only where they are reported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from ledger.errors import InvalidInput
from ledger.periods import QUARTERS
from ledger.scoring.averages import weighted_mean
from ledger.scoring.evaluation import KpiEvaluation, evaluate_cycle, evaluate_quarter
from ledger.scoring.inputs import KpiPlan, KraPlan, ScoringInput
from ledger.scoring.precision import exact, reported, reported_or_none
from ledger.scoring.rating import band_for
from ledger.scoring.scorecard import KpiScore, KraScore, Scorecard
from ledger.scoring.tally import Tallies, tallies_of

Evaluate = Callable[[KpiPlan], KpiEvaluation]


@exact
def score(inp: ScoringInput) -> Scorecard:
    """The scorecard of ``inp.employee_id`` for ``inp.period``.

    Raises InvalidInput when the period is neither a quarter Q1..Q4 nor the whole of
    ``inp.cycle``.
    """
    return score_tallied(inp, tallies_of(inp.measurements, inp.cycle.start_date))


@exact
def score_tallied(inp: ScoringInput, tallies: Tallies) -> Scorecard:
    """The scorecard of ``inp`` with ``tallies`` standing for its measurements, which
    are not read: ``score(inp)`` is ``score_tallied(inp, tallies_of(inp.measurements,
    inp.cycle.start_date))``.

    Raises InvalidInput as ``score`` does.
    """
    _check_period(inp)
    evaluate = _evaluator(inp, tallies)
    scored = [(kra.weight, *_score_kra(kra, evaluate)) for kra in inp.kras]
    overall = weighted_mean((weight, unrounded) for weight, unrounded, _ in scored)
    kras = tuple(row for _, _, row in scored)
    band = band_for(overall, inp.cycle.rating_scale)
    return Scorecard(
        employee_id=inp.employee_id,
        cycle_id=inp.cycle.cycle_id,
        period=inp.period.id,
        score=reported_or_none(overall),
        rating=None if band is None else band.rating,
        rating_label=None if band is None else band.label,
        complete=_is_complete(kras),
        kras=kras,
    )


def _check_period(inp: ScoringInput) -> None:
    period = inp.period
    if period.cycle_id != inp.cycle.cycle_id:
        message = f"period {period.id!r} is not a period of cycle {inp.cycle.cycle_id!r}"
        raise InvalidInput(message, {"period": message})
    if period.quarter is not None and period.quarter not in QUARTERS:
        message = f"period {period.id!r} names no quarter of a cycle (Q1..Q4)"
        raise InvalidInput(message, {"period": message})


def _evaluator(inp: ScoringInput, tallies: Tallies) -> Evaluate:
    quarter = inp.period.quarter

    def evaluate(kpi: KpiPlan) -> KpiEvaluation:
        if quarter is None:
            return evaluate_cycle(kpi, tallies, inp.cycle)
        return evaluate_quarter(kpi, tallies, inp.cycle, quarter)

    return evaluate


def _score_kra(kra: KraPlan, evaluate: Evaluate) -> tuple[Decimal | None, KraScore]:
    evaluations = [(kpi, evaluate(kpi)) for kpi in kra.kpis]
    unrounded = weighted_mean(
        (kpi.weight, evaluation.achievement) for kpi, evaluation in evaluations
    )
    row = KraScore(
        kra_id=kra.kra_id,
        title=kra.title,
        weight=reported(kra.weight),
        score=reported_or_none(unrounded),
        kpis=tuple(_kpi_row(kpi, evaluation) for kpi, evaluation in evaluations),
    )
    return unrounded, row


def _kpi_row(kpi: KpiPlan, evaluation: KpiEvaluation) -> KpiScore:
    spec = evaluation.spec
    return KpiScore(
        kpi_id=kpi.kpi_id,
        name=kpi.name,
        unit=kpi.unit,
        direction=kpi.direction,
        aggregation=kpi.aggregation,
        weight=reported(kpi.weight),
        target=reported(spec.target),
        threshold=reported_or_none(spec.threshold),
        stretch=reported_or_none(spec.stretch),
        actual=reported_or_none(evaluation.actual),
        achievement=reported_or_none(evaluation.achievement),
        measurement_count=evaluation.measurement_count,
    )


def _is_complete(kras: Sequence[KraScore]) -> bool:
    """Every KPI of the plan is scored; a plan without KPIs is not complete."""
    kpis = [kpi for kra in kras for kpi in kra.kpis]
    return bool(kpis) and all(kpi.achievement is not None for kpi in kpis)
