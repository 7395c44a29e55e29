"""Personal fields sealed with the employee's data key, readable only with the master key."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.domain import Profile
from ledger.domain.personal import ERASED
from ledger.errors import AlreadyExists, RuleViolated
from ledger.store.database import DatabaseAddress
from ledger.store.master_key import MasterKeyError, generate_master_key_file
from tests.integration.personal_story import told
from tests.integration.support import HR, new_id


def stored_text(address: DatabaseAddress) -> str:
    """Every stored event's state, as text."""
    with psycopg.connect(address.conninfo()) as conn:
        rows = conn.execute("SELECT convert_from(state, 'UTF8') FROM ledger_events").fetchall()
    return "\n".join(str(row[0]) for row in rows)


def test_a_name_and_the_texts_about_a_person_are_stored_sealed_and_read_in_clear(
    own_app: LedgerApp, fresh_database: DatabaseAddress
) -> None:
    story = told(own_app)
    assert story.mark not in stored_text(fresh_database)
    assert own_app.employee(story.seat.employee_id).profile.name == story.name
    review = own_app.review(story.seat.employee_id, story.seat.q1)
    assert story.mark in review.revisions[-1].comments


def test_events_stored_in_clear_before_sealing_began_still_read(
    fresh_database: DatabaseAddress, settings: Settings, tmp_path: Path
) -> None:
    employee_id = new_id("E")
    clear = LedgerApp(fresh_database, replace(settings, master_key=None))
    try:
        clear.register_employee(HR, employee_id, Profile("Old Clear Name", "Ops", "Analyst"))
    finally:
        clear.close()
    assert "Old Clear Name" in stored_text(fresh_database)
    generate_master_key_file(tmp_path / "key")
    sealed = LedgerApp(fresh_database, replace(settings, master_key=tmp_path / "key"))
    try:
        assert sealed.employee(employee_id).profile.name == "Old Clear Name"
    finally:
        sealed.close()


def test_another_master_key_is_refused_before_anything_is_read_or_written(
    own_app: LedgerApp, fresh_database: DatabaseAddress, settings: Settings, tmp_path: Path
) -> None:
    told(own_app)
    head = own_app.head_position()
    other = tmp_path / "other-key"
    generate_master_key_file(other)
    with pytest.raises(MasterKeyError, match="not the one this ledger") as refused:
        LedgerApp(fresh_database, replace(settings, master_key=other))
    assert other.read_text().strip() not in str(refused.value)
    with pytest.raises(MasterKeyError, match="LEDGER_MASTER_KEY"):
        LedgerApp(fresh_database, replace(settings, master_key=None))
    with pytest.raises(MasterKeyError, match="cannot be read"):
        LedgerApp(fresh_database, replace(settings, master_key=tmp_path / "missing"))
    assert own_app.head_position() == head


def test_an_erased_person_reads_as_erased_and_nothing_more_personal_is_recorded(
    app: LedgerApp,
) -> None:
    story = told(app)
    app.erase_employee(
        HR, story.seat.employee_id, reason="left in 2019", legal_basis="GDPR Art. 17(1)(a)"
    )
    employee = app.employee(story.seat.employee_id)
    assert employee.profile.name == ERASED
    review = app.review(story.seat.employee_id, story.seat.q1)
    assert review.revisions[-1].comments == ERASED
    log = app.measurement_log(story.seat.employee_id, story.seat.cycle_id)
    assert story.mark not in repr(vars(log))
    with pytest.raises(RuleViolated, match="erased"):
        app.erase_employee(HR, story.seat.employee_id, reason="again", legal_basis="again")
    with pytest.raises(RuleViolated, match="erased"):
        app.correct_measurement(
            HR,
            f"{story.seat.employee_id}:{story.seat.cycle_id}:1",
            value=Decimal(1),
            reason="late note",
        )


def test_verification_and_reproduction_hold_after_an_erasure(app: LedgerApp) -> None:
    story = told(app)
    app.erase_employee(HR, story.seat.employee_id, reason="retention over", legal_basis="DPDP s.8")
    assert app.verify().ok
    assert app.reproduce(story.seat.employee_id, story.seat.q1, 1).matches


def wrapped_key(address: DatabaseAddress, employee_id: str) -> bytes | None:
    with psycopg.connect(address.conninfo()) as conn:
        row = conn.execute(
            "SELECT wrapped FROM ledger_events_data_keys WHERE employee_id = %s", (employee_id,)
        ).fetchone()
    return None if row is None else bytes(row[0])


def test_a_new_employees_data_key_is_stored_with_their_registration(
    app: LedgerApp, database: DatabaseAddress
) -> None:
    employee_id = new_id("E")
    app.register_employee(HR, employee_id, Profile("Keyed Person", "Ops", "Analyst"))
    assert wrapped_key(database, employee_id) is not None


def test_a_second_registration_is_refused_and_keeps_the_first_ones_key(
    app: LedgerApp, database: DatabaseAddress, settings: Settings
) -> None:
    employee_id = new_id("E")
    app.register_employee(HR, employee_id, Profile("First Person", "Ops", "Analyst"))
    first_key = wrapped_key(database, employee_id)
    other = LedgerApp(database, settings)
    try:
        with pytest.raises(AlreadyExists):
            other.register_employee(HR, employee_id, Profile("Second Person", "Ops", "Analyst"))
        assert wrapped_key(database, employee_id) == first_key
        assert other.employee(employee_id).profile.name == "First Person"
    finally:
        other.close()


def test_a_data_key_stored_before_the_registration_is_used_not_replaced(
    app: LedgerApp, database: DatabaseAddress, settings: Settings
) -> None:
    employee_id = new_id("E")
    assert app.master_key is not None
    app.keyring.keys.create(employee_id, app.master_key)
    before = wrapped_key(database, employee_id)
    app.register_employee(HR, employee_id, Profile("Early Key", "Ops", "Analyst"))
    assert wrapped_key(database, employee_id) == before
    reader = LedgerApp(database, settings)
    try:
        assert reader.employee(employee_id).profile.name == "Early Key"
    finally:
        reader.close()
