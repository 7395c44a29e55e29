"""A typed face for flask-smorest blueprints: one per resource, all with the strict parser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar, cast

from flask_smorest import Blueprint

from web.parsing import StrictParser

F = TypeVar("F", bound=Callable[..., Any])


class Decorator(Protocol):
    """Decorates a view and gives back a view of the same type."""

    def __call__(self, view: F, /) -> F: ...


PARSER = StrictParser()
API_PREFIX = "/api/v1"

IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "description": 'the version the change expects, as an entity tag such as "7"',
    "schema": {"type": "string", "pattern": r'^(\*|"[0-9]{1,18}")$'},
}
IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": "a retry of the same request with the same key writes nothing twice",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[!-~]+$"},
}


class Resource:
    """One blueprint of the API with its routes documented in the OpenAPI document."""

    def __init__(self, name: str, description: str, url_prefix: str = API_PREFIX) -> None:
        self.blueprint: Any = Blueprint(
            name, f"web.{name}", url_prefix=url_prefix, description=description
        )
        self.blueprint.ARGUMENTS_PARSER = PARSER

    def route(self, rule: str, method: str) -> Decorator:
        return cast(Decorator, self.blueprint.route(rule, methods=[method]))

    def write(self, rule: str, method: str) -> Decorator:
        """A route that changes the ledger: it takes If-Match and Idempotency-Key."""
        route = self.route(rule, method)
        documented = cast(Decorator, self.blueprint.doc(parameters=[IF_MATCH, IDEMPOTENCY_KEY]))

        def decorate(view: F) -> F:
            return route(documented(view))

        return cast(Decorator, decorate)

    def arguments(self, schema: Any, **options: Any) -> Decorator:
        return cast(Decorator, self.blueprint.arguments(schema, **options))

    def response(self, status: int, schema: Any = None, **options: Any) -> Decorator:
        return cast(Decorator, self.blueprint.response(status, schema, **options))

    def alt_response(self, status: int, schema: Any = None, **options: Any) -> Decorator:
        return cast(Decorator, self.blueprint.alt_response(status, schema=schema, **options))
