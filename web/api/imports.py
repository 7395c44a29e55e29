"""Spreadsheets in: an XLSX workbook or a CSV file as the request's body, checked whole,
then written (or only checked, in a dry run); and the template to fill."""

from __future__ import annotations

import re
from typing import Any, cast

from flask import Response, json, request
from marshmallow import Schema, fields, validate

from ledger.application import LedgerApp
from ledger.domain.access import Action
from ledger.imports import (
    DEFAULT_LIMITS,
    SHEETS,
    ImportFile,
    ImportOptions,
    ImportReport,
    Refusal,
    Status,
    run_import,
)
from ledger.imports.template import template_xlsx
from web.api.fields import text_rules
from web.api.jobs import LOCATION, JobOut, accepted, jobs
from web.api.resource import Decorator, Resource
from web.serving.auth import requires
from web.serving.calls import ledger, principal
from web.serving.jobs import Outcome, Work, Workspace
from web.serving.parsing import takes_file
from web.serving.problems import PROBLEM_JSON, PROBLEM_TYPES, problem

resource = Resource("imports", "Spreadsheets in: employees, plans, targets and measurements")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
JOB_BYTES = 1 << 20
"""A file larger than this is imported as a job: 202, and its report is the job's result."""
FILE_NAME = re.compile(r'filename="?([^";]{1,200})"?')
BINARY = {"schema": {"type": "string", "format": "binary"}}
IMPORT_DOC = cast(
    Decorator,
    resource.blueprint.doc(
        requestBody={
            "required": True,
            "description": "the file: an XLSX workbook, or a CSV of one sheet (name it with kind)",
            "content": {XLSX: BINARY, CSV: BINARY},
        },
        responses={"422": {"description": "mistakes in the file: problem details with its report"}},
    ),
)
TEMPLATE_DOC = cast(
    Decorator,
    resource.blueprint.doc(
        responses={"200": {"description": "the template workbook", "content": {XLSX: BINARY}}}
    ),
)


class ImportQuery(Schema):
    dry_run = fields.Boolean(
        load_default=False, metadata={"description": "check every row, write nothing"}
    )
    kind = fields.String(
        validate=validate.OneOf(list(SHEETS)),
        metadata={"description": "the sheet a CSV file holds: " + ", ".join(SHEETS)},
    )
    file_name = fields.String(
        validate=text_rules(200, blank=False),
        metadata={"description": "the file's name, for provenance (or Content-Disposition)"},
    )


class CellErrorOut(Schema):
    sheet = fields.String(allow_none=True, required=True)
    row = fields.Integer(allow_none=True, required=True, metadata={"description": "as numbered"})
    column = fields.String(allow_none=True, required=True)
    value = fields.String(allow_none=True, required=True)
    message = fields.String(required=True)


class ImportReportOut(Schema):
    import_id = fields.String(required=True)
    file_name = fields.String(required=True)
    file_sha256 = fields.String(required=True)
    dry_run = fields.Boolean(required=True)
    status = fields.String(
        required=True, metadata={"description": "valid, complete, partial or invalid"}
    )
    rows = fields.Integer(required=True)
    sheets = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    events = fields.Integer(required=True)
    already_imported = fields.Integer(
        required=True, metadata={"description": "rows an earlier import of the file wrote"}
    )
    errors = fields.List(fields.Nested(CellErrorOut), required=True)
    position = fields.Integer(required=True)


@resource.route("/imports", "POST", answers=(413, 415, 422, 429))
@takes_file
@requires(Action.ORGANISE)
@IMPORT_DOC
@resource.arguments(ImportQuery, location="query")
@resource.response(200, ImportReportOut)
@resource.alt_response(202, JobOut, headers=LOCATION)
def start_import(query: dict[str, Any]) -> Any:
    """Import a spreadsheet, or check it in a dry run

    Every row is checked before anything is written; any mistake answers 422 with the
    report and writes nothing. A large file is imported as a job (202, follow Location).
    """
    media_type = request.mimetype
    if media_type not in (XLSX, CSV):
        detail = f"send an XLSX workbook ({XLSX}) or a CSV file ({CSV}), not {media_type!r}"
        return problem(415, "Unsupported Media Type", detail)
    kind = query.get("kind")
    if media_type == CSV and kind is None:
        message = "required for a CSV, which holds one sheet"
        errors = {"kind": [message]}
        detail = "a CSV holds one sheet: name it with ?kind="
        return problem(422, "Invalid input", detail, kind="invalid-input", errors=errors)
    limit = DEFAULT_LIMITS.file_bytes
    if (request.content_length or 0) > limit:
        detail = f"the file is over the limit of {limit // (1 << 20)} MB; nothing was read"
        return problem(413, "Content Too Large", detail, kind="file-too-large")
    request.max_content_length = limit
    data = request.get_data(cache=False)
    file = ImportFile(data, file_name(query, media_type), kind if media_type == CSV else None)
    options = ImportOptions(principal().actor, dry_run=query["dry_run"])
    if len(data) > JOB_BYTES:
        work = import_work(ledger(), file, options)
        return accepted(jobs().start("import", principal().actor, work, unit="row"))
    return answered(run_import(ledger(), file, options))


@resource.route("/imports/template.xlsx", "GET")
@requires(Action.ORGANISE)
@TEMPLATE_DOC
@resource.response(200)
def template() -> Response:
    """The workbook to fill: its sheets, headers, drop-down lists and instructions"""
    return template_response()


def template_response() -> Response:
    """The template workbook as a download."""
    headers = {"Content-Disposition": 'attachment; filename="ledger-import-template.xlsx"'}
    return Response(template_xlsx(), mimetype=XLSX, headers=headers)


def file_name(query: dict[str, Any], media_type: str) -> str:
    given = query.get("file_name")
    if given:
        return str(given)
    found = FILE_NAME.search(request.headers.get("Content-Disposition", ""))
    if found:
        return found[1]
    return "upload.csv" if media_type == CSV else "upload.xlsx"


def import_work(app: LedgerApp, file: ImportFile, options: ImportOptions) -> Work:
    def work(space: Workspace) -> Outcome:
        report = run_import(app, file, with_progress(options, space))
        return Outcome(report.as_json())

    return work


def with_progress(options: ImportOptions, space: Workspace) -> ImportOptions:
    return ImportOptions(
        options.actor, dry_run=options.dry_run, limits=options.limits, progress=space.progress
    )


def answered(report: ImportReport) -> Any:
    """200 with the report, or a problem that carries it: 413 over a limit, 422 for mistakes."""
    if report.status is not Status.INVALID:
        return report.as_json()
    too_large = report.refusal is Refusal.TOO_LARGE
    status, title = (413, "Content Too Large") if too_large else (422, "Invalid input")
    first = report.errors[0].message if report.errors else "the file was refused"
    count = len(report.errors)
    detail = first if count == 1 else f"{count} mistakes, nothing written; the first: {first}"
    body = {
        "type": PROBLEM_TYPES + ("file-too-large" if too_large else "invalid-import"),
        "title": title,
        "status": status,
        "detail": detail,
        "report": report.as_json(),
    }
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
