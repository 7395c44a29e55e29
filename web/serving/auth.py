"""Bearer tokens in, principals out; each view says what it needs with ``requires``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import g, request
from werkzeug.exceptions import Unauthorized, UnsupportedMediaType

from ledger.domain.access import Action
from ledger.ids import parse_measurement_id
from web.api.resource import API_PREFIX
from web.serving.calls import ledger, principal
from web.serving.parsing import body_is_acceptable

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC_PATHS = frozenset({f"{API_PREFIX}/", f"{API_PREFIX}/openapi.json"})
"""The index and the OpenAPI document answer without a token."""
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="performance-ledger"'}


def authenticate() -> None:
    """Before every request under the API: a known bearer token, and JSON bodies only."""
    if not request.path.startswith(f"{API_PREFIX}/") or request.path in PUBLIC_PATHS:
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("send a bearer token: Authorization: Bearer <token>")
    found = ledger().principal(token.strip())
    if found is None:
        raise _unauthorized("the bearer token is unknown or revoked")
    g.principal = found
    if not body_is_acceptable(request):
        raise UnsupportedMediaType("send the body as application/json")


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
