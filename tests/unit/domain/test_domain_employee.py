from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.application import Application

from ledger.domain import Employee, Profile
from ledger.errors import InvalidInput, LedgerError, RuleViolated
from ledger.ids import employee_uuid

ACTOR = "hr:priya"
PROFILE = Profile("Asha Rao", "HR", "HR Manager", "M001")
DAY = date(2025, 6, 1)


def test_registering_an_employee_records_who_they_are_and_who_did_it() -> None:
    employee = Employee.register("E1001", PROFILE, actor=ACTOR)

    (registered,) = employee.collect_events()
    assert isinstance(registered, Employee.Registered)
    assert employee.id == employee_uuid("E1001")
    assert (registered.employee_id, registered.name, registered.manager_id) == (
        "E1001",
        "Asha Rao",
        "M001",
    )
    assert registered.actor == ACTOR
    assert employee.profile == PROFILE
    assert not employee.has_left


def test_an_employee_may_have_no_manager() -> None:
    employee = Employee.register("CEO", Profile("Ravi", "Board", "CEO"), actor=ACTOR)
    assert employee.profile.manager_id is None


@pytest.mark.parametrize(
    ("employee_id", "profile", "field"),
    [
        ("E 1001", PROFILE, "employee_id"),
        ("E1001", Profile("", "HR", "HR Manager"), "name"),
        ("E1001", Profile("Asha", " ", "HR Manager"), "department"),
        ("E1001", Profile("Asha", "HR", ""), "role"),
        ("E1001", Profile("Asha", "HR", "HR Manager", "bad id"), "manager_id"),
        ("E1001", Profile("Asha", "HR", "HR Manager", "E1001"), "manager_id"),
    ],
    ids=[
        "a malformed employee id",
        "a blank name",
        "a blank department",
        "a blank role",
        "a malformed manager id",
        "an employee managing themself",
    ],
)
def test_registering_with_malformed_values_is_refused_naming_the_field(
    employee_id: str, profile: Profile, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        Employee.register(employee_id, profile, actor=ACTOR)
    assert field in refused.value.fields


def test_registering_needs_an_actor() -> None:
    with pytest.raises(InvalidInput):
        Employee.register("E1001", PROFILE, actor=" ")


def test_a_profile_change_records_only_the_fields_that_differ(employee: Employee) -> None:
    new = Profile("Asha Rao", "People", "HR Manager", "M002")

    changed = employee.change_profile(new, effective_date=DAY, reason="reorg", actor=ACTOR)

    assert changed == ["department", "manager_id"]
    (event,) = employee.collect_events()
    assert isinstance(event, Employee.ProfileChanged)
    assert event.changes == {"department": "People", "manager_id": "M002"}
    assert (event.effective_date, event.reason, event.actor) == (DAY, "reorg", ACTOR)
    assert employee.profile == new


def test_a_profile_change_can_remove_the_manager(employee: Employee) -> None:
    new = Profile("Asha Rao", "HR", "HR Manager", None)
    employee.change_profile(new, effective_date=DAY, reason="manager left", actor=ACTOR)
    assert employee.profile.manager_id is None


def test_a_profile_change_that_changes_nothing_records_nothing(employee: Employee) -> None:
    assert employee.change_profile(PROFILE, effective_date=DAY, reason=None, actor=ACTOR) == []
    assert employee.collect_events() == []


def test_leaving_records_the_date_and_the_reason(employee: Employee) -> None:
    employee.leave(effective_date=DAY, reason="resigned", actor=ACTOR)

    (left,) = employee.collect_events()
    assert isinstance(left, Employee.Left)
    assert (left.effective_date, left.reason) == (DAY, "resigned")
    assert employee.has_left
    assert employee.left_on == DAY


def _left(employee: Employee) -> Employee:
    employee.leave(effective_date=DAY, reason="resigned", actor=ACTOR)
    employee.collect_events()
    return employee


REFUSALS: list[Any] = [
    pytest.param(
        lambda e: e.change_profile(
            Profile("Asha Rao", "People", "HR Manager", "M001"),
            effective_date=DAY,
            reason=None,
            actor=ACTOR,
        ),
        InvalidInput,
        id="a profile change without a reason",
    ),
    pytest.param(
        lambda e: e.change_profile(
            Profile("Asha Rao", "HR", "HR Manager", "E1001"),
            effective_date=DAY,
            reason="why not",
            actor=ACTOR,
        ),
        InvalidInput,
        id="making an employee their own manager",
    ),
    pytest.param(
        lambda e: e.change_profile(PROFILE, effective_date="2025-06-01", reason="x", actor=ACTOR),
        InvalidInput,
        id="a profile change with an effective date that is not a date",
    ),
    pytest.param(
        lambda e: e.leave(effective_date=DAY, reason="  ", actor=ACTOR),
        InvalidInput,
        id="leaving without a reason",
    ),
    pytest.param(
        lambda e: _left(e).change_profile(
            Profile("Asha Rao", "People", "HR Manager"), effective_date=DAY, reason="r", actor=ACTOR
        ),
        RuleViolated,
        id="a profile change after leaving",
    ),
    pytest.param(
        lambda e: _left(e).leave(effective_date=DAY, reason="again", actor=ACTOR),
        RuleViolated,
        id="leaving twice",
    ),
]


@pytest.mark.parametrize(("command", "error"), REFUSALS)
def test_a_refused_command_raises_its_error_and_records_nothing(
    employee: Employee, command: Callable[[Employee], object], error: type[LedgerError]
) -> None:
    with pytest.raises(error):
        command(employee)
    assert employee.collect_events() == []
    assert employee.version == (2 if employee.has_left else 1)


def test_an_employee_survives_storage_and_earlier_versions_stay_readable(
    store: Application[UUID], employee: Employee
) -> None:
    employee.change_profile(
        Profile("Asha Rao", "People", "Head of People", "M002"),
        effective_date=DAY,
        reason="promotion",
        actor=ACTOR,
    )
    employee.leave(effective_date=date(2026, 1, 31), reason="resigned", actor=ACTOR)
    store.save(employee)

    assert store.repository.get(employee.id) == employee
    first: Employee = store.repository.get(employee.id, version=1)
    assert first.profile == PROFILE
    assert not first.has_left
