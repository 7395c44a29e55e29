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
    "description": (
        'the version the change expects, as an entity tag such as "7" (the ETag of the'
        " resource it changes); a stale one gets 412 and writes nothing"
    ),
    "schema": {"type": "string", "pattern": r'^(\*|"[0-9]{1,18}")$'},
}
ETAG = {
    "description": 'the version, as an entity tag such as "7", for If-Match on a later write',
    "schema": {"type": "string", "pattern": r'^"[0-9]{1,18}"$'},
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

    def write(self, rule: str, method: str, *, version_of: str | None = None) -> Decorator:
        """A route that changes the ledger: it takes If-Match and Idempotency-Key.

        ``version_of`` names what If-Match is the version of, when that is not the resource
        at ``rule`` itself.
        """
        route = self.route(rule, method)
        if_match = dict(IF_MATCH)
        if version_of is not None:
            if_match["description"] = (
                f'the version of {version_of}, as an entity tag such as "7";'
                " a stale one gets 412 and writes nothing"
            )
        documented = cast(Decorator, self.blueprint.doc(parameters=[if_match, IDEMPOTENCY_KEY]))

        def decorate(view: F) -> F:
            return route(documented(view))

        return cast(Decorator, decorate)

    def arguments(self, schema: Any, **options: Any) -> Decorator:
        return cast(Decorator, self.blueprint.arguments(schema, **options))

    def response(self, status: int, schema: Any = None, **options: Any) -> Decorator:
        return cast(Decorator, self.blueprint.response(status, schema, **options))

    def alt_response(self, status: int, schema: Any = None, **options: Any) -> Decorator:
        return cast(Decorator, self.blueprint.alt_response(status, schema=schema, **options))
