"""Session cookies of the pages: signed, HttpOnly, SameSite=Strict, and Secure whenever the
request came over HTTPS (behind a proxy too, when it says so with X-Forwarded-Proto)."""

from __future__ import annotations

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface


class PageSessions(SecureCookieSessionInterface):
    def get_cookie_secure(self, app: Flask) -> bool:
        forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
        return request.is_secure or forwarded == "https"
