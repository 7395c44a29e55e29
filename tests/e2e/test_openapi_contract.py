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
from web.api.jobs import JOBS
from web.serving.jobs import JobRegistry

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
    document: dict[str, Any],
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
        if mode is GenerationMode.NEGATIVE and operation.path in without_inputs(document):
            continue  # no token, no parameter, no body: nothing of it can be invalid
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


@pytest.fixture(scope="module")
def document(contract_app: Flask) -> dict[str, Any]:
    answer = contract_app.test_client().get("/api/v1/openapi.json")
    assert answer.status_code == 200
    document: dict[str, Any] = answer.get_json()
    return document


def operations_of(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield method.upper(), path, operation


def without_inputs(document: dict[str, Any]) -> set[str]:
    """The paths whose operations take neither a token nor a parameter nor a body."""
    return {
        path
        for path, item in document["paths"].items()
        if "parameters" not in item
        and all(
            operation.get("security") == []
            and not operation.get("parameters")
            and "requestBody" not in operation
            for operation in item.values()
        )
    }


def test_every_operation_documents_401_and_503_and_every_write_412(
    document: dict[str, Any],
) -> None:
    for method, path, operation in operations_of(document):
        answers = set(operation["responses"])
        if operation.get("security") == []:
            assert "401" not in answers, f"{method} {path} takes no token"
            continue
        assert {"401", "503"} <= answers, f"{method} {path}"
        if any(p["name"] == "If-Match" for p in operation.get("parameters", [])):
            assert {"409", "412", "422"} <= answers, f"{method} {path}"


def test_path_parameters_state_the_spelling_of_keys_periods_and_measurement_ids(
    document: dict[str, Any],
) -> None:
    item = document["paths"]["/api/v1/measurements/{measurement_id}/voids"]
    (parameter,) = item["parameters"]
    assert re.fullmatch(parameter["schema"]["pattern"], "E1001:FY2026:7")
    assert not re.fullmatch(parameter["schema"]["pattern"], "E1001:FY2026:0")
    review = document["paths"]["/api/v1/employees/{employee_id}/reviews/{period}"]["parameters"]
    period = next(p for p in review if p["name"] == "period")["schema"]["pattern"]
    assert re.fullmatch(period, "FY2026-Q3")
    assert re.fullmatch(period, "FY2026")
    assert not re.fullmatch(period, "FY 2026")


def test_a_reason_always_required_is_required_and_not_blank(document: dict[str, Any]) -> None:
    void = document["components"]["schemas"]["Void"]
    assert void["required"] == ["reason"]
    assert not re.search(void["properties"]["reason"]["pattern"], "   ")


def test_decimals_are_strings_in_responses_and_bounded_in_requests(
    document: dict[str, Any],
) -> None:
    schemas = document["components"]["schemas"]
    assert schemas["TargetRevisionOut"]["properties"]["target"]["type"] == "string"
    text, number = schemas["Measurement"]["properties"]["value"]["oneOf"]
    assert re.fullmatch(text["pattern"], "-123456789012345.123456")
    assert not re.fullmatch(text["pattern"], "1e3")
    assert number["maximum"] == 10**15
    assert number["exclusiveMaximum"] is True


def test_an_explanation_documents_which_steps_moved_and_the_period_each_concerns(
    document: dict[str, Any],
) -> None:
    schemas = document["components"]["schemas"]
    step = schemas["StepOut"]
    assert {"period", "moved", "score_delta"} <= set(step["required"])
    assert step["properties"]["moved"]["type"] == "boolean"
    explanation = schemas["ExplanationOut"]
    assert {"steps", "steps_moved", "steps_unchanged"} <= set(explanation["required"])
    item = document["paths"]["/api/v1/employees/{employee_id}/scorecards/{period}/explain"]
    steps = next(p for p in item["get"]["parameters"] if p["name"] == "steps")
    assert steps["schema"]["enum"] == ["all", "moved"]
