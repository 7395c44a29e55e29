"""Every kind of bad input gets a 4xx problem and writes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.e2e.client import ApiClient, Seat, active_seat

PROBLEM = "application/problem+json"
JSON = {"Content-Type": "application/json"}
LONG_NAME = "x" * 201
LONG_TEXT = "x" * 2001
MEASUREMENT = {"value": 87, "effective_date": "2026-06-30"}
KRA = {"title": "Revenue Generation", "weight": 50}
GENESIS = {"position": 0, "chain_hash": "0" * 64, "recorded_at": None}
AFTER_9999 = "9999-12-31T23:59:59-12:00"
"""An instant whose UTC form falls in the year 10000."""
BEFORE_1 = "0001-01-01T00:00:00+00:01"
"""An instant whose UTC form falls in the year 0."""
STALE = {"If-Match": '"999999"'}


@dataclass(frozen=True)
class Bad:
    """One bad request: where it goes, what it carries, and the answer it must get."""

    method: str
    path: str
    status: int
    body: Any = None
    raw: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    error_field: str | None = None


def measurement(value: Any, field_name: str = "value", **extra: Any) -> Bad:
    body = {**MEASUREMENT, "value": value, **extra}
    return Bad("POST", "{kpi}/measurements", 422, body=body, error_field=field_name)


def explanation(params: dict[str, str], field_name: str) -> Bad:
    return Bad("GET", "{scorecard}/explain", 422, params=params, error_field=field_name)


def digest_check(body: dict[str, Any], field_name: str) -> Bad:
    return Bad("POST", "/ledger/digest/verify", 422, body=body, error_field=field_name)


def raw(text: str, status: int = 400) -> Bad:
    return Bad("POST", "{kpi}/measurements", status, raw=text.encode(), headers=JSON)


CASES = {
    "malformed JSON": raw('{"value": 87,'),
    "NaN in JSON": raw('{"value": NaN, "effective_date": "2026-06-30"}'),
    "Infinity in JSON": raw('{"value": Infinity, "effective_date": "2026-06-30"}'),
    "-Infinity in JSON": raw('{"value": -Infinity, "effective_date": "2026-06-30"}'),
    "a key twice": raw('{"value": 87, "value": 88, "effective_date": "2026-06-30"}'),
    "nesting beyond reason": raw("[" * 100_000 + "]" * 100_000),
    "not UTF-8": Bad("POST", "{kpi}/measurements", 400, raw=b'{"note": "\xff"}', headers=JSON),
    "a JSON array": Bad("POST", "{kpi}/measurements", 422, body=[MEASUREMENT]),
    "a body too large": Bad("POST", "{kpi}/measurements", 413, raw=b" " * (2 << 20), headers=JSON),
    "text/plain": Bad(
        "POST",
        "{kpi}/measurements",
        415,
        raw=json.dumps(MEASUREMENT).encode(),
        headers={"Content-Type": "text/plain"},
    ),
    "a form": Bad(
        "POST",
        "{kpi}/measurements",
        415,
        raw=b"value=87&effective_date=2026-06-30",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    ),
    "no body where fields are required": Bad(
        "POST", "{kpi}/measurements", 422, error_field="effective_date"
    ),
    "an unknown field": measurement(87, "colour", colour="blue"),
    "a boolean for a number": measurement(True),
    "a list for a number": measurement([87]),
    "NaN as a string": measurement("NaN"),
    "Infinity as a string": measurement("Infinity"),
    "-Infinity as a string": measurement("-Infinity"),
    "a word for a number": measurement("eighty-seven"),
    "a number with spaces": measurement(" 87 "),
    "16 digits before the point": measurement(1234567890123456),
    "16 digits before the point, as text": measurement("1234567890123456"),
    "7 digits after the point": measurement("0.1234567"),
    "an exponent beyond the limit": raw('{"value": 1e400, "effective_date": "2026-06-30"}', 422),
    "a tiny exponent": raw('{"value": 1e-400, "effective_date": "2026-06-30"}', 422),
    "a date that does not exist": measurement(87, "effective_date", effective_date="2026-02-30"),
    "a date in words": measurement(87, "effective_date", effective_date="yesterday"),
    "a date outside the cycle": measurement(87, "effective_date", effective_date="2030-01-01"),
    "a number for a text": measurement(87, "note", note=87),
    "an overlong note": measurement(87, "note", note=LONG_TEXT),
    "an overlong source": measurement(87, "source", source=LONG_NAME),
    "an overlong KRA title": Bad(
        "PUT",
        "{plan}/kras/new-kra",
        422,
        body={"title": LONG_NAME, "weight": 10},
        error_field="title",
    ),
    "an overlong reason": Bad(
        "POST",
        "{kpi}/adjustments",
        422,
        body={"period": "{q1}", "target": 85, "reason": LONG_TEXT},
        error_field="reason",
    ),
    "a quarter that does not exist": Bad(
        "POST",
        "{kpi}/adjustments",
        422,
        body={"period": "{cycle}-Q5", "target": 85, "reason": "r"},
        error_field="period",
    ),
    "a bare quarter": Bad(
        "POST",
        "{kpi}/adjustments",
        422,
        body={"period": "Q1", "target": 85, "reason": "r"},
        error_field="period",
    ),
    "another cycle's quarter": Bad(
        "POST",
        "{kpi}/target-revisions",
        422,
        body={"effective_from": "FY1999-Q2", "target": 85, "reason": "r"},
        error_field="effective_from",
    ),
    "an invalid employee key": Bad(
        "PUT",
        "/employees/not a key!",
        422,
        body={"name": "A", "department": "B", "role": "C"},
        error_field="employee_id",
    ),
    "an overlong employee key": Bad(
        "PUT",
        "/employees/" + "E" * 65,
        422,
        body={"name": "A", "department": "B", "role": "C"},
        error_field="employee_id",
    ),
    "an invalid manager key": Bad(
        "PUT",
        "/employees/{employee}",
        422,
        body={"name": "A", "department": "B", "role": "C", "manager_id": "a b"},
        error_field="manager_id",
    ),
    "an invalid KRA key": Bad(
        "PUT",
        "{plan}/kras/-starts-badly",
        422,
        body={**KRA, "reason": "r"},
        error_field="kra_id",
    ),
    "an unknown direction": Bad(
        "PUT",
        "{plan}/kpis/new-kpi",
        422,
        body={
            "kra_id": "client-retention",
            "name": "n",
            "direction": "sideways",
            "aggregation": "sum",
            "weight": 10,
            "target": 1,
        },
        error_field="direction",
    ),
    "a rating as text": Bad(
        "POST",
        "{review}/calibrate",
        422,
        body={"rating": "4", "reason": "r"},
        error_field="rating",
    ),
    "a malformed If-Match": Bad(
        "PUT",
        "{plan}/kras/new-kra",
        422,
        body=KRA,
        headers={"If-Match": "seven"},
        error_field="If-Match",
    ),
    "an overlong Idempotency-Key": Bad(
        "PUT",
        "{plan}/kras/new-kra",
        422,
        body=KRA,
        headers={"Idempotency-Key": "k" * 201},
        error_field="Idempotency-Key",
    ),
    "an unknown query parameter": Bad(
        "GET",
        "{scorecard}",
        422,
        params={"colour": "blue"},
        error_field="colour",
    ),
    "a negative position": Bad(
        "GET",
        "{scorecard}",
        422,
        params={"position": "-1"},
        error_field="position",
    ),
    "a word for a position": Bad(
        "GET",
        "{scorecard}",
        422,
        params={"position": "latest"},
        error_field="position",
    ),
    "an instant in words": Bad(
        "GET",
        "{scorecard}",
        422,
        params={"as_of": "last tuesday"},
        error_field="as_of",
    ),
    "an explanation without from": Bad("GET", "{scorecard}/explain", 422, error_field="from"),
    "an explanation from a word": explanation({"from": "yesterday"}, "from"),
    "an explanation from an instant without a zone": explanation(
        {"from": "2026-07-01T09:00:00"}, "from"
    ),
    "an explanation to a position beyond the head": explanation(
        {"from": "0", "to": "999999999999999999"}, "to"
    ),
    "an explanation from a negative position": explanation({"from": "-1"}, "from"),
    "an explanation from after its to": explanation({"from": "r1", "to": "0"}, "from"),
    "an explanation with an unknown parameter": explanation({"from": "0", "colour": "b"}, "colour"),
    "an explanation from a revision that does not exist": Bad(
        "GET", "{scorecard}/explain", 404, params={"from": "r9"}
    ),
    "a restatement at a negative position": Bad(
        "GET",
        "{review}/revisions/1/restate",
        422,
        params={"position": "-1"},
        error_field="position",
    ),
    "a restatement at a word": Bad(
        "GET",
        "{review}/revisions/1/restate",
        422,
        params={"position": "now"},
        error_field="position",
    ),
    "a restatement of a revision that does not exist": Bad(
        "GET", "{review}/revisions/9/restate", 404
    ),
    "a digest without its chain hash": digest_check(
        {"position": 0, "recorded_at": None}, "chain_hash"
    ),
    "a digest with a short chain hash": digest_check({**GENESIS, "chain_hash": "ab"}, "chain_hash"),
    "a digest with an upper-case chain hash": digest_check(
        {**GENESIS, "chain_hash": "AB" * 32}, "chain_hash"
    ),
    "a digest at a negative position": digest_check({**GENESIS, "position": -1}, "position"),
    "a digest with its position as text": digest_check({**GENESIS, "position": "0"}, "position"),
    "a digest recorded at an instant without a zone": digest_check(
        {**GENESIS, "recorded_at": "2026-07-01T09:00:00"}, "recorded_at"
    ),
    "a digest without recorded_at": digest_check(
        {"position": 0, "chain_hash": "0" * 64}, "recorded_at"
    ),
    "a digest signed without its key": digest_check({**GENESIS, "signature": "a" * 128}, "_schema"),
    "a digest with a signature that is no hex": digest_check(
        {**GENESIS, "signature": "z" * 128, "public_key": "a" * 64}, "signature"
    ),
    "a digest with an unknown field": digest_check({**GENESIS, "colour": "blue"}, "colour"),
    "a digest as an array": Bad("POST", "/ledger/digest/verify", 422, body=[GENESIS]),
    "a digest that is no JSON": Bad(
        "POST", "/ledger/digest/verify", 400, raw=b'{"position": 0,', headers=JSON
    ),
    "a digest to be signed by a malformed key": Bad(
        "POST",
        "/ledger/digest/verify",
        422,
        body=GENESIS,
        params={"trusted_public_key": "not-a-key"},
        error_field="trusted_public_key",
    ),
    "a verification with an unknown field": Bad(
        "POST", "/ledger/verifications", 422, body={"upto": 5}, error_field="upto"
    ),
    "a verification against a malformed digest": Bad(
        "POST",
        "/ledger/verifications",
        422,
        body={"digest": {**GENESIS, "chain_hash": "xyz"}},
        error_field="digest",
    ),
    "a verification trusting a key without a digest": Bad(
        "POST",
        "/ledger/verifications",
        422,
        body={"trusted_public_key": "1" * 64},
        error_field="digest",
    ),
    "evidence without a period": Bad(
        "POST", "/exports/evidence", 422, body={"employee_id": "{employee}"}, error_field="period"
    ),
    "evidence of a malformed period": Bad(
        "POST",
        "/exports/evidence",
        422,
        body={"employee_id": "{employee}", "period": "{cycle} Q1!"},
        error_field="period",
    ),
    "evidence of an invalid employee key": Bad(
        "POST",
        "/exports/evidence",
        422,
        body={"employee_id": "not a key", "period": "{q1}"},
        error_field="employee_id",
    ),
    "evidence of an employee without a plan": Bad(
        "POST", "/exports/evidence", 404, body={"employee_id": "E404x", "period": "{q1}"}
    ),
    "evidence with an unknown field": Bad(
        "POST",
        "/exports/evidence",
        422,
        body={"employee_id": "{employee}", "period": "{q1}", "format": "zip"},
        error_field="format",
    ),
    "a job waited on for a negative time": Bad(
        "GET", "/jobs/" + "0" * 32, 422, params={"wait": "-1"}, error_field="wait"
    ),
    "a job waited on for too long": Bad(
        "GET", "/jobs/" + "0" * 32, 422, params={"wait": "3600"}, error_field="wait"
    ),
    "a job waited on for NaN seconds": Bad(
        "GET", "/jobs/" + "0" * 32, 422, params={"wait": "NaN"}, error_field="wait"
    ),
    "a job that does not exist": Bad("GET", "/jobs/0123456789abcdef", 404),
    "a cycle whose twelve months end after 9999": Bad(
        "PUT",
        "/cycles/{cycle}-late",
        422,
        body={"name": "FY 9999-10000", "start_date": "9999-12-01"},
        error_field="start_date",
    ),
    "a cycle starting on the last day there is": Bad(
        "PUT",
        "/cycles/{cycle}-last",
        422,
        body={"name": "FY 9999", "start_date": "9999-12-31", "end_date": "9999-12-31"},
        error_field="start_date",
    ),
    **{
        f"an export of {export} with {bound} {where}": Bad(
            "GET", f"/exports/{export}", 422, params={bound: instant}, error_field=bound
        )
        for export in ("audit", "target-revisions")
        for bound in ("recorded_from", "recorded_to")
        for where, instant in (("in 10000 in UTC", AFTER_9999), ("in 0 in UTC", BEFORE_1))
    },
    "an audit page recorded to an instant after 9999 in UTC": Bad(
        "GET", "/audit", 422, params={"recorded_to": AFTER_9999}, error_field="recorded_to"
    ),
    "a register page recorded from an instant before 1 in UTC": Bad(
        "GET",
        "/target-revisions",
        422,
        params={"recorded_from": BEFORE_1},
        error_field="recorded_from",
    ),
    "a scorecard as of an instant before 1 in UTC": Bad(
        "GET", "{scorecard}", 422, params={"as_of": BEFORE_1}, error_field="as_of"
    ),
    "an explanation from an instant after 9999 in UTC": explanation({"from": AFTER_9999}, "from"),
    "a digest recorded at an instant after 9999 in UTC": digest_check(
        {**GENESIS, "recorded_at": AFTER_9999}, "recorded_at"
    ),
    "a period whose cycle is no key": Bad("GET", "/employees/{employee}/scorecards/%00", 422),
    "a NUL character in a note": measurement(87, "note", note="before\x00after"),
    "a NUL character in a reason": Bad(
        "POST",
        "/measurements/{measurement}/corrections",
        422,
        body={"value": 88, "reason": "typo\x00"},
        error_field="reason",
    ),
    "a lone surrogate in a name": Bad(
        "PUT",
        "/employees/{employee}x",
        422,
        raw=b'{"name": "Ana \\ud800", "department": "Sales", "role": "Analyst"}',
        headers=JSON,
        error_field="name",
    ),
    "a NUL character in a filter": Bad(
        "GET", "/audit", 422, params={"actor": "hr\x00"}, error_field="actor"
    ),
    "a measurement with a stale If-Match": Bad(
        "POST", "{kpi}/measurements", 412, body=MEASUREMENT, headers=STALE
    ),
    "a correction with a stale If-Match": Bad(
        "POST",
        "/measurements/{measurement}/corrections",
        412,
        body={"value": 88, "reason": "typo"},
        headers=STALE,
    ),
    "a void with a stale If-Match": Bad(
        "POST",
        "/measurements/{measurement}/voids",
        412,
        body={"reason": "entered twice"},
        headers=STALE,
    ),
}


@pytest.fixture(scope="module")
def seat(base_url: str, tokens: dict[str, str]) -> Iterator[Seat]:
    client = ApiClient(base_url, tokens["hr"])
    seat = active_seat(client)
    client.ok("POST", f"{seat.kpi()}/measurements", MEASUREMENT)
    client.ok("POST", f"{seat.review}/finalize")
    yield seat
    client.close()


def resolved(text: str, seat: Seat) -> str:
    return text.format(
        kpi=seat.kpi(),
        plan=seat.plan,
        q1=seat.q1,
        cycle=seat.cycle_id,
        employee=seat.employee_id,
        review=seat.review,
        scorecard=seat.scorecard,
        measurement=f"{seat.employee_id}:{seat.cycle_id}:1",
    )


def filled(body: Any, seat: Seat) -> Any:
    if isinstance(body, dict):
        return {key: filled(value, seat) for key, value in body.items()}
    if isinstance(body, str):
        return resolved(body, seat)
    return body


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_input_gets_a_problem_and_writes_nothing(hr: ApiClient, seat: Seat, case: Bad) -> None:
    head = hr.head_position()
    options: dict[str, Any] = {"headers": case.headers, "params": case.params}
    if case.raw is not None:
        options["content"] = case.raw
    elif case.body is not None:
        options["json"] = filled(case.body, seat)
    response = hr.request(case.method, resolved(case.path, seat), **options)
    assert response.status_code == case.status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == case.status
    assert {"type", "title", "status", "detail"} <= set(problem)
    if case.error_field is not None:
        assert case.error_field in problem["errors"], problem
    assert hr.head_position() == head
