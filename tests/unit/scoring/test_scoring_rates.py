"""Rates: a period's actual is the ratio of its sums, never the mean of monthly rates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, localcontext

from ledger.periods import Period
from ledger.scoring import (
    CyclePolicy,
    KpiPlan,
    KpiScore,
    KraPlan,
    MeasurementFact,
    Scorecard,
    ScoringInput,
    score,
)
from ledger.scoring.tally import tally_of
from ledger.values import Aggregation, Direction, TargetSpec

CYCLE = CyclePolicy("FY2026", date(2025, 4, 1))
D = Decimal


def conversion(scale: str = "100", direction: Direction = Direction.INCREASE) -> KpiPlan:
    return KpiPlan(
        kpi_id="conversion",
        name="conversion rate",
        unit="%",
        direction=direction,
        aggregation=Aggregation.RATIO,
        weight=D(100),
        definition=TargetSpec(D(5)),
        scale=D(scale),
    )


def month(
    number: int, day: date, numerator: str, denominator: str, *, voided: bool = False
) -> MeasurementFact:
    return MeasurementFact(
        f"m{number}", "conversion", None, day, number, voided, D(numerator), D(denominator)
    )


QUARTER_1 = (
    month(1, date(2025, 4, 30), "80", "1000"),
    month(2, date(2025, 5, 31), "1", "100"),
    month(3, date(2025, 6, 30), "120", "4000"),
)
"""8%, 1% and 3% on very different volumes: the monthly rates average 4%, the quarter's
rate is 201 / 5100 = 3.9411...%."""


def only_kpi(
    kpi: KpiPlan, facts: tuple[MeasurementFact, ...], quarter: int | None = 1
) -> tuple[Scorecard, KpiScore]:
    kra = KraPlan("sales", "Sales", D(100), (kpi,))
    card = score(ScoringInput("E1", Period("FY2026", quarter), CYCLE, (kra,), facts))
    return card, card.kras[0].kpis[0]


def test_a_quarter_of_months_with_different_volumes_scores_the_ratio_of_its_sums() -> None:
    card, row = only_kpi(conversion(), QUARTER_1)

    assert row.actual == D("3.94")
    # 201 * 100 / 5100 / 5 * 100 = 78.8235...; the mean of monthly rates would give 80.00
    assert row.achievement == D("78.82")
    assert row.measurement_count == 3
    assert card.score == D("78.82")


def test_a_scale_of_1_reads_the_ratio_as_a_fraction() -> None:
    kpi = KpiPlan(
        "conversion",
        "conversion rate",
        "",
        Direction.INCREASE,
        Aggregation.RATIO,
        D(100),
        TargetSpec(D("0.05")),
        scale=D(1),
    )

    _, row = only_kpi(kpi, QUARTER_1)

    assert row.actual == D("0.04")
    assert row.achievement == D("78.82")


def test_the_whole_cycle_is_the_mean_of_its_quarters_and_its_actual_the_ratio_of_all() -> None:
    august = month(4, date(2025, 8, 31), "50", "1000")

    _, row = only_kpi(conversion(), (*QUARTER_1, august), quarter=None)

    # quarters: 78.8235... and 100 -> 89.4117...; actual 251 * 100 / 6100 = 4.1147...
    assert row.achievement == D("89.41")
    assert row.actual == D("4.11")


def test_a_zero_denominator_sum_leaves_the_kpi_unscored() -> None:
    empty_month = month(1, date(2025, 4, 30), "0", "0")

    card, row = only_kpi(conversion(), (empty_month,))

    assert (row.actual, row.achievement, row.measurement_count) == (None, None, 1)
    assert (card.score, card.complete) == (None, False)


def test_a_month_without_volume_counts_nothing_beside_months_with_volume() -> None:
    empty_month = month(4, date(2025, 6, 15), "0", "0")

    _, with_it = only_kpi(conversion(), (*QUARTER_1, empty_month))
    _, without = only_kpi(conversion(), QUARTER_1)

    assert with_it.achievement == without.achievement == D("78.82")


def test_a_voided_month_leaves_the_sums() -> None:
    voided = month(2, date(2025, 5, 31), "1", "100", voided=True)

    _, row = only_kpi(conversion(), (QUARTER_1[0], voided, QUARTER_1[2]))

    # 200 * 100 / 5000 = 4%, 80% of the target
    assert (row.actual, row.achievement) == (D("4.00"), D("80.00"))


def test_a_falling_rate_scores_with_its_threshold() -> None:
    turnover = KpiPlan(
        "turnover",
        "attrition",
        "%",
        Direction.DECREASE,
        Aggregation.RATIO,
        D(100),
        TargetSpec(D(10), D(20)),
        scale=D(100),
    )
    leavers = MeasurementFact("m1", "turnover", None, date(2025, 6, 30), 1, False, D(3), D(40))

    _, row = only_kpi(turnover, (leavers,))

    # 7.5% against 10 (threshold 20): (20 - 7.5) / (20 - 10) * 100 = 125
    assert (row.actual, row.achievement) == (D("7.50"), D("125.00"))


def test_tallies_of_a_rate_merge_to_the_tally_of_all_its_measurements() -> None:
    first = tally_of(QUARTER_1[:1])
    rest = tally_of(QUARTER_1[1:])
    whole = tally_of(QUARTER_1)
    assert first is not None
    assert rest is not None
    assert whole is not None

    merged = first.merged(rest)

    assert (merged.numerator, merged.denominator) == (whole.numerator, whole.denominator)
    assert (merged.numerator, merged.denominator) == (D(201), D(5100))
    with localcontext(prec=50):
        assert merged.actual(Aggregation.RATIO, D(100)) == D(201) * 100 / D(5100)
