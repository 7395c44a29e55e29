"""Putting the pages on an app: the blueprint with every view, sessions and their safety."""

from __future__ import annotations

import secrets

from flask import Flask

from ledger.config import Settings
from web.pages import (  # noqa: F401 - each module adds its views to the blueprint
    audit,
    directory,
    errors,
    explanations,
    history,
    home,
    imports_view,
    layout,
    ledger_view,
    people,
    plans,
    projections_view,
    reviews,
    scorecards,
    signing,
)
from web.pages.blueprint import pages
from web.pages.formatting import FILTERS
from web.pages.sessions import PageSessions


def register_pages(app: Flask, settings: Settings) -> None:
    app.secret_key = settings.session_secret or secrets.token_hex(32)
    app.session_interface = PageSessions()
    app.config.update(
        SESSION_COOKIE_NAME="ledger_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
    )
    app.jinja_env.filters.update(FILTERS)
    app.register_blueprint(pages)
    app.register_error_handler(404, errors.not_found)
