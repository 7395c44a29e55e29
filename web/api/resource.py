"""A typed face for flask-smorest blueprints: one per resource, all with the strict parser."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any, Protocol, TypeVar, cast

from flask_smorest import Blueprint

from web.api.fields import PATH_PARAMETERS
from web.serving.parsing import StrictParser

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


PATH_ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>")
EVERY_ROUTE = (HTTPStatus.UNAUTHORIZED, HTTPStatus.SERVICE_UNAVAILABLE)
"""No or a bad token; the database busy or unreachable."""
NAMED_IN_PATH = (HTTPStatus.NOT_FOUND, HTTPStatus.UNPROCESSABLE_ENTITY)
"""Nothing of that id; an id that is no key."""
WRITE = (HTTPStatus.CONFLICT, HTTPStatus.PRECONDITION_FAILED, HTTPStatus.UNPROCESSABLE_ENTITY)
"""A rule of the ledger or a concurrent writer; a stale If-Match; bad headers or fields."""
BODY = (
    HTTPStatus.BAD_REQUEST,
    HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
)
"""A body that is no strict JSON, too large, or not sent as application/json."""


class Resource:
    """One blueprint of the API with its routes documented in the OpenAPI document: their
    path parameters as the ledger spells them, and every problem each can answer."""

    def __init__(
        self, name: str, description: str, url_prefix: str = API_PREFIX, *, roles: bool = True
    ) -> None:
        self.blueprint: Any = Blueprint(
            name, f"web.{name}", url_prefix=url_prefix, description=description
        )
        self.blueprint.ARGUMENTS_PARSER = PARSER
        self.roles = roles
        """Whether its routes check the principal's role (403 when it may not)."""

    def route(self, rule: str, method: str, *, answers: Iterable[int] = ()) -> Decorator:
        """A route; ``answers`` names the problems it can answer beyond those of every route."""
        route = cast(
            Decorator,
            self.blueprint.route(rule, methods=[method], parameters=path_parameters(rule)),
        )
        problems = self.problems(rule, answers)

        def decorate(view: F) -> F:
            return route(problems(view))

        return cast(Decorator, decorate)

    def problems(self, rule: str, answers: Iterable[int]) -> Decorator:
        statuses = {*EVERY_ROUTE, *answers}
        if self.roles:
            statuses.add(HTTPStatus.FORBIDDEN)
        if PATH_ARGUMENT.search(rule):
            statuses.update(NAMED_IN_PATH)
        return self.answering(sorted(statuses))

    def answering(self, statuses: Iterable[int]) -> Decorator:
        """Documents each status as the problem (RFC 9457) of its name."""
        documented = [
            cast(Decorator, self.blueprint.alt_response(status, response=HTTPStatus(status).name))
            for status in statuses
        ]

        def decorate(view: F) -> F:
            for document in documented:
                view = document(view)
            return view

        return cast(Decorator, decorate)

    def write(
        self,
        rule: str,
        method: str,
        *,
        answers: Iterable[int] = (),
        version_of: str | None = None,
    ) -> Decorator:
        """A route that changes the ledger: it takes If-Match and Idempotency-Key.

        ``version_of`` names what If-Match is the version of, when that is not the resource
        at ``rule`` itself.
        """
        route = self.route(rule, method, answers=(*WRITE, *answers))
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
        """Arguments from ``schema``; a JSON body may also be malformed, too large or no JSON.

        A schema class is made into one instance here, shared by every request (loading keeps
        no state in it), rather than one per request."""
        if isinstance(schema, type):
            schema = schema()
        parsed = cast(Decorator, self.blueprint.arguments(schema, **options))
        if options.get("location", "json") != "json":
            return parsed
        answers = self.answering(BODY)

        def decorate(view: F) -> F:
            return parsed(answers(view))

        return cast(Decorator, decorate)

    def response(self, status: int, schema: Any = None, **options: Any) -> Decorator:
        return cast(Decorator, self.blueprint.response(status, schema, **options))

    def alt_response(self, status: int, schema: Any = None, **options: Any) -> Decorator:
        return cast(Decorator, self.blueprint.alt_response(status, schema=schema, **options))


def path_parameters(rule: str) -> list[dict[str, Any]]:
    """The path parameters of ``rule`` the ledger spells in a way of its own."""
    return [
        {"in": "path", "name": name, "required": True, "schema": PATH_PARAMETERS[name]}
        for converter, name in PATH_ARGUMENT.findall(rule)
        if not converter and name in PATH_PARAMETERS
    ]
