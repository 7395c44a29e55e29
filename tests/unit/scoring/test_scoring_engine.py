from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ledger.errors import InvalidInput
from ledger.periods import Period
from ledger.scoring import (
    CyclePolicy,
    KpiPlan,
    KraPlan,
    MeasurementFact,
    Scorecard,
    ScoringInput,
    TargetChange,
    score,
)
from ledger.values import Aggregation, Direction, RatingBand, TargetSpec

CYCLE = CyclePolicy("FY2026", date(2025, 4, 1))
IN_QUARTER = {
    1: date(2025, 5, 15),
    2: date(2025, 8, 15),
    3: date(2025, 11, 15),
    4: date(2026, 2, 15),
}


def kpi(
    kpi_id: str = "k",
    target: str = "100",
    *,
    direction: Direction = Direction.INCREASE,
    aggregation: Aggregation = Aggregation.LAST,
    weight: str = "100",
    threshold: str | None = None,
    stretch: str | None = None,
    revisions: tuple[TargetChange, ...] = (),
    adjustments: tuple[TargetChange, ...] = (),
) -> KpiPlan:
    definition = TargetSpec(
        Decimal(target),
        None if threshold is None else Decimal(threshold),
        None if stretch is None else Decimal(stretch),
    )
    return KpiPlan(
        kpi_id=kpi_id,
        name=kpi_id.replace("-", " "),
        unit="%",
        direction=direction,
        aggregation=aggregation,
        weight=Decimal(weight),
        definition=definition,
        revisions=revisions,
        adjustments=adjustments,
    )


def kra(kra_id: str, *kpis: KpiPlan, weight: str = "100") -> KraPlan:
    return KraPlan(kra_id, kra_id.replace("-", " ").title(), Decimal(weight), kpis)


def measured(
    kpi_id: str, value: str, quarter: int = 1, sequence: int = 1, *, voided: bool = False
) -> MeasurementFact:
    day = IN_QUARTER[quarter]
    return MeasurementFact(f"{kpi_id}-{sequence}", kpi_id, Decimal(value), day, sequence, voided)


def scored(
    *kras: KraPlan,
    measurements: tuple[MeasurementFact, ...] = (),
    quarter: int | None = 1,
    cycle: CyclePolicy = CYCLE,
) -> Scorecard:
    period = Period(cycle.cycle_id, quarter)
    return score(ScoringInput("E1001", period, cycle, kras, measurements))


def retention(*adjustments: TargetChange) -> KraPlan:
    retain = kpi("retain-existing-clients", "90", adjustments=adjustments)
    return KraPlan("client-retention", "Client Retention", Decimal(100), (retain,))


def test_worked_example_scores_96_67_and_meets_expectations() -> None:
    card = scored(retention(), measurements=(measured("retain-existing-clients", "87"),))

    assert card.kras[0].kpis[0].achievement == Decimal("96.67")
    assert card.kras[0].score == Decimal("96.67")
    assert card.score == Decimal("96.67")
    assert (card.rating, card.rating_label) == (3, "Meets expectations")


def test_worked_example_with_the_quarter_adjusted_to_85_exceeds_expectations() -> None:
    adjusted = TargetChange(1, 2, TargetSpec(Decimal(85)))

    card = scored(retention(adjusted), measurements=(measured("retain-existing-clients", "87"),))

    assert card.kras[0].kpis[0].target == Decimal("85.00")
    assert card.score == Decimal("102.35")
    assert (card.rating, card.rating_label) == (4, "Exceeds expectations")


def test_an_adjustment_of_another_quarter_leaves_the_score_alone() -> None:
    adjusted = TargetChange(2, 2, TargetSpec(Decimal(85)))

    card = scored(retention(adjusted), measurements=(measured("retain-existing-clients", "87"),))

    assert card.score == Decimal("96.67")


def test_zero_compliance_violations_counts_the_quarters_violations() -> None:
    violations = kpi(
        "zero-compliance-violations",
        "0",
        direction=Direction.DECREASE,
        aggregation=Aggregation.SUM,
        threshold="3",
    )
    facts = (
        measured("zero-compliance-violations", "1", 1, 1),
        measured("zero-compliance-violations", "1", 1, 2),
        measured("zero-compliance-violations", "1", 1, 3, voided=True),
        measured("zero-compliance-violations", "5", 2, 4),
    )

    card = scored(kra("compliance", violations), measurements=facts)

    row = card.kras[0].kpis[0]
    assert (row.actual, row.measurement_count, row.achievement) == (
        Decimal("2.00"),
        2,
        Decimal("33.33"),
    )


def test_a_corrected_measurement_counts_at_its_corrected_value() -> None:
    corrected = measured("retain-existing-clients", "90")

    card = scored(retention(), measurements=(corrected,))

    assert card.score == Decimal("100.00")


def test_achievement_uses_the_unrounded_mean() -> None:
    mean_kpi = kpi("k", "3", aggregation=Aggregation.MEAN)
    facts = (measured("k", "1", 1, 1), measured("k", "1", 1, 2), measured("k", "2", 1, 3))

    row = scored(kra("a", mean_kpi), measurements=facts).kras[0].kpis[0]

    assert row.actual == Decimal("1.33")
    assert row.achievement == Decimal("44.44")


def test_kpi_weights_weigh_the_kra_score() -> None:
    plan = kra("a", kpi("x", weight="70"), kpi("y", weight="30"))

    card = scored(plan, measurements=(measured("x", "100"), measured("y", "50")))

    assert card.kras[0].score == Decimal("85.00")


def test_kra_weights_weigh_the_overall_score() -> None:
    first = kra("a", kpi("x"), weight="60")
    second = kra("b", kpi("y"), weight="40")

    card = scored(first, second, measurements=(measured("x", "100"), measured("y", "50")))

    assert card.score == Decimal("80.00")


def test_the_kra_score_is_taken_from_unrounded_achievements() -> None:
    plan = kra("a", kpi("x"), kpi("y"), kpi("z"))
    facts = (measured("x", "1.006"), measured("y", "1.006"), measured("z", "1"))

    card = scored(plan, measurements=facts)

    assert [row.achievement for row in card.kras[0].kpis] == [
        Decimal("1.01"),
        Decimal("1.01"),
        Decimal("1.00"),
    ]
    assert card.kras[0].score == Decimal("1.00")


def test_the_overall_score_is_taken_from_unrounded_kra_scores() -> None:
    plans = (kra("a", kpi("x")), kra("b", kpi("y")), kra("c", kpi("z")))
    facts = (measured("x", "1.006"), measured("y", "1.006"), measured("z", "1"))

    card = scored(*plans, measurements=facts)

    assert card.score == Decimal("1.00")


def test_an_unscored_kpi_is_left_out_of_its_kra_score() -> None:
    plan = kra("a", kpi("x", weight="50"), kpi("y", weight="50"))

    card = scored(plan, measurements=(measured("x", "80"),))

    unscored = card.kras[0].kpis[1]
    assert card.kras[0].score == Decimal("80.00")
    assert (unscored.actual, unscored.achievement, unscored.measurement_count) == (None, None, 0)
    assert card.complete is False


def test_an_unscored_kra_is_left_out_of_the_overall_score() -> None:
    first = kra("a", kpi("x"), weight="60")
    second = kra("b", kpi("y"), weight="40")

    card = scored(first, second, measurements=(measured("x", "90"),))

    assert card.kras[1].score is None
    assert card.score == Decimal("90.00")
    assert card.complete is False


def test_nothing_measured_leaves_the_scorecard_unscored() -> None:
    card = scored(kra("a", kpi("x")))

    assert (card.score, card.rating, card.rating_label) == (None, None, None)
    assert card.complete is False


def test_a_scorecard_is_complete_when_every_kpi_is_scored() -> None:
    plans = (kra("a", kpi("x")), kra("b", kpi("y")))

    card = scored(*plans, measurements=(measured("x", "1"), measured("y", "0")))

    assert card.complete is True


def test_a_plan_without_kpis_is_not_complete() -> None:
    assert scored(kra("a")).complete is False
    assert scored().complete is False


def test_scored_kpis_of_no_weight_give_their_kra_no_score() -> None:
    plan = kra("a", kpi("x", weight="0"), kpi("y", weight="100"))

    card = scored(plan, measurements=(measured("x", "80"),))

    assert card.kras[0].kpis[0].achievement == Decimal("80.00")
    assert card.kras[0].score is None


def test_measurements_outside_the_quarter_are_ignored() -> None:
    plan = kra("a", kpi("x", aggregation=Aggregation.SUM))
    facts = (measured("x", "10", 1, 1), measured("x", "20", 2, 2))

    row = scored(plan, measurements=facts).kras[0].kpis[0]

    assert (row.actual, row.measurement_count) == (Decimal("10.00"), 1)


def test_measurements_of_kpis_outside_the_plan_are_ignored() -> None:
    card = scored(kra("a", kpi("x")), measurements=(measured("x", "50"), measured("gone", "1")))

    assert card.score == Decimal("50.00")


def test_the_cap_and_rating_scale_come_from_the_cycle_policy() -> None:
    scale = (RatingBand(Decimal(0), 1, "Below"), RatingBand(Decimal(110), 2, "Above"))
    policy = CyclePolicy("FY2026", date(2025, 4, 1), Decimal(120), scale)

    card = scored(kra("a", kpi("x")), measurements=(measured("x", "300"),), cycle=policy)

    assert card.score == Decimal("120.00")
    assert (card.rating, card.rating_label) == (2, "Above")


def test_a_score_below_every_band_has_no_rating() -> None:
    scale = (RatingBand(Decimal(50), 1, "Enough"),)
    policy = CyclePolicy("FY2026", date(2025, 4, 1), rating_scale=scale)

    card = scored(kra("a", kpi("x")), measurements=(measured("x", "40"),), cycle=policy)

    assert card.score == Decimal("40.00")
    assert (card.rating, card.rating_label) == (None, None)


def test_the_rating_is_given_by_the_score_rounded_to_two_places() -> None:
    up = scored(kra("a", kpi("x")), measurements=(measured("x", "79.995"),))
    down = scored(kra("a", kpi("x")), measurements=(measured("x", "79.994999"),))

    assert (up.score, up.rating) == (Decimal("80.00"), 3)
    assert (down.score, down.rating) == (Decimal("79.99"), 2)


def test_kras_and_kpis_keep_the_order_of_the_plan() -> None:
    plans = (kra("zeta", kpi("z2"), kpi("z1")), kra("alpha", kpi("a9"), kpi("a1")))

    card = scored(*plans)

    assert [row.kra_id for row in card.kras] == ["zeta", "alpha"]
    assert [row.kpi_id for row in card.kras[0].kpis] == ["z2", "z1"]
    assert [row.kpi_id for row in card.kras[1].kpis] == ["a9", "a1"]


def test_every_reported_decimal_has_two_places() -> None:
    plan = kra("a", kpi("x", "0.125", weight="33.333333", threshold="0.1", stretch="0.5"))

    row = scored(plan, measurements=(measured("x", "0.2"),)).kras[0].kpis[0]

    assert (str(row.weight), str(row.target), str(row.threshold), str(row.stretch)) == (
        "33.33",
        "0.13",
        "0.10",
        "0.50",
    )
    assert (str(row.actual), str(row.achievement)) == ("0.20", "110.00")


def test_the_scorecard_names_employee_cycle_and_period() -> None:
    card = scored(quarter=3)

    assert (card.employee_id, card.cycle_id, card.period) == ("E1001", "FY2026", "FY2026-Q3")
    assert (card.position, card.as_of) == (None, None)


def test_a_period_of_another_cycle_is_refused() -> None:
    other = ScoringInput("E1001", Period("FY2027", 1), CYCLE, (), ())

    with pytest.raises(InvalidInput):
        score(other)


def test_a_quarter_beyond_the_fourth_is_refused() -> None:
    with pytest.raises(InvalidInput):
        scored(quarter=5)


def test_whole_cycle_achievement_is_the_mean_of_scored_quarters() -> None:
    facts = (measured("x", "80", 1, 1), measured("x", "100", 3, 2))

    card = scored(kra("a", kpi("x")), measurements=facts, quarter=None)

    assert card.period == "FY2026"
    assert card.kras[0].kpis[0].achievement == Decimal("90.00")
    assert card.score == Decimal("90.00")
    assert card.complete is True


def test_whole_cycle_scores_each_quarter_against_its_own_target() -> None:
    adjusted = TargetChange(2, 1, TargetSpec(Decimal(50)))
    plan = kra("a", kpi("x", adjustments=(adjusted,)))
    facts = (measured("x", "50", 1, 1), measured("x", "50", 2, 2))

    card = scored(plan, measurements=facts, quarter=None)

    assert card.score == Decimal("75.00")


def test_whole_cycle_averages_quarterly_achievements_after_clamping() -> None:
    facts = (measured("x", "400", 1, 1), measured("x", "50", 2, 2))

    card = scored(kra("a", kpi("x")), measurements=facts, quarter=None)

    assert card.score == Decimal("100.00")


def test_whole_cycle_averages_unrounded_quarterly_achievements() -> None:
    facts = (measured("x", "1.006", 1, 1), measured("x", "1.006", 2, 2), measured("x", "1", 3, 3))

    card = scored(kra("a", kpi("x")), measurements=facts, quarter=None)

    assert card.score == Decimal("1.00")


def test_whole_cycle_without_any_scored_quarter_is_unscored() -> None:
    card = scored(kra("a", kpi("x"), kpi("y")), measurements=(measured("x", "10"),), quarter=None)

    assert card.kras[0].kpis[1].achievement is None
    assert card.complete is False


def test_whole_cycle_shows_the_fourth_quarters_target_and_the_cycles_actual() -> None:
    revised = TargetChange(3, 1, TargetSpec(Decimal(40), Decimal(10), Decimal(60)))
    plan = kra("a", kpi("x", aggregation=Aggregation.SUM, revisions=(revised,)))
    before = MeasurementFact("early", "x", Decimal(99), date(2025, 3, 31), 9)
    after = MeasurementFact("late", "x", Decimal(99), date(2026, 4, 1), 10)
    facts = (measured("x", "10", 1, 1), measured("x", "20", 4, 2), before, after)

    row = scored(plan, measurements=facts, quarter=None).kras[0].kpis[0]

    assert (row.target, row.threshold, row.stretch) == (
        Decimal("40.00"),
        Decimal("10.00"),
        Decimal("60.00"),
    )
    assert (row.actual, row.measurement_count) == (Decimal("30.00"), 2)
