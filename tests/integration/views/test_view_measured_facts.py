"""Measurements read out of their logs' stored events by the database are the log's own."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from uuid import UUID

import psycopg
import pytest
from psycopg.rows import dict_row

from ledger.application import LedgerApp
from ledger.domain import MeasurementLog
from ledger.ids import measurement_log_uuid
from projections.views import History
from projections.views.measured import READ_AS_STORED, MeasuredFacts
from projections.views.recordings import READ_AS_STORED as RECORDING_READ_AS_STORED
from projections.views.recordings import stored_recording
from projections.views.topics import CORRECTED, RECORDED, VOIDED
from tests.integration.support import CONVERSION
from tests.integration.views.support import HR, measure, open_cycle, seat

D = Decimal


def as_tuple(fact: object) -> tuple[object, ...]:
    names = ("measurement_id", "kpi_id", "value", "effective_date", "sequence", "voided")
    return (*(getattr(fact, name) for name in names), fact.numerator, fact.denominator)  # type: ignore[attr-defined]


Facts = dict[UUID, list[tuple[object, ...]]]


def facts_read(app: LedgerApp, conninfo: str, log_ids: list[UUID], position: int) -> Facts:
    reader = MeasuredFacts(History.of(app).table)
    with psycopg.connect(conninfo, row_factory=dict_row) as conn:
        return {
            log_id: [as_tuple(fact) for fact in read.facts]
            for log_id, read in reader.of(conn.cursor(), log_ids, position)
        }


def restate_first_recording(
    conninfo: str, change: Callable[[dict[str, object]], None]
) -> dict[str, object]:
    """Rewrite the stored state of the ledger's first recording as ``change`` has it, as a
    superuser could (past the append-only guard); the state written."""
    with psycopg.connect(conninfo) as conn:
        row = conn.execute(
            "SELECT notification_id, state FROM ledger_events WHERE topic LIKE %s"
            " ORDER BY notification_id LIMIT 1",
            ("%MeasurementRecorded",),
        ).fetchone()
        assert row is not None
        state: dict[str, object] = json.loads(bytes(row[1]))
        change(state)
        conn.execute("SET session_replication_role = replica")
        conn.execute(
            "UPDATE ledger_events SET state = %s WHERE notification_id = %s",
            (json.dumps(state).encode(), row[0]),
        )
    return state


def one_recording(app: LedgerApp) -> UUID:
    """A ledger of one plan with one measurement, 60 on 4 May 2026; its log's id."""
    open_cycle(app)
    ana = seat(app, "E1001")
    measure(app, ana, "60", date(2026, 5, 4))
    return measurement_log_uuid(ana.employee_id, ana.cycle_id)


def before_rates(state: dict[str, object]) -> None:
    """A recording's state as stored before rates: no class version, no rate's parts."""
    for name in ("class_version", "numerator", "denominator"):
        del state[name]


def test_values_rates_corrections_and_voids_read_as_the_log_has_them(
    own_app: LedgerApp, conninfo: str
) -> None:
    open_cycle(own_app)
    ana = seat(own_app, "E1001")
    ben = seat(own_app, "E1002", kpi=CONVERSION)
    day = date(2026, 5, 4)
    first = measure(own_app, ana, "81.250", day)
    second = measure(own_app, ana, "70", day)
    rate = own_app.record_measurement(
        HR,
        ben.employee_id,
        ben.cycle_id,
        "retention",
        numerator=D(3),
        denominator=D("40.0"),
        effective_date=day,
    ).ids["measurement_id"]
    own_app.correct_measurement(HR, first, value=D("82.5"), reason="typo")
    own_app.void_measurement(HR, second, reason="counted twice")
    own_app.correct_measurement(HR, rate, numerator=D(4), denominator=D(41), reason="late sale")
    head = own_app.head_position()
    logs = [measurement_log_uuid(s.employee_id, s.cycle_id) for s in (ana, ben)]

    read = facts_read(own_app, conninfo, logs, head)

    for log_id in logs:
        log: object = own_app.repository.get(log_id)
        assert isinstance(log, MeasurementLog)
        assert read[log_id] == [as_tuple(m) for m in log.measurements]
    assert read[logs[0]][0][2] == D("82.5")
    assert read[logs[0]][1][5] is True
    assert read[logs[1]][0][6:] == (D(4), D(41))


def test_a_position_before_a_correction_reads_the_value_before_it(
    own_app: LedgerApp, conninfo: str
) -> None:
    open_cycle(own_app)
    ana = seat(own_app, "E1001")
    first = measure(own_app, ana, "60", date(2026, 5, 4))
    before = own_app.head_position()
    own_app.correct_measurement(HR, first, value=D(65), reason="typo")
    log_id = measurement_log_uuid(ana.employee_id, ana.cycle_id)

    assert facts_read(own_app, conninfo, [log_id], before)[log_id][0][2] == D(60)
    assert facts_read(own_app, conninfo, [log_id], before + 1)[log_id][0][2] == D(65)


def test_a_recording_stored_before_rates_reads_as_a_value(
    own_app: LedgerApp, conninfo: str
) -> None:
    log_id = one_recording(own_app)
    restate_first_recording(conninfo, before_rates)

    [fact] = facts_read(own_app, conninfo, [log_id], own_app.head_position())[log_id]

    assert fact[2] == D(60)
    assert fact[6:] == (None, None)


def test_each_effective_date_reads_with_the_last_event_that_changed_it(
    own_app: LedgerApp, conninfo: str
) -> None:
    open_cycle(own_app)
    ana = seat(own_app, "E1001")
    may, june = date(2026, 5, 4), date(2026, 6, 30)
    in_may = measure(own_app, ana, "60", may)
    measure(own_app, ana, "61", june)
    last_june = own_app.head_position()
    own_app.void_measurement(HR, in_may, reason="counted twice")
    last_may = own_app.head_position()
    log_id = measurement_log_uuid(ana.employee_id, ana.cycle_id)

    reader = MeasuredFacts(History.of(own_app).table)
    with psycopg.connect(conninfo, row_factory=dict_row) as conn:
        [(_, read)] = reader.of(conn.cursor(), [log_id], last_may)

    assert read.changed == {may: last_may, june: last_june}


def test_the_readers_of_stored_measurements_know_the_events_class_versions() -> None:
    """A new class version of a log's events changes their stored form: the readers of that
    form must be brought to it (and their constants with them) before it can pass."""
    assert {
        RECORDED: MeasurementLog.MeasurementRecorded.class_version,
        CORRECTED: MeasurementLog.MeasurementCorrected.class_version,
        VOIDED: getattr(MeasurementLog.MeasurementVoided, "class_version", 1),
    } == READ_AS_STORED
    assert MeasurementLog.MeasurementRecorded.class_version == RECORDING_READ_AS_STORED


def test_a_measurement_stored_in_a_later_form_is_refused_not_misread(
    own_app: LedgerApp, conninfo: str
) -> None:
    log_id = one_recording(own_app)
    state = restate_first_recording(conninfo, lambda state: state.update(class_version=3))

    with pytest.raises(ValueError, match="version 3: not read here"):
        facts_read(own_app, conninfo, [log_id], own_app.head_position())
    assert stored_recording(json.dumps(state).encode()) is None
