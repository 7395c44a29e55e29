"""A real server on a free loopback port, serving the session's database, and its clients."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest

from ledger.application import LedgerApp
from ledger.commands import Context
from ledger.config import Settings
from ledger.domain.access import Role
from ledger.domain.employee import Profile
from ledger.store.database import DatabaseAddress
from projections import Worker
from projections.catalog import all_views
from tests.e2e.client import ApiClient, new_id
from tests.e2e.serving import served

SETUP = Context(actor="admin:e2e-setup")


@pytest.fixture(scope="session")
def e2e_settings(settings: Settings) -> Settings:
    return replace(settings, read_wait_seconds=0.2)


@pytest.fixture(scope="session")
def e2e_ledger(database: DatabaseAddress, e2e_settings: Settings) -> Iterator[LedgerApp]:
    ledger = LedgerApp(database, e2e_settings)
    yield ledger
    ledger.close()


@pytest.fixture(scope="session", autouse=True)
def views_kept(e2e_ledger: LedgerApp) -> Iterator[None]:
    """The read models kept up to date in background threads, as `ledger serve` does."""
    worker = Worker(e2e_ledger, all_views(e2e_ledger))
    worker.start(daemon=True)
    yield
    worker.stop(timeout=30)


@pytest.fixture(scope="session")
def base_url(e2e_ledger: LedgerApp, e2e_settings: Settings) -> Iterator[str]:
    """The API served by waitress in a thread of this process, on a real socket."""
    with served(e2e_ledger, e2e_settings, threads=8) as url:
        yield url


@dataclass(frozen=True)
class Organisation:
    """A manager with one direct report, and someone else who is not theirs."""

    manager_id: str
    report_id: str
    stranger_id: str


@pytest.fixture(scope="session")
def organisation(e2e_ledger: LedgerApp) -> Organisation:
    org = Organisation(new_id("M"), new_id("E"), new_id("E"))
    e2e_ledger.register_employee(SETUP, org.manager_id, Profile("Ravi Iyer", "Sales", "Manager"))
    report = Profile("Ana Rao", "Sales", "Sales Executive", org.manager_id)
    e2e_ledger.register_employee(SETUP, org.report_id, report)
    e2e_ledger.register_employee(SETUP, org.stranger_id, Profile("Raj Sen", "Ops", "Analyst"))
    return org


@pytest.fixture(scope="session")
def tokens(e2e_ledger: LedgerApp, organisation: Organisation) -> dict[str, str]:
    """One token per role: the manager manages the report, the employee is the report."""
    people = {Role.MANAGER: organisation.manager_id, Role.EMPLOYEE: organisation.report_id}
    return {
        role.value: e2e_ledger.issue_token(
            SETUP, name=f"e2e-{role.value}", role=role, employee_id=people.get(role)
        ).token
        for role in Role
    }


def _client(base_url: str, token: str | None) -> Iterator[ApiClient]:
    client = ApiClient(base_url, token)
    yield client
    client.close()


@pytest.fixture
def hr(base_url: str, tokens: dict[str, str]) -> Iterator[ApiClient]:
    yield from _client(base_url, tokens["hr"])


@pytest.fixture
def admin(base_url: str, tokens: dict[str, str]) -> Iterator[ApiClient]:
    yield from _client(base_url, tokens["admin"])


@pytest.fixture
def auditor(base_url: str, tokens: dict[str, str]) -> Iterator[ApiClient]:
    yield from _client(base_url, tokens["auditor"])


@pytest.fixture
def manager(base_url: str, tokens: dict[str, str]) -> Iterator[ApiClient]:
    yield from _client(base_url, tokens["manager"])


@pytest.fixture
def anonymous(base_url: str) -> Iterator[ApiClient]:
    yield from _client(base_url, None)
