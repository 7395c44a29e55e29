"""The read models: how far each has come, and whether it stopped on an error."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from marshmallow import Schema, fields

from ledger.domain.access import Action
from projections import view_status
from projections.catalog import all_views
from web.api.resource import Resource
from web.serving.auth import requires
from web.serving.calls import ledger

resource = Resource("projections", "The read models and how far each has come")


class ViewStatusOut(Schema):
    name = fields.String(required=True)
    position = fields.Integer(required=True, metadata={"description": "the last event applied"})
    head = fields.Integer(required=True, metadata={"description": "the ledger's head"})
    lag = fields.Integer(required=True, metadata={"description": "positions behind the head"})
    version = fields.Integer(allow_none=True, required=True)
    code_version = fields.Integer(
        allow_none=True, required=True, metadata={"description": "a different one rebuilds"}
    )
    status = fields.String(
        required=True,
        metadata={
            "description": "new, running, rebuilding, stopped, failed, or ahead (past the head:"
            " it holds events the ledger no longer has, and needs a rebuild)"
        },
    )
    error = fields.String(allow_none=True, required=True)
    error_position = fields.Integer(allow_none=True, required=True)
    updated_at = fields.DateTime(allow_none=True, required=True)
    leader = fields.String(
        allow_none=True, required=True, metadata={"description": "the runner holding it"}
    )
    rebuild_position = fields.Integer(
        allow_none=True, required=True, metadata={"description": "how far a rebuild has come"}
    )


class ViewStatusListOut(Schema):
    items = fields.List(fields.Nested(ViewStatusOut), required=True)
    next = fields.String(allow_none=True, required=True, metadata={"description": "always null"})


@resource.route("/projections", "GET")
@requires(Action.AUDIT)
@resource.response(200, ViewStatusListOut)
def projections() -> dict[str, Any]:
    """Each read model's position, the ledger's head, lag, version, status and last error"""
    return {"items": view_statuses(), "next": None}


def view_statuses() -> list[dict[str, Any]]:
    """Each read model's status, as the list of ``GET /projections`` holds it."""
    app = ledger()
    return [asdict(row) for row in view_status(app, all_views(app))]
