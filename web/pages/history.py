"""``/people/{employee_id}/history``: the employee's audit trail as a timeline, newest or
oldest first, filtered by event type and recorded time, paged by position. The entries are
those of ``GET /api/v1/audit?employee_id=…`` for the same filters; whoever may export the
audit trail downloads the employee's from here too (the audit page's exports)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import render_template, url_for
from marshmallow import fields, validate

from ledger.domain.access import Action
from ledger.errors import NotFound
from projections.queries import AuditEntry, AuditFilter, Listing, audit_trail, employee
from projections.queries.audit import audit_trail_newest_first, event_types_of
from projections.views.documents import Json
from web.api.audit_trail import MAX_POSITION, AuditQuery
from web.api.read_models import audited, source
from web.pages.arguments import query_of
from web.pages.audit import export_links
from web.pages.blueprint import pages
from web.pages.formatting import MISSING
from web.pages.layout import current
from web.serving.calls import ledger

NEWEST, OLDEST = "newest", "oldest"
FILTERS = ("event_type", "recorded_from", "recorded_to")
INSTANTS = ("recorded_from", "recorded_to")
DEFAULT_LIMIT = 50


class HistoryQuery(AuditQuery):
    """The audit trail's own fields, and which way the timeline runs."""

    order = fields.String(load_default=NEWEST, validate=validate.OneOf((NEWEST, OLDEST)))
    before = fields.Integer(validate=validate.Range(0, MAX_POSITION))
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(1, 1000))


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@pages.route("/people/<employee_id>/history")
def history(employee_id: str) -> str:
    ledger().check_access(current(), Action.READ, employee_id)
    person = employee(source(), employee_id)
    if person is None:
        raise NotFound(f"no employee {employee_id}")
    fields_read = (*FILTERS, "order", "after", "before", "limit")
    query = query_of(HistoryQuery(only=fields_read), instants=INSTANTS)
    page = timeline(employee_id, query)
    exports = export_links("pages.audit_export", {**query, "employee_id": employee_id})
    return render_template(
        "history.html",
        **(exports if audited() else {}),
        person=person,
        entries=page.items,
        changes_of=changes_of,
        query=query,
        default_limit=DEFAULT_LIMIT,
        event_types=event_types_of(source(), employee_id),
        next_url=None if page.next is None else page_url(employee_id, query, page.next),
        first_url=page_url(employee_id, query, None) if cursor_of(query) is not None else None,
    )


def timeline(employee_id: str, query: dict[str, Any]) -> Listing[AuditEntry, int]:
    """One page of the employee's trail in the order asked."""
    filters = AuditFilter(employee_id=employee_id, **{name: query.get(name) for name in FILTERS})
    if query["order"] == NEWEST:
        return audit_trail_newest_first(
            source(), filters, before=query.get("before"), limit=query["limit"]
        )
    return audit_trail(source(), filters, after=query.get("after"), limit=query["limit"])


def cursor_of(query: dict[str, Any]) -> int | None:
    """Where the page asked starts: ``before`` newest first, ``after`` oldest first."""
    value: int | None = query.get("before" if query["order"] == NEWEST else "after")
    return value


def page_url(employee_id: str, query: dict[str, Any], cursor: int | None) -> str:
    """The timeline's URL for the same filters and order, from ``cursor`` (None: the first)."""
    kept: dict[str, Any] = {"order": query["order"]}
    for name in FILTERS:
        value = query.get(name)
        if value is not None:
            kept[name] = value.isoformat() if name in INSTANTS else value
    if query["limit"] != DEFAULT_LIMIT:
        kept["limit"] = query["limit"]
    if cursor is not None:
        kept["before" if query["order"] == NEWEST else "after"] = cursor
    return url_for("pages.history", employee_id=employee_id, **kept)


def changes_of(entry: AuditEntry) -> list[Change]:
    """An entry's changes by field name, each value written as text."""
    return [
        Change(name, shown(change.before), shown(change.after))
        for name, change in sorted(entry.changes.items())
    ]


def shown(value: Json) -> str:
    """A JSON value as a page writes it: text as is, nothing as a dash, the rest as JSON."""
    if value is None:
        return MISSING
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
