"""The API against its own OpenAPI document: no 5xx, every answer as documented."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.domain.access import Role
from ledger.store.database import DatabaseAddress
from ledger.store.provision import init_schema
from ledger.store.scratch import create_database, drop_database
from tests.e2e.world import SETUP, build_world
from web import create_app
from web.job_routes import JOBS
from web.jobs import JobRegistry

EXAMPLES = 10
JOB_SECONDS = 60
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def contract_ledger(pg_server: DatabaseAddress, settings: Settings) -> Iterator[LedgerApp]:
    """A database of its own: the generated requests write whatever they like."""
    address = create_database(pg_server, "ledger_contract")
    init_schema(address, settings)
    ledger = LedgerApp(address, replace(settings, read_wait_seconds=0.01))
    yield ledger
    ledger.close()
    drop_database(pg_server, address)


@pytest.fixture(scope="module")
def world_ids(contract_ledger: LedgerApp) -> dict[str, str]:
    """Path parameters naming things that exist, so generated requests reach the domain."""
    world = build_world(contract_ledger)
    return {
        "employee_id": world.employee_id,
        "cycle_id": world.cycle_id,
        "kra_id": "retention",
        "kpi_id": "retained",
        "measurement_id": world.measurement_id,
        "period": f"{world.cycle_id}-Q1",
        "revision": "1",
        "job_id": "0" * 32,
        "token_id": contract_ledger.issue_token(SETUP, name="spare", role=Role.HR).token_id,
    }


@pytest.fixture(scope="module")
def admin_token(contract_ledger: LedgerApp) -> str:
    return contract_ledger.issue_token(SETUP, name="contract", role=Role.ADMIN).token


@pytest.fixture(scope="module")
def contract_app(contract_ledger: LedgerApp, settings: Settings) -> Flask:
    return create_app(replace(settings, read_wait_seconds=0.01), ledger=contract_ledger)


@pytest.fixture(scope="module")
def api_schema(contract_app: Flask) -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", contract_app)


@pytest.mark.parametrize(
    ("mode", "existing"),
    [
        (GenerationMode.POSITIVE, True),
        (GenerationMode.POSITIVE, False),
        (GenerationMode.NEGATIVE, True),
    ],
    ids=["valid requests to existing records", "valid requests", "invalid requests"],
)
def test_every_operation_answers_as_documented_and_never_with_5xx(
    api_schema: Any,
    contract_app: Flask,
    admin_token: str,
    world_ids: dict[str, str],
    mode: GenerationMode,
    existing: bool,
) -> None:
    headers = {"Authorization": f"Bearer {admin_token}"}
    # Jobs a request starts end before the next case is drawn: their work draws random
    # numbers (the database pool's jitter), which hypothesis forbids while it generates.
    jobs: JobRegistry = contract_app.extensions[JOBS]
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:
        names = re.findall(r"{(\w+)}", operation.path)
        known = {name: world_ids[name] for name in names} if existing else None

        @given(case=operation.as_strategy(mode, path_parameters=known))
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)
            assert jobs.join(JOB_SECONDS), "a job started by the request did not end"

        answers_as_documented()
