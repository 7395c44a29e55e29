"""RFC 9457 problem details: the one way every error leaves the API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, json
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException, InternalServerError

from ledger.domain.access import AccessDenied
from ledger.errors import (
    AlreadyExists,
    Busy,
    Conflict,
    IdempotencyKeyReused,
    InvalidInput,
    LedgerError,
    NotFound,
    RuleViolated,
    StaleVersion,
)
from ledger.store.faults import STORE_FAULTS
from projections.queries import ViewBehind

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPES = "https://performance-ledger.org/problems/"


class ProblemSchema(Schema):
    """RFC 9457 problem details (documentation only)."""

    type = fields.String(metadata={"description": "a URI naming the kind of problem"})
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict(metadata={"description": "field messages, for 400 and 422"})


class PositionNotReached(Exception):
    """A read asked for a position the ledger has not reached within the time it waits."""

    def __init__(self, wanted: int, head: int) -> None:
        super().__init__(f"the ledger is at position {head}, not yet at {wanted}; retry later")
        self.message = str(self)


Kinds = type[Exception] | tuple[type[Exception], ...]

# The first entry an error is an instance of decides: subclasses before their bases.
LEDGER_PROBLEMS: tuple[tuple[Kinds, int, str, str], ...] = (
    (InvalidInput, 422, "invalid-input", "Invalid input"),
    (IdempotencyKeyReused, 422, "idempotency-key-reused", "Idempotency key reused"),
    (NotFound, 404, "not-found", "Not found"),
    (AlreadyExists, 409, "already-exists", "Already exists"),
    (RuleViolated, 409, "rule-violated", "Rule violated"),
    (StaleVersion, 412, "stale-version", "Stale version"),
    (Conflict, 409, "conflict", "Conflict"),
    (AccessDenied, 403, "access-denied", "Forbidden"),
    (PositionNotReached, 409, "position-not-reached", "Position not reached"),
    (ViewBehind, 409, "view-behind", "Read model behind"),
    (Busy, 503, "busy", "Service Unavailable"),
    # A read outside a command (the token, an access check) meets the same faults.
    (STORE_FAULTS, 503, "busy", "Service Unavailable"),
    (LedgerError, 422, "refused", "Refused"),
    (Exception, 500, "defect", "Internal Server Error"),
)


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    kind: str | None = None,
    errors: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPES + kind if kind else "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = dict(errors)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    response.headers.update(headers or {})
    return response


@dataclass(frozen=True)
class Refusal:
    """What an error of the ledger means to a client: a status, a kind, words."""

    status: int
    kind: str
    title: str
    detail: str
    errors: dict[str, list[str]] | None
    waiting: bool


def refusal_of(error: Exception) -> Refusal:
    """The first entry of LEDGER_PROBLEMS that ``error`` is an instance of, with its detail."""
    status, slug, title = next(
        (status, slug, title)
        for kind, status, slug, title in LEDGER_PROBLEMS
        if isinstance(error, kind)
    )
    errors = None
    if isinstance(error, InvalidInput):
        errors = {field: [message] for field, message in error.fields.items()}
    waiting = isinstance(error, (PositionNotReached, ViewBehind, Busy, *STORE_FAULTS))
    detail = getattr(error, "message", str(error))
    if isinstance(error, STORE_FAULTS):
        detail = "the event store did not answer in time; try again"
    return Refusal(status, slug, title, detail, errors, waiting)


def ledger_problem(error: Exception) -> Response:
    refused = refusal_of(error)
    headers = {"Retry-After": "1"} if refused.waiting else None
    return problem(
        refused.status,
        refused.title,
        refused.detail,
        kind=refused.kind,
        errors=refused.errors,
        headers=headers,
    )


def http_problem(error: HTTPException) -> Response:
    status = error.code or 500
    if status >= 500:
        original = getattr(error, "original_exception", None) or error
        current_app.logger.error("request failed", exc_info=original)
        return problem(status, "Internal Server Error", "the server failed; this is a defect")
    data = getattr(error, "data", None) or {}
    errors = field_messages(data.get("messages"))
    headers = {
        name: value
        for name, value in error.get_headers()
        if name.lower() not in {"content-type", "content-length"}
    }
    headers.update(data.get("headers") or {})
    kind = "invalid-input" if status == 422 else None
    title = "Invalid input" if status == 422 else error.name
    detail = error.description or error.name
    if status == 422:
        detail = "the request's fields are invalid; see errors"
    return problem(status, title, detail, kind=kind, errors=errors, headers=headers)


def field_messages(messages: Any) -> dict[str, Any] | None:
    """webargs' messages by location (``{"json": {...}}``), merged into one mapping."""
    if not isinstance(messages, Mapping):
        return None
    merged: dict[str, Any] = {}
    for location_messages in messages.values():
        if isinstance(location_messages, Mapping):
            merged.update(location_messages)
        else:
            merged.setdefault("_request", location_messages)
    return merged


def internal_problem(error: Exception) -> Response:
    return http_problem(_wrapped(error))


def _wrapped(error: Exception) -> InternalServerError:
    wrapped = InternalServerError()
    wrapped.original_exception = error
    return wrapped


def register_problem_handlers(app: Flask) -> None:
    app.register_error_handler(LedgerError, ledger_problem)
    app.register_error_handler(PositionNotReached, ledger_problem)
    app.register_error_handler(ViewBehind, ledger_problem)
    for fault in STORE_FAULTS:
        app.register_error_handler(fault, ledger_problem)
    app.register_error_handler(HTTPException, http_problem)
    app.register_error_handler(Exception, internal_problem)
