"""Access: bearer tokens granted to principals with a role, and what each role may do.

A token is stored only as the sha256 hash of its text. Granting and revoking a token are
events like any other, so the ledger records who could act, from when, and who said so.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from ledger.domain.checks import check_actor, require_reason
from ledger.domain.topics import explicit_topics
from ledger.errors import InvalidInput, LedgerError, RuleViolated
from ledger.ids import NAMESPACE, check_key

TOKEN_PREFIX = "pl"
TOKEN_ID_PATTERN = re.compile(r"[0-9a-f]{16}")
TOKEN_PATTERN = re.compile(rf"{TOKEN_PREFIX}_(?P<token_id>[0-9a-f]{{16}})_[0-9a-f]{{64}}")
TOKEN_HASH_PATTERN = re.compile(r"[0-9a-f]{64}")
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@+-]{0,99}")
NAME_RULE = "1 to 100 characters: letters, digits, '_', '.', '@', '+' or '-'"


class AccessDenied(LedgerError):
    """The principal's role does not allow this, or not for this employee."""


class Role(Enum):
    ADMIN = "admin"
    HR = "hr"
    MANAGER = "manager"
    EMPLOYEE = "employee"
    AUDITOR = "auditor"


ROLES_OF_A_PERSON = frozenset({Role.MANAGER, Role.EMPLOYEE})
"""Roles whose rights depend on who they are in the organisation: they need an employee id."""


class Action(Enum):
    READ = "read"
    """Read one employee's profile, plans, measurements, scorecards and reviews."""
    WRITE = "write"
    """Change one employee's plans, measurements and reviews."""
    ORGANISE = "organise"
    """Register employees, change profiles, open cycles and revise their policy."""
    BROWSE = "browse"
    """Read what every principal may see: cycles and the ledger's head."""
    AUDIT = "audit"
    """Read the ledger as a whole: verification, the audit trail, exports."""
    CALIBRATE = "calibrate"
    """Calibrate or reopen an employee's finalised review: HR's call, not the manager's."""
    MANAGE_TOKENS = "manage_tokens"


ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.HR: frozenset(Action) - {Action.MANAGE_TOKENS},
    Role.AUDITOR: frozenset({Action.READ, Action.BROWSE, Action.AUDIT}),
    Role.MANAGER: frozenset({Action.READ, Action.WRITE, Action.BROWSE}),
    Role.EMPLOYEE: frozenset({Action.READ, Action.BROWSE}),
}


@dataclass(frozen=True)
class Principal:
    """Who presents a token: the events they cause carry ``actor``."""

    token_id: str
    name: str
    role: Role
    employee_id: str | None = None

    @property
    def actor(self) -> str:
        return f"{self.role.value}:{self.name}"


ManagerOf = Callable[[str], str | None]
"""The manager id of an employee, or None when they have none or are unknown."""


def may(
    principal: Principal, action: Action, employee_id: str | None, manager_of: ManagerOf
) -> bool:
    """Whether ``principal`` may do ``action``, for ``employee_id`` when it concerns one.

    A manager acts for their direct reports and reads their own records too; an employee
    reads their own. ``manager_of`` is asked only when the answer depends on it.
    """
    if action not in ROLE_ACTIONS[principal.role]:
        return False
    if principal.role not in ROLES_OF_A_PERSON or action not in {Action.READ, Action.WRITE}:
        return True
    if employee_id is None:
        return False
    own = employee_id == principal.employee_id
    if principal.role is Role.EMPLOYEE:
        return own and action is Action.READ
    if own and action is Action.READ:
        return True
    return principal.employee_id is not None and manager_of(employee_id) == principal.employee_id


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_id_of(token: str) -> str | None:
    """The id a well-formed token names; None for anything else."""
    match = TOKEN_PATTERN.fullmatch(token)
    return match["token_id"] if match else None


def access_token_uuid(token_id: str) -> UUID:
    return uuid5(NAMESPACE, f"access-token:{token_id}")


def check_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        message = f"must be one of {', '.join(r.value for r in Role)}"
        raise InvalidInput(f"role {message}", {"role": message}) from None


def check_name(name: str) -> str:
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        raise InvalidInput(f"name {name!r} is not valid: {NAME_RULE}", {"name": NAME_RULE})
    return name


@explicit_topics("AccessToken")
class AccessToken(Aggregate):
    """A bearer token of one principal, granted once and revoked at most once."""

    class Event(Aggregate.Event):
        actor: str

    class Granted(Event, Aggregate.Created):
        token_id: str
        name: str
        role: str
        employee_id: str | None
        token_hash: str

    class Revoked(Event):
        reason: str

        def apply(self, token: AccessToken) -> None:
            token.revoked_reason = self.reason
            token.revoked_by = self.actor

    @staticmethod
    def create_id(token_id: str) -> UUID:
        return access_token_uuid(token_id)

    def __init__(
        self,
        token_id: str,
        name: str,
        role: str,
        employee_id: str | None,
        token_hash: str,
        actor: str,
    ) -> None:
        self.token_id = token_id
        self.granted_by = actor
        self.name = name
        self.role = Role(role)
        self.employee_id = employee_id
        self.token_hash = token_hash
        self.revoked_reason: str | None = None
        self.revoked_by: str | None = None

    @classmethod
    def grant(
        cls,
        token_id: str,
        *,
        name: str,
        role: Role,
        employee_id: str | None,
        token_hash: str,
        actor: str,
    ) -> AccessToken:
        """Raises InvalidInput for a malformed id, name or hash, or a manager or employee
        without an employee id."""
        if not isinstance(token_id, str) or not TOKEN_ID_PATTERN.fullmatch(token_id):
            raise InvalidInput("token_id must be 16 hex digits", {"token_id": "16 hex digits"})
        if not isinstance(token_hash, str) or not TOKEN_HASH_PATTERN.fullmatch(token_hash):
            message = "must be 64 lowercase hex digits"
            raise InvalidInput(f"token_hash {message}", {"token_hash": message})
        if not isinstance(role, Role):
            role = check_role(role)
        if employee_id is not None:
            check_key(employee_id, "employee_id")
        elif role in ROLES_OF_A_PERSON:
            message = f"a {role.value} token needs the employee id of its holder"
            raise InvalidInput(message, {"employee_id": message})
        return cls._create(
            cls.Granted,
            token_id=token_id,
            name=check_name(name),
            role=role.value,
            employee_id=employee_id,
            token_hash=token_hash,
            actor=check_actor(actor),
        )

    @property
    def is_revoked(self) -> bool:
        return self.revoked_reason is not None

    @property
    def principal(self) -> Principal:
        return Principal(self.token_id, self.name, self.role, self.employee_id)

    def revoke(self, *, reason: str | None, actor: str) -> None:
        """Raises RuleViolated when revoked already, InvalidInput without a reason."""
        actor, checked_reason = check_actor(actor), require_reason(reason)
        if self.is_revoked:
            raise RuleViolated(f"token {self.token_id} is revoked already")
        self.trigger_event(self.Revoked, reason=checked_reason, actor=actor)


TOKEN_DIRECTORY_ID = uuid5(NAMESPACE, "access-token-directory")


@explicit_topics("TokenDirectory")
class TokenDirectory(Aggregate):
    """The ids of every token ever granted, in order: the index that lists them."""

    class Event(Aggregate.Event):
        actor: str

    class Started(Event, Aggregate.Created):
        pass

    class Listed(Event):
        token_id: str

        def apply(self, directory: TokenDirectory) -> None:
            directory.token_ids.append(self.token_id)

    @staticmethod
    def create_id() -> UUID:
        return TOKEN_DIRECTORY_ID

    def __init__(self) -> None:
        self.token_ids: list[str] = []

    @classmethod
    def start(cls, *, actor: str) -> TokenDirectory:
        return cls._create(cls.Started, id=TOKEN_DIRECTORY_ID, actor=check_actor(actor))

    def add(self, token_id: str, *, actor: str) -> None:
        self.trigger_event(self.Listed, token_id=token_id, actor=check_actor(actor))
