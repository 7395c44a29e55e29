"""Bearer tokens in, principals out; each view says what it needs with ``requires``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import g, request, session
from werkzeug.exceptions import Unauthorized, UnsupportedMediaType

from ledger.domain.access import Action, Principal
from ledger.ids import parse_measurement_id
from web.api.resource import API_PREFIX
from web.serving.calls import ledger, principal
from web.serving.parsing import body_is_acceptable

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC_PATHS = frozenset({f"{API_PREFIX}/", f"{API_PREFIX}/openapi.json"})
"""The index and the OpenAPI document answer without a token."""
READING_METHODS = frozenset({"GET", "HEAD"})
SESSION_TOKEN_ID = "token_id"
SESSION_TOKEN_HASH = "token_hash"
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="performance-ledger"'}


def authenticate() -> None:
    """Before every request under the API: a known bearer token, and JSON bodies only."""
    if not request.path.startswith(f"{API_PREFIX}/") or request.path in PUBLIC_PATHS:
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if "Authorization" not in request.headers and request.method in READING_METHODS:
        signed_in = session_principal()
        if signed_in is not None:
            g.principal = signed_in
            return
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("send a bearer token: Authorization: Bearer <token>")
    found = ledger().principal(token.strip())
    if found is None:
        raise _unauthorized("the bearer token is unknown or revoked")
    g.principal = found
    if not body_is_acceptable(request):
        raise UnsupportedMediaType("send the body as application/json")


def session_principal() -> Principal | None:
    """Who the pages' session cookie names, read afresh: None without one or once its
    token is revoked. A signed-in browser reads the API with it too (GET only: a write
    always needs the bearer token, so no page can be made to write by another site)."""
    token_id, hashed = session.get(SESSION_TOKEN_ID), session.get(SESSION_TOKEN_HASH)
    if not isinstance(token_id, str) or not isinstance(hashed, str):
        return None
    return ledger().session_principal(token_id, hashed)


def _unauthorized(description: str) -> Unauthorized:
    error = Unauthorized(description)
    error.data = {"headers": CHALLENGE}  # type: ignore[attr-defined]
    return error


def requires(action: Action) -> Callable[[F], F]:
    """The view runs only for principals whose role allows ``action`` on its employee."""

    def decorate(view: F) -> F:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            ledger().check_access(principal(), action, subject_of(kwargs))
            return view(*args, **kwargs)

        return cast(F, checked)

    return decorate


def subject_of(view_args: dict[str, Any]) -> str | None:
    """The employee a request concerns, named in its path directly or by a measurement id."""
    if "employee_id" in view_args:
        return str(view_args["employee_id"])
    if "measurement_id" in view_args:
        employee_id, _ = parse_measurement_id(str(view_args["measurement_id"]))
        return employee_id
    return None
