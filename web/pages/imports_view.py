"""``/imports``: HR uploads a spreadsheet, reads the dry-run report (each mistake where the
spreadsheet numbers it) or what the file would write, and commits it. The file is kept on the
server between the dry run and the commit, named by its SHA-256: the commit form names only
that hash, never a path. The same import as ``POST /api/v1/imports``, with the same rules."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path, PurePath
from typing import Any

from flask import render_template, request
from marshmallow import ValidationError
from werkzeug.exceptions import UnsupportedMediaType
from werkzeug.wrappers import Response

from ledger.domain.access import Action
from ledger.errors import InvalidInput, NotFound
from ledger.imports import SHEETS, ImportFile, ImportOptions, ImportReport, Refusal, Status
from ledger.imports import run_import as import_file
from web.api.imports import CSV, XLSX, ImportQuery, template_response
from web.pages.arguments import messages
from web.pages.blueprint import pages
from web.pages.layout import current
from web.serving.calls import ledger

KEPT_FOLDER = "ledger-page-imports"
SHA256 = re.compile(r"[0-9a-f]{64}")
SUFFIXES = {".xlsx": XLSX, ".csv": CSV}


@pages.route("/imports")
def imports_page() -> str:
    ledger().check_access(current(), Action.ORGANISE)
    return render_template("imports.html", sheets=list(SHEETS), report=None, kept=None)


@pages.route("/imports/template.xlsx")
def import_template() -> Response:
    """The template of ``GET /api/v1/imports/template.xlsx``."""
    ledger().check_access(current(), Action.ORGANISE)
    return template_response()


@pages.route("/imports", methods=["POST"])
def import_dry_run() -> tuple[str, int]:
    ledger().check_access(current(), Action.ORGANISE)
    kept = keep(uploaded())
    return reported(import_file(ledger(), kept, options(dry_run=True)), kept)


@pages.route("/imports/commit", methods=["POST"])
def import_commit() -> tuple[str, int]:
    ledger().check_access(current(), Action.ORGANISE)
    kept = kept_file(request.form.get("sha256", ""))
    report = import_file(ledger(), kept, options(dry_run=False))
    if report.status in (Status.COMPLETE, Status.PARTIAL):
        forget(kept.sha256)
    return reported(report, kept)


def options(*, dry_run: bool) -> ImportOptions:
    return ImportOptions(current().actor, dry_run=dry_run)


def reported(report: ImportReport, kept: ImportFile) -> tuple[str, int]:
    """The page with the report: 200, or 422 (413 over a limit) as the API answers."""
    status = 200
    if report.status is Status.INVALID:
        status = 413 if report.refusal is Refusal.TOO_LARGE else 422
    html = render_template("imports.html", sheets=list(SHEETS), report=report.as_json(), kept=kept)
    return html, status


def uploaded() -> ImportFile:
    """The form's file, its kind for a CSV, and its name, checked with the API's rules."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise InvalidInput("choose a file to import", {"file": "required"})
    name = PurePath(upload.filename.replace("\\", "/")).name[:200]
    media_type = SUFFIXES.get(PurePath(name).suffix.lower()) or upload.mimetype
    if media_type not in (XLSX, CSV):
        detail = "the file is neither an XLSX workbook (.xlsx) nor a CSV file (.csv)"
        raise UnsupportedMediaType(detail)
    given = {"file_name": name, "kind": request.form.get("kind", "").strip() or None}
    try:
        query = ImportQuery(only=("file_name", "kind")).load(
            {key: value for key, value in given.items() if value is not None}
        )
    except ValidationError as error:
        raise InvalidInput("the form's fields are invalid", form_errors(error)) from None
    kind = query.get("kind")
    if media_type == CSV and kind is None:
        message = "required for a CSV, which holds one sheet"
        raise InvalidInput("a CSV holds one sheet: name it", {"kind": message})
    return ImportFile(upload.read(), name, kind if media_type == CSV else None)


def form_errors(error: ValidationError) -> dict[str, str]:
    return {name: "; ".join(map(str, words)) for name, words in messages(error).items()}


def folder() -> Path:
    path = Path(tempfile.gettempdir()) / KEPT_FOLDER
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def keep(file: ImportFile) -> ImportFile:
    """Keeps ``file`` under its SHA-256 until it is committed."""
    sha = file.sha256
    (folder() / f"{sha}.data").write_bytes(file.data)
    (folder() / f"{sha}.json").write_text(json.dumps({"name": file.name, "kind": file.kind}))
    return file


def kept_file(sha: str) -> ImportFile:
    """The file kept under ``sha``, its bytes checked against it; NotFound when none is."""
    if not SHA256.fullmatch(sha):
        raise InvalidInput("the form names no uploaded file", {"sha256": "64 hex digits"})
    data_path, about_path = folder() / f"{sha}.data", folder() / f"{sha}.json"
    try:
        data, about = data_path.read_bytes(), json.loads(about_path.read_text())
    except (OSError, ValueError):
        raise NotFound("that upload is no longer kept; upload the file again") from None
    file = ImportFile(data, str(about["name"]), about_kind(about))
    if file.sha256 != sha:
        forget(sha)
        raise NotFound("that upload is no longer kept; upload the file again")
    return file


def about_kind(about: dict[str, Any]) -> str | None:
    kind = about.get("kind")
    return kind if isinstance(kind, str) and kind in SHEETS else None


def forget(sha: str) -> None:
    for suffix in (".data", ".json"):
        (folder() / f"{sha}{suffix}").unlink(missing_ok=True)
