"""Employees and cycles through the application, on a real PostgreSQL."""

from __future__ import annotations

import multiprocessing
from datetime import date
from decimal import Decimal
from multiprocessing.synchronize import Barrier

import pytest

from ledger.application import LedgerApp
from ledger.commands import Context, Idempotency
from ledger.config import Settings
from ledger.domain.employee import Profile
from ledger.errors import (
    AlreadyExists,
    Conflict,
    IdempotencyKeyReused,
    InvalidInput,
    NotFound,
    RuleViolated,
)
from ledger.store.database import DatabaseAddress
from ledger.values import RatingBand
from tests.integration.support import HR, new_id

ANA = Profile(name="Ana Rao", department="Sales", role="Sales Executive", manager_id="M1")


def test_registering_an_employee_answers_the_position_of_its_event(app: LedgerApp) -> None:
    employee_id = new_id("E")
    written = app.register_employee(HR, employee_id, ANA)
    assert written.created
    assert written.position == app.head().position
    assert app.employee(employee_id).profile == ANA


def test_registering_twice_is_refused_and_writes_nothing(app: LedgerApp) -> None:
    employee_id = new_id("E")
    app.register_employee(HR, employee_id, ANA)
    head = app.head()
    with pytest.raises(AlreadyExists):
        app.register_employee(HR, employee_id, ANA)
    assert app.head() == head


def test_a_profile_change_needs_a_reason(app: LedgerApp) -> None:
    employee_id = new_id("E")
    app.register_employee(HR, employee_id, ANA)
    head = app.head()
    moved = Profile(name="Ana Rao", department="Marketing", role="Marketing Manager")
    with pytest.raises(InvalidInput):
        app.change_profile(HR, employee_id, moved, effective_date=date(2026, 7, 1), reason=" ")
    assert app.head() == head
    app.change_profile(
        HR, employee_id, moved, effective_date=date(2026, 7, 1), reason="moved to marketing"
    )
    assert app.employee(employee_id).profile.department == "Marketing"


def test_nothing_changes_after_an_employee_left(app: LedgerApp) -> None:
    employee_id = new_id("E")
    app.register_employee(HR, employee_id, ANA)
    app.record_leaving(HR, employee_id, effective_date=date(2026, 9, 30), reason="resigned")
    with pytest.raises(RuleViolated):
        app.record_leaving(HR, employee_id, effective_date=date(2026, 10, 1), reason="again")


def test_an_unknown_employee_is_not_found(app: LedgerApp) -> None:
    with pytest.raises(NotFound):
        app.employee(new_id("nobody"))


def test_an_idempotent_retry_answers_the_first_result_and_writes_nothing(app: LedgerApp) -> None:
    employee_id = new_id("E")
    ctx = Context(actor="hr:priya", idempotency=Idempotency(new_id("key"), "fp-1"))
    first = app.register_employee(ctx, employee_id, ANA)
    head = app.head()
    again = app.register_employee(ctx, employee_id, ANA)
    assert again.replayed
    assert again.position == first.position
    assert app.head() == head


def test_an_idempotency_key_with_another_request_is_refused(app: LedgerApp) -> None:
    key = new_id("key")
    app.register_employee(
        Context(actor="hr:priya", idempotency=Idempotency(key, "fp-1")), new_id("E"), ANA
    )
    head = app.head()
    with pytest.raises(IdempotencyKeyReused):
        app.register_employee(
            Context(actor="hr:priya", idempotency=Idempotency(key, "fp-2")), new_id("E"), ANA
        )
    assert app.head() == head


def test_a_cycle_opens_with_the_default_policy(app: LedgerApp) -> None:
    cycle_id = new_id("FY")
    app.open_cycle(HR, cycle_id, name="FY 2026-27", start_date=date(2026, 4, 1))
    cycle = app.cycle(cycle_id)
    assert cycle.end_date == date(2027, 3, 31)
    assert cycle.achievement_cap == Decimal(150)
    assert [band.rating for band in cycle.rating_scale] == [1, 2, 3, 4, 5]


def test_a_policy_revision_is_recorded_with_its_reason(app: LedgerApp) -> None:
    cycle_id = new_id("FY")
    app.open_cycle(HR, cycle_id, name="FY 2026-27", start_date=date(2026, 4, 1))
    scale = [RatingBand(Decimal(0), 1, "Low"), RatingBand(Decimal(90), 2, "High")]
    app.revise_policy(
        HR, cycle_id, achievement_cap=Decimal(120), rating_scale=scale, reason="board decision"
    )
    cycle = app.cycle(cycle_id)
    assert cycle.achievement_cap == Decimal(120)
    assert list(cycle.rating_scale) == scale
    assert app.cycle(cycle_id, version=1).achievement_cap == Decimal(150)


def save_profile_change(
    database: DatabaseAddress,
    settings: Settings,
    employee_id: str,
    department: str,
    barrier: Barrier,
    outcomes: multiprocessing.Queue[str],
) -> None:
    ledger = LedgerApp(database, settings)
    try:
        employee = ledger.employee(employee_id)
        profile = Profile(name="Ana Rao", department=department, role="Sales Executive")
        employee.change_profile(
            profile, effective_date=date(2026, 7, 1), reason="reorganisation", actor="hr:priya"
        )
        barrier.wait(timeout=30)
        try:
            ledger.commit(HR, employee, main=employee)
            outcomes.put("saved")
        except Conflict:
            outcomes.put("conflict")
    finally:
        ledger.close()


def test_two_processes_saving_one_employee_at_once_one_wins_the_other_conflicts(
    app: LedgerApp, database: DatabaseAddress, settings: Settings
) -> None:
    employee_id = new_id("E")
    app.register_employee(HR, employee_id, ANA)
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(2)
    outcomes: multiprocessing.Queue[str] = spawn.Queue()
    workers = [
        spawn.Process(
            target=save_profile_change,
            args=(database, settings, employee_id, department, barrier, outcomes),
        )
        for department in ("Finance", "Support")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert sorted(outcomes.get(timeout=5) for _ in workers) == ["conflict", "saved"]
    employee = app.employee(employee_id)
    assert employee.version == 2
    assert employee.profile.department in {"Finance", "Support"}
    assert app.verify().ok
