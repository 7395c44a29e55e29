"""The API's index: where its OpenAPI document, its docs and its main resources are. It is
the one route under the API that answers without a token."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, cast

from marshmallow import Schema, fields

from web.api.resource import API_PREFIX, Decorator, F, Resource

resource = Resource("index", "The API's index: its document, docs and resources", roles=False)

OPENAPI = f"{API_PREFIX}/openapi.json"
DOCS = "/docs"
HEALTH = "/healthz"
AUTHENTICATION = (
    "send Authorization: Bearer <token> on every route but this one and the OpenAPI document"
)


@dataclass(frozen=True)
class Link:
    name: str
    href: str
    description: str


RESOURCES = (
    Link("employees", f"{API_PREFIX}/employees", "the people, filtered by department or manager"),
    Link(
        "employee",
        f"{API_PREFIX}/employees/{{employee_id}}",
        "a person; their plans, measurements, scorecards and reviews are below",
    ),
    Link("cycle", f"{API_PREFIX}/cycles/{{cycle_id}}", "a review cycle and its policy"),
    Link("scorecards", f"{API_PREFIX}/scorecards?period={{period}}", "a period's scorecards"),
    Link("audit", f"{API_PREFIX}/audit", "the audit trail, filtered and paged"),
    Link("target-revisions", f"{API_PREFIX}/target-revisions", "the target-revision register"),
    Link("exports", f"{API_PREFIX}/exports/audit", "the audit trail as CSV, JSON Lines or XLSX"),
    Link("ledger", f"{API_PREFIX}/ledger/head", "the chain's head; verify and digest beside it"),
    Link("tree-head", f"{API_PREFIX}/ledger/tree-head", "the signed head of the Merkle tree"),
    Link("imports", f"{API_PREFIX}/imports/template.xlsx", "the spreadsheet to fill and import"),
    Link("projections", f"{API_PREFIX}/projections", "the read models and how far each has come"),
    Link("tokens", f"{API_PREFIX}/tokens", "bearer tokens (admins)"),
)


class LinkOut(Schema):
    name = fields.String(required=True)
    href = fields.String(
        required=True, metadata={"description": "a path; {name} is a part to fill in"}
    )
    description = fields.String(required=True)


class IndexOut(Schema):
    title = fields.String(required=True)
    version = fields.String(required=True)
    openapi = fields.String(required=True, metadata={"description": "the OpenAPI document"})
    docs = fields.String(required=True, metadata={"description": "interactive docs"})
    health = fields.String(required=True, metadata={"description": "liveness, no token"})
    authentication = fields.String(required=True)
    resources = fields.List(fields.Nested(LinkOut), required=True)


def public_route(rule: str) -> Decorator:
    """A GET route without a token, answered with or without the rule's trailing slash."""
    route = cast(Decorator, resource.blueprint.route(rule, methods=["GET"], strict_slashes=False))
    untokened = cast(Decorator, resource.blueprint.doc(security=[]))

    def decorate(view: F) -> F:
        return route(untokened(view))

    return cast(Decorator, decorate)


@public_route("/")
@resource.response(200, IndexOut)
def index() -> dict[str, Any]:
    """Where the API's document, docs and main resources are (at /api/v1 and /api/v1/)"""
    return {
        "title": "Performance Ledger API",
        "version": "1",
        "openapi": OPENAPI,
        "docs": DOCS,
        "health": HEALTH,
        "authentication": AUTHENTICATION,
        "resources": [asdict(link) for link in RESOURCES],
    }
