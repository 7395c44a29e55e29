"""The application factory: settings in, a Flask app serving the ledger out."""

from __future__ import annotations

import atexit
from contextlib import ExitStack
from http import HTTPStatus
from typing import Any

from flask import Flask
from flask_smorest import Api

from ledger.application import LedgerApp
from ledger.bootstrap import open_ledger
from ledger.config import Settings
from web.api import (
    audit_trail,
    cycles,
    definitions,
    employees,
    explanations,
    exports,
    imports,
    index,
    jobs,
    lists,
    measurements,
    plans,
    projections,
    proofs,
    reviews,
    scorecards,
    targets,
    tokens,
)
from web.api import ledger as ledger_resource
from web.api.docs import ASSETS_URL, assets_blueprint
from web.api.fields import openapi_properties
from web.api.jobs import JOBS
from web.api.resource import API_PREFIX
from web.pages import register_pages
from web.serving import health
from web.serving.auth import authenticate
from web.serving.calls import LEDGER, SETTINGS
from web.serving.jobs import JobRegistry
from web.serving.problems import PROBLEM_JSON, ProblemSchema, register_problem_handlers

RESOURCES = (
    index,
    employees,
    cycles,
    plans,
    definitions,
    targets,
    measurements,
    scorecards,
    reviews,
    explanations,
    ledger_resource,
    exports,
    jobs,
    projections,
    lists,
    audit_trail,
    tokens,
    proofs,
    imports,
)
MAX_BODY_BYTES = 1 << 20


class LedgerApi(Api):  # type: ignore[misc]
    """flask-smorest's Api documenting errors as RFC 9457 problem details."""

    ERROR_SCHEMA = ProblemSchema
    # Each route names every problem it answers (web.api.resource); none is left to a default.
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_responses(self) -> None:
        problem = {PROBLEM_JSON: {"schema": self.ERROR_SCHEMA}}
        for status in HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= HTTPStatus.BAD_REQUEST:
                response["content"] = problem
            self.spec.components.response(status.name, response, lazy=True)


def create_app(settings: Settings | None = None, *, ledger: LedgerApp | None = None) -> Flask:
    """The API on ``ledger``, or on the ledger ``settings`` (default: the environment) name."""
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.update(api_config())
    app.extensions[SETTINGS] = settings
    app.extensions[LEDGER] = ledger if ledger is not None else opened(settings)
    app.extensions[JOBS] = JobRegistry()
    api = LedgerApi(app)
    api.ma_plugin.converter.add_attribute_function(openapi_properties)
    for resource in RESOURCES:
        api.register_blueprint(resource.resource.blueprint)
    app.register_blueprint(health.blueprint)
    app.register_blueprint(assets_blueprint())
    register_pages(app, settings)
    app.before_request(authenticate)
    register_problem_handlers(app)
    return app


def opened(settings: Settings) -> LedgerApp:
    """The ledger for the life of the process."""
    stack = ExitStack()
    ledger = stack.enter_context(open_ledger(settings))
    atexit.register(stack.close)
    return ledger


def api_config() -> dict[str, Any]:
    return {
        "API_TITLE": "Performance Ledger",
        "API_VERSION": "1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/",
        "OPENAPI_JSON_PATH": f"{API_PREFIX.strip('/')}/openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": ASSETS_URL,
        "MAX_CONTENT_LENGTH": MAX_BODY_BYTES,
        "API_SPEC_OPTIONS": {
            "info": {
                "description": "An event-sourced ledger of KRAs, KPIs, targets, measurements "
                "and reviews. Every write answers the position of its last event."
            },
            "components": {
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            },
            "security": [{"bearer": []}],
        },
    }
