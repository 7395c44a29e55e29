"""The API fuzzed by schemathesis against its own OpenAPI document, over a real socket.

Every operation and every check schemathesis has, in all its phases (examples, coverage,
fuzzing, stateful sequences), with a fixed seed and a bounded number of examples, one request
at a time; the run writes into a database of its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, cast

import pytest
import schemathesis
from schemathesis.checks import CHECKS, CheckContext
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import Failure
from schemathesis.engine import events, from_schema
from schemathesis.generation.case import Case
from schemathesis.specs.openapi.checks import positive_data_acceptance

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.domain.access import Role
from ledger.store.database import DatabaseAddress
from ledger.store.provision import init_schema
from ledger.store.scratch import create_database, drop_database
from projections import Worker
from projections.catalog import all_views
from tests.e2e.serving import served
from tests.e2e.world import SETUP, World, build_world
from web.api.resource import IF_MATCH

SEED = 20260401
MAX_EXAMPLES = 25
STATEFUL_STEPS = 10
REQUEST_SECONDS = 20

ENTITY_TAG = cast(dict[str, str], IF_MATCH["schema"])["pattern"]
PLAN = "/api/v1/employees/{employee_id}/plans/{cycle_id}"
REVIEW = "/api/v1/employees/{employee_id}/reviews/{period}"
KPI = f"{PLAN}/kpis/{{kpi_id}}"
REFUSED_BY_STATE: dict[str, frozenset[str]] = {
    "PUT /api/v1/employees/{employee_id}": frozenset({"reason", "manager_id"}),
    "POST /api/v1/employees/{employee_id}/leaving": frozenset({"effective_date"}),
    "PUT /api/v1/cycles/{cycle_id}": frozenset(
        {"cycle_id", "end_date", "rating_scale", "achievement_cap"}
    ),
    "PATCH /api/v1/cycles/{cycle_id}/policy": frozenset({"achievement_cap", "rating_scale"}),
    f"POST {PLAN}/reweight": frozenset({"reason", "weights", "kra_weights", "kpi_weights"}),
    f"POST {PLAN}/activate": frozenset({"weights"}),
    f"PUT {PLAN}/kras/{{kra_id}}": frozenset({"reason", "weight", "weights", "kpis"}),
    f"DELETE {PLAN}/kras/{{kra_id}}": frozenset({"reason", "weights"}),
    f"PUT {PLAN}/kpis/{{kpi_id}}": frozenset(
        {"reason", "weight", "weights", "kra_id", "target", "threshold", "stretch", "scale"}
    ),
    f"DELETE {PLAN}/kpis/{{kpi_id}}": frozenset({"reason", "weights"}),
    f"POST {KPI}/target-revisions": frozenset({"effective_from", "target", "threshold", "stretch"}),
    f"POST {KPI}/adjustments": frozenset({"period", "target", "threshold", "stretch"}),
    f"POST {KPI}/measurements": frozenset({"effective_date", "value", "numerator", "denominator"}),
    "POST /api/v1/measurements/{measurement_id}/corrections": frozenset(
        {"value", "numerator", "denominator"}
    ),
    f"POST {REVIEW}/calibrate": frozenset({"rating"}),
    "GET /api/v1/employees/{employee_id}/scorecards/{period}": frozenset({"position", "as_of"}),
    "GET /api/v1/employees/{employee_id}/scorecards/{period}/explain": frozenset({"from", "to"}),
    f"GET {REVIEW}/revisions/{{revision}}/restate": frozenset({"position"}),
    "GET /api/v1/exports/audit": frozenset({"position"}),
    "GET /api/v1/exports/target-revisions": frozenset({"position"}),
    "POST /api/v1/ledger/digest/verify": frozenset({"_schema", "signature", "public_key"}),
    "POST /api/v1/ledger/verifications": frozenset({"digest"}),
    "GET /api/v1/ledger/tree-head": frozenset({"tree_size"}),
    "GET /api/v1/ledger/proofs/inclusion": frozenset({"tree_size"}),
    "GET /api/v1/ledger/proofs/consistency": frozenset({"from", "to"}),
    "POST /api/v1/imports": frozenset({"kind"}),
}
"""The fields each operation checks against the ledger's state or against each other, which
no schema can state: dates within the cycle, a value or a rate's parts as the KPI's
aggregation asks, a scale for a rate only, quarters of the cycle in the path, weights of
the plan's own KRAs and KPIs, a reason once the plan is active, positions up to the head, tree
sizes up to the tree's (and past the leaf proved), a CSV's kind (its content type's), a
rating of the cycle's scale, position or as_of but not both, a signature with its key. A
422 naming only these fields is the server right and the schema silent, not a failure."""


FILES_READ_BY_CELL = frozenset({"POST /api/v1/imports"})
"""Operations whose body is a file (a spreadsheet): a schema says only that it is bytes of a
media type, and the server reads its sheets and cells. A 422 carrying the file's report of
mistakes is the file refused by what it holds, which no schema can state."""


@dataclass(frozen=True)
class Refused:
    """A problem answered to a request its schema allows."""

    status: int
    kind: str
    fields: frozenset[str]
    report: bool = False


def refusal(response: schemathesis.Response) -> Refused:
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        body = None
    body = body if isinstance(body, dict) else {}
    errors = body.get("errors")
    kind = str(body.get("type", "")).rsplit("/", 1)[-1]
    return Refused(response.status_code, kind, frozenset(errors or ()), "report" in body)


def refused_by_state(operation: str, refused: Refused) -> bool:
    if refused.status == 412:
        return True  # If-Match with a version other than the current one: a stale write
    if refused.status != 422:
        return False
    if refused.kind == "idempotency-key-reused":
        return True  # a key the run drew again for another body
    if operation in FILES_READ_BY_CELL and refused.report:
        return True
    return bool(refused.fields) and refused.fields <= REFUSED_BY_STATE.get(operation, frozenset())


def mislabelled(case: Case[Any], refused: Refused) -> bool:
    """schemathesis' coverage phase labels valid some requests whose If-Match its own
    pattern refuses (``0``, empty): the server is right to refuse them."""
    if refused.status != 422 or refused.fields != {"If-Match"}:
        return False
    headers: dict[str, Any] = dict(case.headers or {})
    sent = str(headers.get("If-Match", ""))
    return re.fullmatch(ENTITY_TAG, sent) is None


def positive_data_accepted_unless_state_refuses(
    ctx: CheckContext, response: schemathesis.Response, case: Case[Any]
) -> bool | None:
    """schemathesis' positive_data_acceptance, but for refusals that depend on the ledger's
    state (see REFUSED_BY_STATE), which a schema cannot foresee."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except Failure:
        refused = refusal(response)
        if refused_by_state(case.operation.label, refused) or mislabelled(case, refused):
            return None
        raise


@pytest.fixture(scope="module")
def fuzzed_ledger(pg_server: DatabaseAddress, settings: Settings) -> Iterator[LedgerApp]:
    """A database of its own, its read models kept as `ledger serve` keeps them."""
    address = create_database(pg_server, "ledger_fuzz")
    init_schema(address, settings)
    ledger = LedgerApp(address, settings)
    worker = Worker(ledger, all_views(ledger))
    worker.start(daemon=True)
    yield ledger
    worker.stop(timeout=30)
    ledger.close()
    drop_database(pg_server, address)


@pytest.fixture(scope="module")
def world(fuzzed_ledger: LedgerApp) -> World:
    return build_world(fuzzed_ledger)


@pytest.fixture(scope="module")
def fuzzed_url(fuzzed_ledger: LedgerApp, settings: Settings) -> Iterator[str]:
    with served(fuzzed_ledger, replace(settings, read_wait_seconds=0.05), threads=2) as url:
        yield url


@pytest.fixture
def state_aware_check() -> Iterator[None]:
    CHECKS.register(positive_data_accepted_unless_state_refuses)
    yield
    CHECKS.unregister(positive_data_accepted_unless_state_refuses.__name__)


def fuzz_config(token: str, world: World, examples: int) -> SchemathesisConfig:
    """Every check but positive_data_acceptance, which runs state-aware (above)."""
    known = {
        "employee_id": [world.employee_id, world.manager_id],
        "cycle_id": [world.cycle_id, world.spare_cycle_id],
        "period": [f"{world.cycle_id}-Q1", f"{world.cycle_id}-Q2", world.cycle_id],
        "kra_id": ["retention", "growth"],
        "kpi_id": ["retained", "referrals", "deals"],
        "measurement_id": [world.measurement_id],
    }
    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "cache": {"enabled": False},
            # Each connection closed after its answer, so the server stops at once after the run.
            "headers": {"Authorization": f"Bearer {token}", "Connection": "close"},
            "workers": 1,
            "request-timeout": REQUEST_SECONDS,
            "generation": {
                "max-examples": examples,
                "deterministic": True,
                "database": "none",
            },
            "phases": {"stateful": {"max-steps": STATEFUL_STEPS}},
            "checks": {"positive_data_acceptance": {"enabled": False}},
            # Path parameters naming what exists most of the time, so requests reach the ledger.
            "dictionaries": {name: {"values": values} for name, values in known.items()},
            "parameters": {
                f"path.{name}": {"dictionary": name, "probability": 0.8} for name in known
            },
        }
    )


def failures_of(event: events.ScenarioFinished) -> Iterator[str]:
    recorder = event.recorder
    for case_id, checks in recorder.checks.items():
        for check in checks:
            if check.failure_info is None:
                continue
            interaction = recorder.interactions.get(case_id)
            response = interaction.response if interaction else None
            status = response.status_code if response is not None else None
            body = (response.content or b"")[:300] if response is not None else b""
            yield (
                f"{recorder.cases[case_id].value.operation.label}: {check.name}: "
                f"{check.failure_info.failure.title} ({status} {body!r})\n"
                f"    {check.failure_info.code_sample}"
            )


@pytest.mark.slow
@pytest.mark.usefixtures("state_aware_check")
# Hypothesis warns when it describes a large generated body; a cost of the tool, not a defect.
@pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning"
)
@pytest.mark.parametrize(
    ("role", "examples"),
    [(Role.ADMIN, MAX_EXAMPLES), (Role.EMPLOYEE, MAX_EXAMPLES // 5)],
    ids=["as an admin, who may do everything", "as an employee, who may read their own"],
)
def test_fuzzing_every_operation_with_every_check_finds_nothing(
    fuzzed_ledger: LedgerApp, world: World, fuzzed_url: str, role: Role, examples: int
) -> None:
    token = (
        world.employee_token
        if role is Role.EMPLOYEE
        else fuzzed_ledger.issue_token(SETUP, name=f"fuzz-{role.value}", role=role).token
    )
    schema = schemathesis.openapi.from_url(
        f"{fuzzed_url}/api/v1/openapi.json", config=fuzz_config(token, world, examples)
    )
    found: list[str] = []
    scenarios = 0
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            scenarios += 1
            found.extend(failures_of(event))
        elif isinstance(event, events.NonFatalError | events.FatalError):
            found.append(f"schemathesis could not run: {event!r}")
        elif isinstance(event, events.EngineFinished):
            found.extend(f"after the run: {failure.title}" for failure in event.failures)
    assert scenarios > 40, "fewer scenarios ran than the API has operations"
    assert not found, "\n".join(sorted(set(found)))
