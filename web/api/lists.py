"""Lists served from the read models: employees, and one period's scorecards."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from marshmallow import Schema, fields, validate

from ledger.domain.access import Action
from ledger.periods import parse_period
from projections.queries import (
    EmployeeRow,
    Listing,
    employee,
    employees,
    scorecard,
    scorecards,
)
from projections.views import EmployeesView, ScorecardsView
from web.api.fields import key_field, period_field, short_text
from web.api.read_models import await_views, min_position_field, scope_of_lists, source
from web.api.resource import Resource
from web.api.scorecards import ScorecardOut
from web.serving.auth import requires

resource = Resource("lists", "Employees and scorecards, listed from the read models")


class ListQuery(Schema):
    department = short_text()
    manager_id = key_field()
    after = key_field(metadata={"description": "the cursor: the last employee id seen"})
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 1000))
    min_position = min_position_field()


class EmployeeQuery(ListQuery):
    q = short_text(
        blank=False,
        metadata={"description": "part of the name or the employee id, in any case"},
    )


class ScorecardQuery(ListQuery):
    period = period_field(required=True)
    rating = fields.Integer(validate=validate.Range(0, 1000))


class EmployeeOut(Schema):
    employee_id = fields.String(required=True)
    name = fields.String(required=True)
    department = fields.String(required=True)
    role = fields.String(required=True)
    manager_id = fields.String(allow_none=True, required=True)
    left_on = fields.Date(allow_none=True, required=True)
    version = fields.Integer(required=True)
    position = fields.Integer(required=True)


class EmployeePage(Schema):
    items = fields.List(fields.Nested(EmployeeOut), required=True)
    next = fields.String(allow_none=True, required=True)


class ScorecardPage(Schema):
    items = fields.List(fields.Nested(ScorecardOut), required=True)
    next = fields.String(allow_none=True, required=True)


@resource.route("/employees", "GET", answers=[HTTPStatus.CONFLICT])
@requires(Action.BROWSE)
@resource.arguments(EmployeeQuery, location="query")
@resource.response(200, EmployeePage)
def list_employees(query: dict[str, Any]) -> dict[str, Any]:
    """Employees by id (filters: department, manager_id, q); a manager sees their reports"""
    await_views([EmployeesView.name], query.pop("min_position", None))
    page = employee_list(query)
    return {"items": list(page.items), "next": page.next}


def employee_list(query: dict[str, Any]) -> Listing[EmployeeRow, str]:
    """The employees a list shows the principal for ``query``: a manager their reports, an
    employee themself."""
    query = scope_of_lists(query)
    own = query.pop("employee_id", None)
    if own is not None:
        row = employee(source(), own)
        return Listing((row,) if row is not None else (), None)
    return employees(source(), **query)


@resource.route("/scorecards", "GET", answers=[HTTPStatus.CONFLICT])
@requires(Action.BROWSE)
@resource.arguments(ScorecardQuery, location="query")
@resource.response(200, ScorecardPage)
def list_scorecards(query: dict[str, Any]) -> dict[str, Any]:
    """One period's scorecards (filters: department, manager_id, rating)"""
    await_views([ScorecardsView.name], query.pop("min_position", None))
    query = scope_of_lists(query)
    period = parse_period(query.pop("period")).id
    own = query.pop("employee_id", None)
    if own is not None:
        row = scorecard(source(), own, period)
        cards = [row.scorecard.to_dict()] if row is not None else []
        return {"items": cards, "next": None}
    page = scorecards(source(), period, **query)
    return {"items": [row.scorecard.to_dict() for row in page.items], "next": page.next}
