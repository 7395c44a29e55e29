from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from random import Random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.periods import Period
from ledger.scoring import (
    CyclePolicy,
    KpiPlan,
    KraPlan,
    MeasurementFact,
    ScoringInput,
    Tally,
    TallyKey,
    score,
    score_tallied,
    tallies_of,
    tally_of,
)
from ledger.scoring.tally import merged_all, quarter_within
from ledger.values import Aggregation, Direction, TargetSpec

START = date(2025, 4, 1)
KPI_IDS = ("sum", "mean", "min", "max", "last")

facts = st.lists(
    st.builds(
        lambda n, kpi, value, day, voided: MeasurementFact(
            f"m{n}", kpi, value, START + timedelta(days=day), n, voided
        ),
        n=st.integers(min_value=1, max_value=10**6),
        kpi=st.sampled_from(KPI_IDS),
        value=st.decimals(min_value=-(10**6), max_value=10**6, places=3),
        day=st.integers(min_value=-10, max_value=375),
        voided=st.booleans(),
    ),
    max_size=30,
    unique_by=lambda fact: fact.sequence,
)


def plan() -> tuple[KraPlan, ...]:
    kpis = tuple(
        KpiPlan(
            kpi_id,
            kpi_id,
            "units",
            Direction.INCREASE if n % 2 else Direction.DECREASE,
            Aggregation(kpi_id),
            Decimal(20),
            TargetSpec(Decimal(50), None, Decimal(80) if n % 2 else Decimal(20)),
        )
        for n, kpi_id in enumerate(KPI_IDS)
    )
    return (KraPlan("kra", "KRA", Decimal(100), kpis),)


def one_at_a_time(chosen: list[MeasurementFact], random: Random) -> dict[TallyKey, Tally]:
    """Tallies grown one measurement at a time, in a shuffled order."""
    shuffled = list(chosen)
    random.shuffle(shuffled)
    tallies: dict[TallyKey, Tally] = {}
    for fact in shuffled:
        quarter = quarter_within(START, fact.effective_date)
        if fact.voided or quarter is None:
            continue
        key = (fact.kpi_id, quarter)
        held = tallies.get(key)
        tallies[key] = Tally.of(fact) if held is None else held.merged(Tally.of(fact))
    return tallies


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts, st.randoms(use_true_random=False))
def test_a_tally_is_the_same_however_its_measurements_are_grouped(
    chosen: list[MeasurementFact], random: Random
) -> None:
    cut = random.randint(0, len(chosen))
    shuffled = list(chosen)
    random.shuffle(shuffled)

    parts = merged_all((tally_of(shuffled[:cut]), tally_of(shuffled[cut:])))

    assert parts == tally_of(chosen)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts, st.randoms(use_true_random=False))
def test_tallies_grown_one_measurement_at_a_time_score_as_the_measurements_do(
    chosen: list[MeasurementFact], random: Random
) -> None:
    tallies = one_at_a_time(chosen, random)
    cycle = CyclePolicy("FY2025", START)
    inp = ScoringInput("E1", Period("FY2025", 1), cycle, plan(), tuple(chosen))

    assert tallies == tallies_of(chosen, START)
    for quarter in (1, 2, 3, 4, None):
        period = replace(inp, period=Period("FY2025", quarter))
        tallied = score_tallied(replace(period, measurements=()), tallies)
        assert tallied.hash == score(period).hash
        assert tallied == score(period)


def test_a_tally_counts_no_measurement_outside_the_quarters_of_its_cycle() -> None:
    inside = MeasurementFact("m1", "sum", Decimal(1), START, 1)
    before = MeasurementFact("m2", "sum", Decimal(2), START - timedelta(days=1), 2)
    after = MeasurementFact("m3", "sum", Decimal(4), date(2026, 4, 1), 3)

    assert tallies_of((inside, before, after), START) == {("sum", 1): Tally.of(inside)}
