"""Latest states: shared by threads without copying histories, caught up across processes,
and loaded after a restart from a snapshot and the events after it."""

from __future__ import annotations

import threading
import time
from datetime import date
from decimal import Decimal

from ledger.app.snapshots import SNAPSHOT_EVERY
from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.domain import MeasurementLog
from ledger.errors import Conflict
from ledger.store.database import DatabaseAddress
from tests.integration.support import HR, Seat, saved_log, seat_with_active_plan

JUNE = date(2026, 6, 30)


def record(app: LedgerApp, seat: Seat, value: int) -> str:
    written = app.record_measurement(
        HR, seat.employee_id, seat.cycle_id, "retention", value=Decimal(value), effective_date=JUNE
    )
    return written.ids["measurement_id"]


def record_retrying(app: LedgerApp, seat: Seat, value: int) -> str:
    """Record, again after losing a race to another writer (409), as a client would."""
    while True:
        try:
            return record(app, seat, value)
        except Conflict:
            continue


def stored_log(app: LedgerApp, seat: Seat) -> MeasurementLog:
    """The log replayed from every stored event, as the library's repository rebuilds it."""
    log: MeasurementLog = app.repository.get(
        MeasurementLog.create_id(seat.employee_id, seat.cycle_id)
    )
    return log


def test_a_long_log_is_snapshotted_and_a_new_process_loads_it_equal_to_its_events(
    app: LedgerApp, database: DatabaseAddress, settings: Settings
) -> None:
    seat = seat_with_active_plan(app)
    for value in range(SNAPSHOT_EVERY + 5):
        record(app, seat, value)
    log_id = MeasurementLog.create_id(seat.employee_id, seat.cycle_id)
    [snapshot] = app.loader.snapshots.get(log_id, desc=True, limit=1)
    assert snapshot.originator_version >= SNAPSHOT_EVERY

    restarted = LedgerApp(database, settings)
    try:
        loaded = restarted.measurement_log(seat.employee_id, seat.cycle_id)
        assert loaded == stored_log(app, seat)
        next_id = record(restarted, seat, 1)
    finally:
        restarted.close()
    assert next_id.endswith(f":{SNAPSHOT_EVERY + 6}")


def feed_reaches(app: LedgerApp, position: int) -> bool:
    """Whether this process's change feed gets to ``position`` within ten seconds."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        reached = app.loader.feed.position()
        if reached is not None and reached >= position:
            return True
        time.sleep(0.01)
    return False


def test_a_write_by_another_process_is_seen_here_once_the_change_feed_has_it(
    app: LedgerApp, database: DatabaseAddress, settings: Settings
) -> None:
    seat = seat_with_active_plan(app)
    record(app, seat, 1)
    other = LedgerApp(database, settings)
    try:
        second = other.record_measurement(
            HR, seat.employee_id, seat.cycle_id, "retention", value=Decimal(2), effective_date=JUNE
        )
    finally:
        other.close()
    assert feed_reaches(app, second.position)
    third = record(app, seat, 3)
    assert third.endswith(":3")
    assert app.measurement_log(seat.employee_id, seat.cycle_id) == stored_log(app, seat)


def test_without_its_change_feed_a_process_reads_what_changed_before_every_command(
    app: LedgerApp, database: DatabaseAddress, settings: Settings
) -> None:
    seat = seat_with_active_plan(app)
    record(app, seat, 1)
    app.loader.feed.close()
    assert app.loader.feed.position() is None
    other = LedgerApp(database, settings)
    try:
        record(other, seat, 2)
    finally:
        other.close()
    assert record(app, seat, 3).endswith(":3")


def test_a_refused_command_leaves_the_shared_state_as_it_was(app: LedgerApp) -> None:
    seat = seat_with_active_plan(app)
    first = record(app, seat, 87)
    before = app.measurement_log(seat.employee_id, seat.cycle_id)
    log = app.measurement_log(seat.employee_id, seat.cycle_id)
    assert log is not None
    log.correct(first, Decimal(90), reason="changed but never saved", actor=HR.actor)
    assert app.measurement_log(seat.employee_id, seat.cycle_id) == before


def test_threads_writing_to_one_log_each_get_a_measurement_of_their_own(app: LedgerApp) -> None:
    seat = seat_with_active_plan(app)
    saved_log(app, seat, 500)
    recorded: list[str] = []
    failures: list[BaseException] = []

    def writer(offset: int) -> None:
        try:
            recorded.extend(record_retrying(app, seat, offset + n) for n in range(10))
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=writer, args=(100 * t,)) for t in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    log = stored_log(app, seat)
    assert sorted(recorded) == sorted(m.measurement_id for m in log.measurements[500:])
    assert len(set(recorded)) == 60 == len(log.measurements) - 500
    assert app.measurement_log(seat.employee_id, seat.cycle_id) == log
