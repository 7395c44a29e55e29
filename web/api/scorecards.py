"""Scorecards: at the latest knowledge, at a position, or as of an instant."""

from __future__ import annotations

import time
from datetime import datetime
from http import HTTPStatus
from typing import Any

from flask import Response
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ledger.application import LedgerApp
from ledger.domain.access import Action
from ledger.periods import parse_period
from projections.queries.current import current_document
from web.api.fields import Instant
from web.api.resource import Resource
from web.serving.auth import requires
from web.serving.calls import ledger, settings
from web.serving.problems import PositionNotReached

resource = Resource("scorecards", "Scorecards of an employee for a period")

MAX_POSITION = 2**63 - 1
POLL_SECONDS = 0.05


class ScorecardQuery(Schema):
    position = fields.Integer(
        validate=validate.Range(0, MAX_POSITION),
        metadata={"description": "the knowledge at this position"},
    )
    as_of = Instant(metadata={"description": "the knowledge at this instant (with a time zone)"})
    min_position = fields.Integer(
        validate=validate.Range(0, MAX_POSITION),
        metadata={"description": "answer only once the ledger has reached this position"},
    )

    @validates_schema
    def one_point(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "position" in data and "as_of" in data:
            raise ValidationError("give position or as_of, not both", "as_of")


class KpiScoreOut(Schema):
    kpi_id = fields.String(required=True)
    name = fields.String(required=True)
    unit = fields.String(required=True)
    direction = fields.String(required=True)
    aggregation = fields.String(required=True)
    weight = fields.String(required=True)
    target = fields.String(required=True)
    threshold = fields.String(allow_none=True, required=True)
    stretch = fields.String(allow_none=True, required=True)
    actual = fields.String(allow_none=True, required=True)
    achievement = fields.String(allow_none=True, required=True)
    measurement_count = fields.Integer(required=True)


class KraScoreOut(Schema):
    kra_id = fields.String(required=True)
    title = fields.String(required=True)
    weight = fields.String(required=True)
    score = fields.String(allow_none=True, required=True)
    kpis = fields.List(fields.Nested(KpiScoreOut), required=True)


class ScorecardOut(Schema):
    employee_id = fields.String(required=True)
    cycle_id = fields.String(required=True)
    period = fields.String(required=True)
    position = fields.Integer(required=True, metadata={"description": "the knowledge it reflects"})
    as_of = fields.String(allow_none=True, required=True)
    score = fields.String(allow_none=True, required=True)
    rating = fields.Integer(allow_none=True, required=True)
    rating_label = fields.String(allow_none=True, required=True)
    complete = fields.Boolean(required=True)
    hash = fields.String(required=True, metadata={"description": "sha256:<hex>"})
    kras = fields.List(fields.Nested(KraScoreOut), required=True)


@resource.route(
    "/employees/<employee_id>/scorecards/<period>", "GET", answers=[HTTPStatus.CONFLICT]
)
@requires(Action.READ)
@resource.arguments(ScorecardQuery(), location="query")
@resource.response(200, ScorecardOut)
def scorecard(query: dict[str, Any], employee_id: str, period: str) -> dict[str, object] | Response:
    """A scorecard: latest, at a position, or as of an instant"""
    wait_for(ledger(), query.get("min_position"))
    document = scorecard_document(
        employee_id, period, position=query.get("position"), as_of=query.get("as_of")
    )
    if isinstance(document, str):
        return Response(document, mimetype="application/json")
    return document


def scorecard_document(
    employee_id: str, period: str, *, position: int | None, as_of: datetime | None
) -> str | dict[str, object]:
    """The scorecard the API answers and the pages show: the current one as the read model
    keeps it (its JSON text), else the ledger's at the position or instant asked for."""
    if position is None and as_of is None:
        current = current_document(ledger(), employee_id, parse_period(period).id)
        if current is not None:
            return current
    return ledger().scorecard(employee_id, period, position=position, as_of=as_of).to_dict()


def wait_for(ledger: LedgerApp, position: int | None) -> None:
    """Return once the ledger has reached ``position``, waiting a bounded time for it."""
    if position is None:
        return
    deadline = time.monotonic() + settings().read_wait_seconds
    head = ledger.head_position()
    while head < position:
        if time.monotonic() >= deadline:
            raise PositionNotReached(position, head)
        time.sleep(POLL_SECONDS)
        head = ledger.head_position()
