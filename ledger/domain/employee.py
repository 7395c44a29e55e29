"""Employee: a person whose performance the ledger records."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.checks import check_actor, check_date, check_text, require_reason
from ledger.domain.personal import ERASED
from ledger.domain.topics import explicit_topics
from ledger.errors import InvalidInput, RuleViolated
from ledger.ids import check_key, employee_uuid


@dataclass(frozen=True)
class Profile:
    """What the ledger knows about an employee's place in the organisation."""

    name: str
    department: str
    role: str
    manager_id: str | None = None

    def checked(self, employee_id: str) -> Profile:
        manager_id = self.manager_id or None
        if manager_id is not None:
            check_key(manager_id, "manager_id")
            if manager_id == employee_id:
                message = "an employee cannot be their own manager"
                raise InvalidInput(message, {"manager_id": message})
        return Profile(
            name=check_text(self.name, "name"),
            department=check_text(self.department, "department"),
            role=check_text(self.role, "role"),
            manager_id=manager_id,
        )


PROFILE_FIELDS = tuple(field.name for field in fields(Profile))


@explicit_topics("Employee")
class Employee(Aggregate):
    """An employee, registered once, whose profile changes until they leave."""

    class Event(Aggregate.Event):
        actor: str

    class Registered(Event, Aggregate.Created):
        employee_id: str
        name: str
        department: str
        role: str
        manager_id: str | None

    class ProfileChanged(Event):
        changes: dict[str, str | None]
        """Each changed field of the profile with its new value."""
        effective_date: date
        reason: str

        def apply(self, employee: Employee) -> None:
            changes: dict[str, Any] = self.changes
            employee.profile = replace(employee.profile, **changes)

    class Left(Event):
        effective_date: date
        reason: str

        def apply(self, employee: Employee) -> None:
            employee.left_on = self.effective_date
            employee.leaving_reason = self.reason

    class Erased(Event):
        """The employee's data key is destroyed with this event: their name and every free
        text about them read as erased from then on. The reason and legal basis stay in
        clear, so the erasure itself remains accountable."""

        employee_id: str
        reason: str
        legal_basis: str

        def apply(self, employee: Employee) -> None:
            employee.erased = True
            employee.profile = replace(employee.profile, name=ERASED)
            if employee.leaving_reason is not None:
                employee.leaving_reason = ERASED

    @staticmethod
    def create_id(employee_id: str) -> UUID:
        return employee_uuid(employee_id)

    def __init__(
        self, employee_id: str, name: str, department: str, role: str, manager_id: str | None
    ) -> None:
        self.employee_id = employee_id
        self.profile = Profile(name, department, role, manager_id)
        self.left_on: date | None = None
        self.leaving_reason: str | None = None
        self.erased = False

    @classmethod
    def register(cls, employee_id: str, profile: Profile, *, actor: str) -> Employee:
        """Raises InvalidInput for a malformed key, profile or actor."""
        check_key(employee_id, "employee_id")
        profile = profile.checked(employee_id)
        return cls._create(
            cls.Registered,
            employee_id=employee_id,
            name=profile.name,
            department=profile.department,
            role=profile.role,
            manager_id=profile.manager_id,
            actor=check_actor(actor),
        )

    @property
    def has_left(self) -> bool:
        return self.left_on is not None

    def change_profile(
        self, profile: Profile, *, effective_date: date, reason: str | None, actor: str
    ) -> list[str]:
        """Records the fields that differ and returns their names; nothing when none does.

        Raises RuleViolated after the employee has left, InvalidInput for malformed
        values or a missing reason.
        """
        actor = check_actor(actor)
        self.check_not_erased()
        self.check_not_left()
        profile = profile.checked(self.employee_id)
        check_date(effective_date, "effective_date")
        changes: dict[str, Any] = {
            name: getattr(profile, name)
            for name in PROFILE_FIELDS
            if getattr(profile, name) != getattr(self.profile, name)
        }
        if not changes:
            return []
        self.trigger_event(
            self.ProfileChanged,
            changes=changes,
            effective_date=effective_date,
            reason=require_reason(reason),
            actor=actor,
        )
        return list(changes)

    def leave(self, *, effective_date: date, reason: str | None, actor: str) -> None:
        """Raises RuleViolated when the employee has left already, InvalidInput without a reason."""
        actor = check_actor(actor)
        self.check_not_erased()
        self.check_not_left()
        self.trigger_event(
            self.Left,
            effective_date=check_date(effective_date, "effective_date"),
            reason=require_reason(reason),
            actor=actor,
        )

    def erase(self, *, reason: str | None, legal_basis: str | None, actor: str) -> None:
        """Raises RuleViolated when erased already, InvalidInput without a reason or a legal
        basis."""
        actor = check_actor(actor)
        if self.erased:
            raise RuleViolated(
                f"the personal data of employee {self.employee_id} is erased already"
            )
        basis = check_text(legal_basis or "", "legal_basis")
        self.trigger_event(
            self.Erased,
            employee_id=self.employee_id,
            reason=require_reason(reason),
            legal_basis=basis,
            actor=actor,
        )

    def check_not_erased(self) -> None:
        if self.erased:
            raise RuleViolated(f"the personal data of employee {self.employee_id} was erased")

    def check_not_left(self) -> None:
        if self.left_on is not None:
            raise RuleViolated(f"employee {self.employee_id} left on {self.left_on.isoformat()}")
