"""What keeps the pages safe in a browser: a CSRF token on every form that writes, and
headers that forbid other origins, inline scripts and framing."""

from __future__ import annotations

import hmac
import secrets

from flask import Response, request, session
from werkzeug.exceptions import BadRequest

CSRF_FIELD = "csrf"
WRITING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def csrf_token() -> str:
    """The session's CSRF token, made on first use; forms carry it in a hidden field."""
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[CSRF_FIELD] = token
    return token


class CsrfRefused(BadRequest):
    description = "the form is out of date or did not come from this site; reload it and try again"


def check_csrf() -> None:
    """Before a writing request: its form's token must be the session's."""
    if request.method not in WRITING_METHODS:
        return
    sent = request.form.get(CSRF_FIELD, "")
    expected = session.get(CSRF_FIELD)
    if not isinstance(expected, str) or not hmac.compare_digest(sent, expected):
        raise CsrfRefused()


def protect(response: Response) -> Response:
    """After every page: the security headers, and no caching of what a principal saw."""
    response.headers.update(HEADERS)
    if request.endpoint != "pages.static":
        response.headers["Cache-Control"] = "no-store"
    return response
