"""Rates in the domain: a ratio KPI has a scale, its measurements a numerator and a
denominator; events stored before rates read as they always did."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.application import Application
from eventsourcing.persistence import StoredEvent

from ledger.domain import KpiDefinition, KraDefinition, MeasurementLog, Plan, ReviewCycle
from ledger.errors import InvalidInput, RuleViolated
from ledger.values import Aggregation, Direction, TargetSpec
from tests.unit.domain.conftest import ACTOR, retention

D = Decimal
JUNE = date(2025, 6, 30)
CONVERSION = KpiDefinition(
    "Conversion rate",
    "%",
    Direction.INCREASE,
    Aggregation.RATIO,
    D(100),
    TargetSpec(D(5)),
    scale=D(100),
)


@pytest.fixture
def rate_plan(store: Application[UUID]) -> Plan:
    plan = Plan.draft("E1001", "FY2026", actor=ACTOR)
    plan.define_kra("sales", KraDefinition("Sales", D(100)), actor=ACTOR)
    plan.define_kpi("conversion", "sales", CONVERSION, actor=ACTOR)
    plan.activate(actor=ACTOR)
    store.save(plan)
    return plan


@pytest.fixture
def log(store: Application[UUID]) -> MeasurementLog:
    log = MeasurementLog.start("E1001", "FY2026", actor=ACTOR)
    store.save(log)
    return log


def test_a_ratio_kpi_keeps_its_scale(rate_plan: Plan) -> None:
    kpi = rate_plan.kpi("conversion")
    assert (kpi.aggregation, kpi.scale, kpi.is_rate) == (Aggregation.RATIO, D(100), True)


@pytest.mark.parametrize("scale", [None, D(50), D(0)])
def test_a_ratio_kpi_needs_a_scale_of_1_or_100(scale: Decimal | None) -> None:
    plan = Plan.draft("E1001", "FY2026", actor=ACTOR)
    plan.define_kra("sales", KraDefinition("Sales", D(100)), actor=ACTOR)
    plan.collect_events()
    with pytest.raises(InvalidInput) as refused:
        plan.define_kpi("conversion", "sales", replace(CONVERSION, scale=scale), actor=ACTOR)
    assert "scale" in refused.value.fields
    assert plan.collect_events() == []


def test_a_kpi_of_another_aggregation_has_no_scale() -> None:
    plan = Plan.draft("E1001", "FY2026", actor=ACTOR)
    plan.define_kra("sales", KraDefinition("Sales", D(100)), actor=ACTOR)
    with pytest.raises(InvalidInput) as refused:
        plan.define_kpi("retention", "sales", replace(retention(), scale=D(100)), actor=ACTOR)
    assert "scale" in refused.value.fields


def test_an_active_rate_cannot_turn_into_another_aggregation(rate_plan: Plan) -> None:
    as_mean = replace(CONVERSION, aggregation=Aggregation.MEAN, scale=None)
    with pytest.raises(RuleViolated):
        rate_plan.change_kpi("conversion", as_mean, actor=ACTOR, reason="averaged instead")


def test_an_active_kpi_of_values_cannot_turn_into_a_rate(active_plan: Plan) -> None:
    as_rate = replace(retention(), aggregation=Aggregation.RATIO, scale=D(100))
    with pytest.raises(RuleViolated):
        active_plan.change_kpi("retention", as_rate, actor=ACTOR, reason="a rate after all")


def test_a_draft_kpi_turned_from_a_rate_loses_its_scale() -> None:
    plan = Plan.draft("E1001", "FY2026", actor=ACTOR)
    plan.define_kra("sales", KraDefinition("Sales", D(100)), actor=ACTOR)
    plan.define_kpi("conversion", "sales", CONVERSION, actor=ACTOR)

    changed = plan.change_kpi(
        "conversion", replace(CONVERSION, aggregation=Aggregation.MEAN, scale=None), actor=ACTOR
    )

    assert sorted(changed) == ["aggregation", "scale"]
    assert plan.kpi("conversion").scale is None


def test_a_rates_scale_can_change_with_a_reason(rate_plan: Plan) -> None:
    rate_plan.collect_events()
    fraction = replace(CONVERSION, scale=D(1), spec=TargetSpec(D(5)))
    assert rate_plan.change_kpi("conversion", fraction, actor=ACTOR, reason="as a fraction") == [
        "scale"
    ]
    assert rate_plan.kpi("conversion").scale == D(1)


def test_a_rate_is_recorded_as_numerator_and_denominator(
    log: MeasurementLog, rate_plan: Plan, cycle: ReviewCycle
) -> None:
    measurement_id = log.record(
        rate_plan,
        cycle,
        kpi_id="conversion",
        numerator=D(80),
        denominator=D(1000),
        effective_date=JUNE,
        actor=ACTOR,
    )

    (recorded,) = log.collect_events()
    assert isinstance(recorded, MeasurementLog.MeasurementRecorded)
    assert (recorded.value, recorded.numerator, recorded.denominator) == (None, D(80), D(1000))
    measurement = log.measurement(measurement_id)
    assert (measurement.value, measurement.numerator, measurement.denominator) == (
        None,
        D(80),
        D(1000),
    )


@pytest.mark.parametrize(
    ("parts", "field"),
    [
        ({"value": D(8)}, "value"),
        ({"numerator": D(80)}, "denominator"),
        ({"denominator": D(1000)}, "numerator"),
        ({"value": D(8), "numerator": D(80), "denominator": D(1000)}, "value"),
        ({"numerator": D(80), "denominator": D(-1)}, "denominator"),
        ({"numerator": D("1e20"), "denominator": D(1)}, "numerator"),
    ],
)
def test_a_rate_without_both_parts_or_with_a_value_is_refused(
    log: MeasurementLog,
    rate_plan: Plan,
    cycle: ReviewCycle,
    parts: dict[str, Any],
    field: str,
) -> None:
    with pytest.raises(InvalidInput) as refused:
        log.record(rate_plan, cycle, kpi_id="conversion", effective_date=JUNE, actor=ACTOR, **parts)
    assert field in refused.value.fields
    assert log.collect_events() == []


def test_a_value_kpi_takes_no_numerator(
    log: MeasurementLog, active_plan: Plan, cycle: ReviewCycle
) -> None:
    with pytest.raises(InvalidInput) as refused:
        log.record(
            active_plan,
            cycle,
            kpi_id="retention",
            value=D(87),
            numerator=D(1),
            effective_date=JUNE,
            actor=ACTOR,
        )
    assert "numerator" in refused.value.fields


def test_a_correction_of_a_rate_replaces_both_parts_and_keeps_the_original(
    log: MeasurementLog, rate_plan: Plan, cycle: ReviewCycle
) -> None:
    measurement_id = log.record(
        rate_plan,
        cycle,
        kpi_id="conversion",
        numerator=D(80),
        denominator=D(1000),
        effective_date=JUNE,
        actor=ACTOR,
    )
    log.collect_events()
    with pytest.raises(InvalidInput):
        log.correct(measurement_id, D(9), reason="recount", actor=ACTOR)
    with pytest.raises(InvalidInput):
        log.correct(measurement_id, numerator=D(81), reason="recount", actor=ACTOR)
    with pytest.raises(RuleViolated):
        log.correct(
            measurement_id, numerator=D(80), denominator=D(1000), reason="same", actor=ACTOR
        )

    log.correct(measurement_id, numerator=D(81), denominator=D(990), reason="bots", actor=ACTOR)

    (corrected,) = log.collect_events()
    assert isinstance(corrected, MeasurementLog.MeasurementCorrected)
    assert (corrected.value, corrected.numerator, corrected.denominator) == (None, D(81), D(990))
    assert log.measurement(measurement_id).observation.denominator == D(990)


def test_a_log_of_rates_comes_back_from_its_snapshot_as_it_was(
    log: MeasurementLog, rate_plan: Plan, cycle: ReviewCycle
) -> None:
    log.record(
        rate_plan,
        cycle,
        kpi_id="conversion",
        numerator=D("80.5"),
        denominator=D(1000),
        effective_date=JUNE,
        actor=ACTOR,
    )
    log.collect_events()

    restored = MeasurementLog.Snapshot.take(log).mutate(None)

    assert restored == log


def test_a_snapshot_row_stored_before_rates_reads_as_a_value(
    log: MeasurementLog, active_plan: Plan, cycle: ReviewCycle
) -> None:
    log.record(
        active_plan, cycle, kpi_id="retention", value=D(87), effective_date=JUNE, actor=ACTOR
    )
    snapshot = MeasurementLog.Snapshot.take(log)

    assert len(snapshot.state["_measurements"][0]) == 9
    restored = snapshot.mutate(None)
    assert restored.measurements[0].observation.value == D(87)
    assert restored.measurements[0].numerator is None


def stored_before_rates(store: Application[UUID], event: object, *names: str) -> StoredEvent:
    """``event`` stored as the ledger stored it before rates: without ``names`` and with no
    class version."""
    stored = store.mapper.to_stored_event(event)  # type: ignore[arg-type]
    state = json.loads(stored.state)
    assert state.pop("class_version") == 2
    for name in names:
        del state[name]
    return replace(stored, state=json.dumps(state).encode())


def test_a_kpi_defined_before_rates_reads_without_a_scale(store: Application[UUID]) -> None:
    plan = Plan.draft("E1001", "FY2026", actor=ACTOR)
    plan.define_kra("retention", KraDefinition("Retention", D(100)), actor=ACTOR)
    plan.define_kpi("retention", "retention", retention(), actor=ACTOR)
    defined = plan.collect_events()[-1]
    assert isinstance(defined, Plan.KpiDefined)

    old = stored_before_rates(store, defined, "scale")
    read = store.mapper.to_domain_event(old)

    assert isinstance(read, Plan.KpiDefined)
    assert (read.aggregation, read.scale) == (Aggregation.LAST, None)
    assert b"scale" not in old.state


def test_measurements_and_corrections_before_rates_read_as_values(
    store: Application[UUID], log: MeasurementLog, active_plan: Plan, cycle: ReviewCycle
) -> None:
    measurement_id = log.record(
        active_plan, cycle, kpi_id="retention", value=D(87), effective_date=JUNE, actor=ACTOR
    )
    log.correct(measurement_id, D(88), reason="recount", actor=ACTOR)
    recorded, corrected = log.collect_events()

    for event in (recorded, corrected):
        old = stored_before_rates(store, event, "numerator", "denominator")
        read = store.mapper.to_domain_event(old)
        assert (read.numerator, read.denominator) == (None, None)  # type: ignore[attr-defined]
        assert read.value == event.value  # type: ignore[attr-defined]
