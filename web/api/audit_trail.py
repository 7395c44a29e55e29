"""The audit trail and the target-revision register: lists paginated by position, and
exports that name the position and chain hash they were taken at."""

from __future__ import annotations

from collections.abc import Iterator
from http import HTTPStatus
from typing import Any, cast

from flask import Response
from marshmallow import Schema, fields, validate

from ledger.domain.access import Action
from projections.queries import (
    AuditEntry,
    AuditFilter,
    RegisterFilter,
    TargetRevisionRow,
    audit_trail,
    stream_audit_trail,
    stream_target_revisions,
    target_revisions,
)
from projections.views import AuditTrailView, TargetRevisionsView
from web.api.fields import DecimalText, Instant, key_field
from web.api.read_models import await_views, min_position_field, source
from web.api.resource import Decorator, Resource
from web.exports import (
    AUDIT_COLUMNS,
    REGISTER_COLUMNS,
    Format,
    export_doc,
    export_header,
    export_response,
    format_field,
    proofs_field,
    proven_response,
)
from web.serving.auth import requires
from web.serving.calls import ledger, settings

resource = Resource("audit", "The audit trail and the register of target revisions")

AUDIT = AuditTrailView.name
REGISTER = TargetRevisionsView.name
MAX_POSITION = 2**63 - 1
EXPORT_DOC = cast(Decorator, resource.blueprint.doc(**export_doc()))


class Window(Schema):
    """Which recorded time the rows come from, and where a page starts."""

    recorded_from = Instant(metadata={"description": "recorded at or after"})
    recorded_to = Instant(metadata={"description": "recorded before"})
    after = fields.Integer(
        validate=validate.Range(0, MAX_POSITION), metadata={"description": "the cursor"}
    )
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 1000))
    min_position = min_position_field()


class AuditQuery(Window):
    employee_id = key_field()
    kpi_id = key_field()
    cycle_id = key_field()
    actor = fields.String(validate=validate.Length(1, 200))
    event_type = fields.String(validate=validate.Length(1, 100))


class RegisterQuery(Window):
    employee_id = key_field()
    kpi_id = key_field()
    cycle_id = key_field()


class ExportQuery(Schema):
    format = format_field()
    proofs = proofs_field()
    cycle_id = key_field()
    employee_id = key_field()
    recorded_from = Instant()
    recorded_to = Instant()
    position = fields.Integer(
        validate=validate.Range(0, MAX_POSITION),
        metadata={"description": "export as of this position (default: the head)"},
    )


class ChangeOut(Schema):
    from_ = fields.Raw(data_key="from", attribute="from", allow_none=True)
    to = fields.Raw(allow_none=True)


class AuditEntryOut(Schema):
    position = fields.Integer(required=True)
    recorded_at = fields.DateTime(required=True)
    event_type = fields.String(required=True)
    actor = fields.String(allow_none=True, required=True)
    reason = fields.String(allow_none=True, required=True)
    approved_by = fields.String(allow_none=True, required=True)
    employee_id = fields.String(allow_none=True, required=True)
    cycle_id = fields.String(allow_none=True, required=True)
    kra_id = fields.String(allow_none=True, required=True)
    kpi_id = fields.String(allow_none=True, required=True)
    measurement_id = fields.String(allow_none=True, required=True)
    period = fields.String(allow_none=True, required=True)
    effective_date = fields.Date(allow_none=True, required=True)
    changes = fields.Dict(keys=fields.String(), values=fields.Nested(ChangeOut), required=True)
    event_hash = fields.String(required=True)
    provenance = fields.Dict(
        allow_none=True,
        metadata={"description": "imported events: import_id, file_name, file_sha256, sheet, row"},
    )


class AuditPage(Schema):
    items = fields.List(fields.Nested(AuditEntryOut), required=True)
    next = fields.Integer(allow_none=True, required=True)


class TargetRevisionOut(Schema):
    position = fields.Integer(required=True)
    recorded_at = fields.DateTime(required=True)
    employee_id = fields.String(required=True)
    cycle_id = fields.String(required=True)
    kra_id = fields.String(required=True)
    kpi_id = fields.String(required=True)
    kind = fields.String(required=True)
    period = fields.String(allow_none=True, required=True)
    previous_target = DecimalText(allow_none=True, required=True)
    previous_threshold = DecimalText(allow_none=True, required=True)
    previous_stretch = DecimalText(allow_none=True, required=True)
    target = DecimalText(allow_none=True, required=True)
    threshold = DecimalText(allow_none=True, required=True)
    stretch = DecimalText(allow_none=True, required=True)
    actor = fields.String(required=True)
    reason = fields.String(allow_none=True, required=True)
    approved_by = fields.String(allow_none=True, required=True)
    event_hash = fields.String(required=True)


class RegisterPage(Schema):
    items = fields.List(fields.Nested(TargetRevisionOut), required=True)
    next = fields.Integer(allow_none=True, required=True)


@resource.route("/audit", "GET", answers=[HTTPStatus.CONFLICT])
@requires(Action.AUDIT)
@resource.arguments(AuditQuery, location="query")
@resource.response(200, AuditPage)
def get_audit(query: dict[str, Any]) -> dict[str, Any]:
    """The audit trail: one entry per event, with who, when, why and what changed"""
    return audit_page(query)


@resource.route("/target-revisions", "GET", answers=[HTTPStatus.CONFLICT])
@requires(Action.AUDIT)
@resource.arguments(RegisterQuery, location="query")
@resource.response(200, RegisterPage)
def get_register(query: dict[str, Any]) -> dict[str, Any]:
    """The register of target definitions, revisions, adjustments and removals"""
    return register_page(query)


@resource.route("/exports/audit", "GET", answers=[HTTPStatus.CONFLICT])
@requires(Action.AUDIT)
@resource.arguments(ExportQuery, location="query")
@EXPORT_DOC
def export_audit(query: dict[str, Any]) -> Response:
    """The audit trail as CSV, JSON Lines or XLSX, at a position (default: the head)"""
    return audit_export(query)


@resource.route("/exports/target-revisions", "GET", answers=[HTTPStatus.CONFLICT])
@requires(Action.AUDIT)
@resource.arguments(ExportQuery, location="query")
@EXPORT_DOC
def export_register(query: dict[str, Any]) -> Response:
    """The target-revision register as CSV, JSON Lines or XLSX, at a position"""
    return register_export(query)


def entry_out(entry: AuditEntry) -> dict[str, Any]:
    changes = {name: change.as_json() for name, change in entry.changes.items()}
    return {**entry.__dict__, "changes": changes}


def audit_page(query: dict[str, Any]) -> dict[str, Any]:
    """One page of the audit trail for ``query`` as AuditQuery loads it."""
    query = dict(query)
    await_views([AUDIT], query.pop("min_position", None))
    after, limit = query.pop("after", None), query.pop("limit")
    page = audit_trail(source(), AuditFilter(**query), after=after, limit=limit)
    return {"items": [entry_out(item) for item in page.items], "next": page.next}


def register_page(query: dict[str, Any]) -> dict[str, Any]:
    """One page of the target-revision register for ``query`` as RegisterQuery loads it."""
    query = dict(query)
    await_views([REGISTER], query.pop("min_position", None))
    after, limit = query.pop("after", None), query.pop("limit")
    page = target_revisions(source(), RegisterFilter(**query), after=after, limit=limit)
    return {"items": list(page.items), "next": page.next}


def audit_export(query: dict[str, Any]) -> Response:
    """The audit trail's export for ``query`` as ExportQuery loads it."""
    query = dict(query)
    fmt, position = Format(query.pop("format")), query.pop("position", None)
    proofs = query.pop("proofs")
    header = export_header(ledger(), "audit", position, query)
    await_views([AUDIT], header.position)
    rows: Iterator[AuditEntry] = stream_audit_trail(source(), header.position, AuditFilter(**query))
    if proofs:
        return proven_response(ledger(), settings(), fmt, AUDIT_COLUMNS, rows, header)
    return export_response(fmt, AUDIT_COLUMNS, rows, header)


def register_export(query: dict[str, Any]) -> Response:
    """The target-revision register's export for ``query`` as ExportQuery loads it."""
    query = dict(query)
    fmt, position = Format(query.pop("format")), query.pop("position", None)
    proofs = query.pop("proofs")
    header = export_header(ledger(), "target-revisions", position, query)
    await_views([REGISTER], header.position)
    filters = RegisterFilter(**query)
    rows: Iterator[TargetRevisionRow] = stream_target_revisions(source(), header.position, filters)
    if proofs:
        return proven_response(ledger(), settings(), fmt, REGISTER_COLUMNS, rows, header)
    return export_response(fmt, REGISTER_COLUMNS, rows, header)
