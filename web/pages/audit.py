"""``/audit`` and ``/target-revisions``: the audit trail and the register of target revisions,
filtered with the API's own query schemas, paged by its cursor, with exports at the head's
position that a browser downloads through ``/audit/export`` and ``/target-revisions/export``:
the same export functions, filters and bytes as the API's ``/exports/...``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from flask import render_template, request, url_for
from werkzeug.wrappers import Response

from ledger.domain.access import Action
from web.api.audit_trail import (
    AuditQuery,
    ExportQuery,
    RegisterQuery,
    audit_export,
    audit_page,
    register_export,
    register_page,
)
from web.api.resource import API_PREFIX
from web.exports import Format
from web.pages.arguments import query_of
from web.pages.blueprint import pages
from web.pages.layout import current
from web.serving.calls import ledger

INSTANTS = ("recorded_from", "recorded_to")
EXPORT_FILTERS = ("cycle_id", "employee_id", "recorded_from", "recorded_to")
"""The filters an export takes; the others narrow the page only."""


@pages.route("/audit")
def audit_trail() -> str:
    ledger().check_access(current(), Action.AUDIT)
    query = query_of(AuditQuery(), instants=INSTANTS)
    found = audit_page(query)
    return listing("audit.html", "pages.audit_trail", "pages.audit_export", query, found)


@pages.route("/target-revisions")
def target_revisions() -> str:
    ledger().check_access(current(), Action.AUDIT)
    query = query_of(RegisterQuery(), instants=INSTANTS)
    found = register_page(query)
    return listing(
        "target_revisions.html", "pages.target_revisions", "pages.register_export", query, found
    )


@pages.route("/audit/export", endpoint="audit_export")
def audit_export_download() -> Response:
    ledger().check_access(current(), Action.AUDIT)
    return audit_export(query_of(ExportQuery(), instants=INSTANTS))


@pages.route("/target-revisions/export", endpoint="register_export")
def register_export_download() -> Response:
    ledger().check_access(current(), Action.AUDIT)
    return register_export(query_of(ExportQuery(), instants=INSTANTS))


def listing(
    template: str, endpoint: str, export: str, query: Mapping[str, Any], found: dict[str, Any]
) -> str:
    return render_template(
        template,
        items=found["items"],
        query=query,
        next_url=next_url(endpoint, found["next"]),
        first_url=url_for(endpoint, **kept_arguments()) if "after" in request.args else None,
        **export_links(export, query),
    )


def export_links(export: str, query: Mapping[str, Any]) -> dict[str, Any]:
    """What the pages' export section shows: downloads at the head for the filters of
    ``query`` an export takes, the API's address of the same file, and the filters that
    narrow the page only."""
    head = ledger().head()
    filters = export_filters(query)
    api_path = "audit" if export == "pages.audit_export" else "target-revisions"
    return {
        "head": head,
        "exports": [
            (fmt.value, url_for(export, format=fmt.value, position=head.position, **filters))
            for fmt in Format
        ],
        "proven": url_for(export, format="csv", proofs="true", position=head.position, **filters),
        "api_export": f"{API_PREFIX}/exports/{api_path}?"
        + urlencode({"position": head.position, **filters}),
        "narrowed_only": sorted(set(page_filters(query)) - set(EXPORT_FILTERS)),
    }


def export_filters(query: Mapping[str, Any]) -> dict[str, Any]:
    """The page's filters that an export takes, as URL arguments."""
    return {name: argument(query[name]) for name in EXPORT_FILTERS if query.get(name) is not None}


def page_filters(query: Mapping[str, Any]) -> dict[str, Any]:
    ignored = {"after", "before", "limit", "min_position", "order"}
    return {name: value for name, value in query.items() if name not in ignored}


def argument(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def kept_arguments() -> dict[str, Any]:
    """The request's arguments but the cursor: the same filters on another page."""
    return {name: value for name, value in request.args.items() if name != "after"}


def next_url(endpoint: str, cursor: int | None) -> str | None:
    return None if cursor is None else url_for(endpoint, **kept_arguments(), after=cursor)


@pages.app_template_filter("change_value")
def change_value(value: object) -> str:
    """A value of a change as text: strings as they are, anything else as JSON."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, default=str)


def form_instant(value: datetime | None) -> str:
    """An instant as a ``datetime-local`` field shows it, in UTC."""
    if value is None:
        return ""
    moment = value.astimezone(UTC) if value.tzinfo is not None else value
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


pages.add_app_template_filter(form_instant, "form_instant")
