from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.application import Application

from ledger.domain import MeasurementLog, Plan, ReviewCycle
from ledger.errors import InvalidInput, LedgerError, NotFound, RuleViolated
from ledger.ids import measurement_log_uuid

ACTOR = "manager:meera"
D = Decimal
OCTOBER = date(2025, 10, 15)
EIGHTY_SEVEN = D(87)


@pytest.fixture
def log(store: Application[UUID]) -> MeasurementLog:
    log = MeasurementLog.start("E1001", "FY2026", actor=ACTOR)
    store.save(log)
    return log


def record(
    log: MeasurementLog,
    plan: Plan,
    cycle: ReviewCycle,
    value: Decimal = EIGHTY_SEVEN,
    **overrides: Any,
) -> str:
    arguments: dict[str, Any] = {
        "kpi_id": "retention",
        "value": value,
        "effective_date": OCTOBER,
        "actor": ACTOR,
    }
    return log.record(plan, cycle, **(arguments | overrides))


def test_starting_a_log_records_the_employee_and_the_cycle() -> None:
    log = MeasurementLog.start("E1001", "FY2026", actor=ACTOR)

    (started,) = log.collect_events()
    assert isinstance(started, MeasurementLog.Started)
    assert (started.employee_id, started.cycle_id, started.actor) == ("E1001", "FY2026", ACTOR)
    assert log.id == measurement_log_uuid("E1001", "FY2026")
    assert log.measurements == ()


def test_recording_a_measurement_assigns_the_next_id_of_the_log(
    log: MeasurementLog, active_plan: Plan, cycle: ReviewCycle
) -> None:
    first = record(log, active_plan, cycle, D(87), source="crm export", note="Q3 close")
    second = record(log, active_plan, cycle, D(20), kpi_id="time-to-hire")

    assert (first, second) == ("E1001:FY2026:1", "E1001:FY2026:2")
    recorded, _ = log.collect_events()
    assert isinstance(recorded, MeasurementLog.MeasurementRecorded)
    assert (recorded.measurement_id, recorded.kpi_id, recorded.value) == (first, "retention", D(87))
    assert (recorded.effective_date, recorded.source, recorded.note) == (
        OCTOBER,
        "crm export",
        "Q3 close",
    )
    measurement = log.measurement(first)
    assert (measurement.original_value, measurement.value, measurement.voided) == (
        D(87),
        D(87),
        False,
    )
    assert measurement.sequence == 2
    assert log.measurement(second).sequence == 3
    assert [m.measurement_id for m in log.measurements_of("time-to-hire")] == [second]


def test_measurements_on_the_first_and_last_day_of_the_cycle_are_recorded(
    log: MeasurementLog, active_plan: Plan, cycle: ReviewCycle
) -> None:
    record(log, active_plan, cycle, D(1), effective_date=date(2025, 4, 1))
    record(log, active_plan, cycle, D(2), effective_date=date(2026, 3, 31))
    assert len(log.measurements) == 2


def test_a_correction_changes_the_value_and_keeps_the_original(
    log: MeasurementLog, active_plan: Plan, cycle: ReviewCycle
) -> None:
    measurement_id = record(log, active_plan, cycle, D(87))
    log.collect_events()

    log.correct(measurement_id, D("88.5"), reason="late renewal counted", actor=ACTOR)

    (corrected,) = log.collect_events()
    assert isinstance(corrected, MeasurementLog.MeasurementCorrected)
    assert (corrected.measurement_id, corrected.kpi_id) == (measurement_id, "retention")
    assert (corrected.value, corrected.reason) == (D("88.5"), "late renewal counted")
    measurement = log.measurement(measurement_id)
    assert (measurement.original_value, measurement.value) == (D(87), D("88.5"))


def test_a_void_keeps_the_measurement_in_the_log(
    log: MeasurementLog, active_plan: Plan, cycle: ReviewCycle
) -> None:
    measurement_id = record(log, active_plan, cycle, D(87))
    log.collect_events()

    log.void(measurement_id, reason="entered for the wrong employee", actor=ACTOR)

    (voided,) = log.collect_events()
    assert isinstance(voided, MeasurementLog.MeasurementVoided)
    assert voided.reason == "entered for the wrong employee"
    assert log.measurement(measurement_id).voided
    assert log.measurement(measurement_id).value == D(87)
    assert len(log.measurements) == 1


def _with_a_voided_measurement(log: MeasurementLog) -> str:
    log.void("E1001:FY2026:1", reason="duplicate", actor=ACTOR)
    log.collect_events()
    return "E1001:FY2026:1"


RECORD_REFUSALS: list[Any] = [
    pytest.param({"kpi_id": "unknown"}, NotFound, id="a KPI not in the plan"),
    pytest.param({"effective_date": date(2025, 3, 31)}, InvalidInput, id="a day before the cycle"),
    pytest.param({"effective_date": date(2026, 4, 1)}, InvalidInput, id="a day after the cycle"),
    pytest.param({"value": D("NaN")}, InvalidInput, id="a value that is not a number"),
    pytest.param({"value": 87}, InvalidInput, id="a value that is not a Decimal"),
    pytest.param({"value": D("0.0000001")}, InvalidInput, id="a value too precise to store"),
    pytest.param({"source": " "}, InvalidInput, id="a blank source"),
    pytest.param({"actor": ""}, InvalidInput, id="no actor"),
]


@pytest.mark.parametrize(("overrides", "error"), RECORD_REFUSALS)
def test_a_refused_measurement_raises_its_error_and_records_nothing(
    log: MeasurementLog,
    active_plan: Plan,
    cycle: ReviewCycle,
    overrides: dict[str, Any],
    error: type[LedgerError],
) -> None:
    with pytest.raises(error):
        record(log, active_plan, cycle, **overrides)
    assert log.collect_events() == []
    assert log.version == 1


def test_measurements_of_a_draft_plan_are_refused(
    log: MeasurementLog, draft_plan: Plan, cycle: ReviewCycle
) -> None:
    with pytest.raises(RuleViolated):
        record(log, draft_plan, cycle, D(87))
    assert log.collect_events() == []


def test_the_plan_and_cycle_of_another_log_are_a_programming_error(
    active_plan: Plan, cycle: ReviewCycle
) -> None:
    other = MeasurementLog.start("E2002", "FY2026", actor=ACTOR)
    with pytest.raises(ValueError, match="plan and the cycle"):
        record(other, active_plan, cycle, D(87))


CHANGE_REFUSALS: list[Any] = [
    pytest.param(
        lambda log: log.correct("E1001:FY2026:9", D(1), reason="r", actor=ACTOR),
        NotFound,
        id="correcting an unknown measurement",
    ),
    pytest.param(
        lambda log: log.void("E1001:FY2026:9", reason="r", actor=ACTOR),
        NotFound,
        id="voiding an unknown measurement",
    ),
    pytest.param(
        lambda log: log.correct("E1001:FY2026:1", D(90), reason=None, actor=ACTOR),
        InvalidInput,
        id="a correction without a reason",
    ),
    pytest.param(
        lambda log: log.void("E1001:FY2026:1", reason="", actor=ACTOR),
        InvalidInput,
        id="a void without a reason",
    ),
    pytest.param(
        lambda log: log.correct("E1001:FY2026:1", D(87), reason="r", actor=ACTOR),
        RuleViolated,
        id="a correction to the value it has",
    ),
    pytest.param(
        lambda log: log.correct("E1001:FY2026:1", D("Infinity"), reason="r", actor=ACTOR),
        InvalidInput,
        id="a correction to an infinite value",
    ),
    pytest.param(
        lambda log: log.correct(_with_a_voided_measurement(log), D(90), reason="r", actor=ACTOR),
        RuleViolated,
        id="correcting a voided measurement",
    ),
    pytest.param(
        lambda log: log.void(_with_a_voided_measurement(log), reason="r", actor=ACTOR),
        RuleViolated,
        id="voiding twice",
    ),
]


@pytest.mark.parametrize(("command", "error"), CHANGE_REFUSALS)
def test_a_refused_correction_or_void_raises_its_error_and_records_nothing(
    log: MeasurementLog,
    active_plan: Plan,
    cycle: ReviewCycle,
    command: Callable[[MeasurementLog], object],
    error: type[LedgerError],
) -> None:
    record(log, active_plan, cycle, D(87))
    log.collect_events()
    with pytest.raises(error):
        command(log)
    assert log.collect_events() == []
    assert log.measurement("E1001:FY2026:1").value == D(87)


def test_a_log_survives_storage_and_earlier_versions_stay_readable(
    store: Application[UUID], log: MeasurementLog, active_plan: Plan, cycle: ReviewCycle
) -> None:
    first = record(log, active_plan, cycle, D(87))
    second = record(log, active_plan, cycle, D(21), kpi_id="time-to-hire", note="avg")
    log.correct(first, D(88), reason="recount", actor=ACTOR)
    log.void(second, reason="duplicate", actor=ACTOR)
    store.save(log)

    assert store.repository.get(log.id) == log
    before_correction: MeasurementLog = store.repository.get(log.id, version=3)
    assert before_correction.measurement(first).value == D(87)
    assert not before_correction.measurement(second).voided


def test_a_copy_of_a_log_changes_apart_from_the_log_it_was_copied_from(
    log: MeasurementLog, active_plan: Plan, cycle: ReviewCycle
) -> None:
    first = record(log, active_plan, cycle, D(87))
    log.collect_events()
    copy = deepcopy(log)
    assert copy._measurements is log._measurements  # shared, never copied: it is immutable
    record(copy, active_plan, cycle, D(90))
    copy.correct(first, D(88), reason="recount", actor=ACTOR)

    assert [m.value for m in log.measurements] == [D(87)]
    assert log.collect_events() == []
    assert [m.value for m in copy.measurements] == [D(88), D(90)]
    assert copy.version == log.version + 2


def test_a_log_comes_back_from_its_snapshot_as_it_was(
    log: MeasurementLog, active_plan: Plan, cycle: ReviewCycle
) -> None:
    first = record(log, active_plan, cycle, D("87.5"), source="crm export", note="Q3 close")
    second = record(log, active_plan, cycle, D(21), kpi_id="time-to-hire")
    log.correct(first, D("88.25"), reason="recount", actor=ACTOR)
    log.void(second, reason="duplicate", actor=ACTOR)
    log.collect_events()

    snapshot = MeasurementLog.Snapshot.take(log)
    restored = snapshot.mutate(None)

    assert restored == log
    assert restored.measurement(first).original_value == D("87.5")
    assert restored.measurement(second).voided


def test_a_measurement_id_of_another_log_or_past_the_end_is_not_found(
    log: MeasurementLog, active_plan: Plan, cycle: ReviewCycle
) -> None:
    record(log, active_plan, cycle)
    for unknown in ("E1002:FY2026:1", "E1001:FY2026:2", "E1001:FY2026:0", "E1001:FY2026:x"):
        with pytest.raises(NotFound):
            log.measurement(unknown)
