"""Access tokens through the application, on a real PostgreSQL."""

from __future__ import annotations

import pytest

from ledger.application import LedgerApp
from ledger.commands import Context
from ledger.config import Settings
from ledger.domain.access import AccessDenied, AccessToken, Action, Principal, Role
from ledger.domain.employee import Profile
from ledger.errors import InvalidInput, NotFound, RuleViolated
from ledger.store.database import DatabaseAddress
from tests.integration.support import HR, new_id

ADMIN = Context(actor="admin:root")


def register(app: LedgerApp, manager_id: str | None = None) -> str:
    employee_id = new_id("E")
    profile = Profile("Ana Rao", "Sales", "Sales Executive", manager_id)
    app.register_employee(HR, employee_id, profile)
    return employee_id


def test_an_issued_token_identifies_its_principal(app: LedgerApp) -> None:
    issued = app.issue_token(ADMIN, name="priya", role=Role.HR)
    principal = app.principal(issued.token)
    assert principal == Principal(issued.token_id, "priya", Role.HR, None)
    assert principal.actor == "hr:priya"


def test_only_the_hash_of_a_token_is_recorded(app: LedgerApp) -> None:
    issued = app.issue_token(ADMIN, name="priya", role="hr")
    stored = app.access_token(issued.token_id)
    assert stored.token_hash != issued.token
    assert issued.token not in repr(vars(stored))
    events = app.repository.event_store.get(AccessToken.create_id(issued.token_id))
    assert all(issued.token not in repr(vars(event)) for event in events)


def test_granting_a_token_is_an_event_with_its_actor(app: LedgerApp) -> None:
    issued = app.issue_token(ADMIN, name="olga", role=Role.AUDITOR)
    assert issued.written.position == app.head().position
    (granted,) = app.repository.event_store.get(AccessToken.create_id(issued.token_id))
    assert isinstance(granted, AccessToken.Granted)
    assert granted.actor == "admin:root"


def test_a_revoked_token_identifies_nobody_at_once(app: LedgerApp) -> None:
    issued = app.issue_token(ADMIN, name="priya", role=Role.HR)
    assert app.principal(issued.token) is not None
    app.revoke_token(ADMIN, issued.token_id, reason="left the company")
    assert app.principal(issued.token) is None


def test_a_token_revoked_by_another_process_identifies_nobody_here_at_once(
    app: LedgerApp, database: DatabaseAddress, settings: Settings
) -> None:
    issued = app.issue_token(ADMIN, name="priya", role=Role.HR)
    assert app.principal(issued.token) is not None
    other = LedgerApp(database, settings)
    try:
        other.revoke_token(ADMIN, issued.token_id, reason="left the company")
    finally:
        other.close()
    assert app.principal(issued.token) is None


def test_a_revocation_needs_a_reason_and_happens_once(app: LedgerApp) -> None:
    issued = app.issue_token(ADMIN, name="priya", role=Role.HR)
    with pytest.raises(InvalidInput):
        app.revoke_token(ADMIN, issued.token_id, reason=" ")
    app.revoke_token(ADMIN, issued.token_id, reason="rotated")
    with pytest.raises(RuleViolated):
        app.revoke_token(ADMIN, issued.token_id, reason="rotated again")


def test_an_unknown_or_forged_token_identifies_nobody(app: LedgerApp) -> None:
    issued = app.issue_token(ADMIN, name="priya", role=Role.HR)
    forged = issued.token[:-4] + ("0000" if not issued.token.endswith("0000") else "1111")
    assert app.principal(forged) is None
    assert app.principal("pl_0123456789abcdef_" + "0" * 64) is None
    assert app.principal("not a token") is None


def test_a_manager_or_employee_token_needs_a_known_employee(app: LedgerApp) -> None:
    with pytest.raises(InvalidInput):
        app.issue_token(ADMIN, name="ravi", role=Role.MANAGER)
    with pytest.raises(NotFound):
        app.issue_token(ADMIN, name="ravi", role=Role.MANAGER, employee_id=new_id("E"))


def test_an_unknown_role_is_refused(app: LedgerApp) -> None:
    with pytest.raises(InvalidInput):
        app.issue_token(ADMIN, name="eve", role="superuser")


def test_tokens_are_listed_in_order_without_their_text(app: LedgerApp) -> None:
    first = app.issue_token(ADMIN, name="first", role=Role.AUDITOR)
    second = app.issue_token(ADMIN, name="second", role=Role.HR)
    app.revoke_token(ADMIN, first.token_id, reason="rotated")
    entries = {entry.token_id: entry for entry in app.tokens()}
    ids = [entry.token_id for entry in app.tokens()]
    assert ids.index(first.token_id) < ids.index(second.token_id)
    assert entries[first.token_id].revoked
    assert entries[first.token_id].revoked_reason == "rotated"
    assert not entries[second.token_id].revoked
    assert entries[second.token_id].granted_by == "admin:root"
    assert first.token not in repr(app.tokens())


def test_a_manager_acts_for_direct_reports_only(app: LedgerApp) -> None:
    manager_id = register(app)
    report = register(app, manager_id=manager_id)
    stranger = register(app)
    manager = app.principal(
        app.issue_token(ADMIN, name="ravi", role=Role.MANAGER, employee_id=manager_id).token
    )
    assert manager is not None
    app.check_access(manager, Action.WRITE, report)
    app.check_access(manager, Action.READ, manager_id)
    with pytest.raises(AccessDenied):
        app.check_access(manager, Action.WRITE, stranger)
    with pytest.raises(AccessDenied):
        app.check_access(manager, Action.WRITE, manager_id)
    with pytest.raises(AccessDenied):
        app.check_access(manager, Action.READ, new_id("E"))


def test_an_employee_reads_only_their_own_records(app: LedgerApp) -> None:
    employee_id = register(app)
    other = register(app)
    issued = app.issue_token(ADMIN, name="ana", role=Role.EMPLOYEE, employee_id=employee_id)
    employee = app.principal(issued.token)
    assert employee is not None
    app.check_access(employee, Action.READ, employee_id)
    with pytest.raises(AccessDenied):
        app.check_access(employee, Action.READ, other)
    with pytest.raises(AccessDenied):
        app.check_access(employee, Action.WRITE, employee_id)


def test_an_auditor_reads_everything_and_writes_nothing(app: LedgerApp) -> None:
    employee_id = register(app)
    auditor = app.principal(app.issue_token(ADMIN, name="olga", role=Role.AUDITOR).token)
    assert auditor is not None
    app.check_access(auditor, Action.READ, employee_id)
    app.check_access(auditor, Action.AUDIT)
    for action in (Action.WRITE, Action.ORGANISE, Action.MANAGE_TOKENS):
        with pytest.raises(AccessDenied):
            app.check_access(auditor, action, employee_id)
