from __future__ import annotations

from decimal import Decimal

from ledger.scoring import KpiPlan, TargetChange, target_in_force
from ledger.values import Aggregation, Direction, TargetSpec

DEFINED = TargetSpec(Decimal(100), Decimal(50), Decimal(120))


def spec(target: int) -> TargetSpec:
    return TargetSpec(Decimal(target))


def plan(
    revisions: tuple[TargetChange, ...] = (), adjustments: tuple[TargetChange, ...] = ()
) -> KpiPlan:
    return KpiPlan(
        kpi_id="time-to-hire",
        name="time to hire",
        unit="days",
        direction=Direction.DECREASE,
        aggregation=Aggregation.MEAN,
        weight=Decimal(100),
        definition=DEFINED,
        revisions=revisions,
        adjustments=adjustments,
    )


def test_without_changes_the_definition_is_in_force() -> None:
    assert target_in_force(plan(), 3) == DEFINED


def test_target_revision_applies_from_its_period_onward() -> None:
    kpi = plan(revisions=(TargetChange(2, 1, spec(80)),))

    assert target_in_force(kpi, 1) == DEFINED
    assert target_in_force(kpi, 2) == spec(80)
    assert target_in_force(kpi, 3) == spec(80)
    assert target_in_force(kpi, 4) == spec(80)


def test_adjustment_beats_a_revision_only_for_its_quarter() -> None:
    kpi = plan(
        revisions=(TargetChange(1, 1, spec(80)),),
        adjustments=(TargetChange(3, 2, spec(70)),),
    )

    assert target_in_force(kpi, 2) == spec(80)
    assert target_in_force(kpi, 3) == spec(70)
    assert target_in_force(kpi, 4) == spec(80)


def test_adjustment_beats_a_revision_recorded_after_it() -> None:
    kpi = plan(
        revisions=(TargetChange(3, 9, spec(80)),),
        adjustments=(TargetChange(3, 2, spec(70)),),
    )

    assert target_in_force(kpi, 3) == spec(70)


def test_the_latest_recorded_adjustment_of_a_quarter_wins() -> None:
    kpi = plan(adjustments=(TargetChange(2, 7, spec(60)), TargetChange(2, 3, spec(70))))

    assert target_in_force(kpi, 2) == spec(60)


def test_among_revisions_from_the_same_quarter_the_later_recorded_wins() -> None:
    kpi = plan(revisions=(TargetChange(2, 8, spec(60)), TargetChange(2, 4, spec(70))))

    assert target_in_force(kpi, 3) == spec(60)


def test_a_later_effective_revision_beats_one_recorded_after_it() -> None:
    kpi = plan(revisions=(TargetChange(3, 1, spec(60)), TargetChange(2, 5, spec(70))))

    assert target_in_force(kpi, 2) == spec(70)
    assert target_in_force(kpi, 3) == spec(60)
    assert target_in_force(kpi, 4) == spec(60)


def test_threshold_and_stretch_travel_with_the_target_in_force() -> None:
    kpi = plan(revisions=(TargetChange(1, 1, spec(90)),))

    in_force = target_in_force(kpi, 1)

    assert (in_force.threshold, in_force.stretch) == (None, None)
