"""Jobs: long work started by a request, its progress, its result and its file."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, cast

from flask import Response, current_app, send_file
from marshmallow import Schema, fields, validate

from ledger.domain.access import Role
from web.api.resource import API_PREFIX, Decorator, Resource
from web.serving.calls import principal
from web.serving.jobs import JobRegistry, JobState

resource = Resource(
    "jobs", "Long work started by a request: its progress, result and file", roles=False
)

JOBS = "ledger.jobs"
MAX_WAIT_SECONDS = 10.0
LOCATION = {"Location": {"description": "the job's URL", "schema": {"type": "string"}}}
ZIP = "application/zip"
BINARY = {"schema": {"type": "string", "format": "binary"}}
FILE_DOC = cast(
    Decorator,
    resource.blueprint.doc(
        responses={"200": {"description": "its file", "content": {ZIP: BINARY}}}
    ),
)


class JobQuery(Schema):
    wait = fields.Float(
        load_default=0.0,
        validate=validate.Range(0, MAX_WAIT_SECONDS),
        metadata={"description": "answer once the job finished, or after this many seconds"},
    )


class JobOut(Schema):
    id = fields.String(required=True)
    kind = fields.String(required=True, metadata={"description": "verification or evidence"})
    state = fields.String(required=True, metadata={"description": "running, done or failed"})
    done = fields.Integer(required=True)
    total = fields.Integer(allow_none=True, required=True, metadata={"description": "once known"})
    unit = fields.String(required=True, metadata={"description": "what done and total count"})
    started_at = fields.DateTime(required=True)
    finished_at = fields.DateTime(allow_none=True, required=True)
    result = fields.Dict(allow_none=True, required=True, metadata={"description": "once done"})
    problem = fields.Dict(
        allow_none=True,
        required=True,
        metadata={"description": "why it failed: status, title, detail"},
    )
    file = fields.String(
        allow_none=True, required=True, metadata={"description": "where its file is, once done"}
    )


def jobs() -> JobRegistry:
    return cast(JobRegistry, current_app.extensions[JOBS])


def viewer() -> str | None:
    """Whose jobs the principal sees: their own; an admin's, everyone's."""
    acting = principal()
    return None if acting.role is Role.ADMIN else acting.actor


def job_url(job_id: str) -> str:
    return f"{API_PREFIX}/jobs/{job_id}"


def job_view(job: JobState) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "state": job.state,
        "done": job.done,
        "total": job.total,
        "unit": job.unit,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "result": None if job.result is None else dict(job.result),
        "problem": None if job.problem is None else dict(job.problem),
        "file": f"{job_url(job.id)}/file" if job.has_file else None,
    }


def accepted(job: JobState) -> tuple[dict[str, Any], int, dict[str, str]]:
    """The answer to a request that started ``job``: 202, pointing at it."""
    return job_view(job), 202, {"Location": job_url(job.id)}


@resource.route("/jobs/<job_id>", "GET")
@resource.arguments(JobQuery, location="query")
@resource.response(200, JobOut)
def job(query: dict[str, Any], job_id: str) -> dict[str, Any]:
    """A job's state and progress (visible to whoever started it, and to admins)"""
    return job_view(jobs().get(job_id, viewer(), wait=query["wait"]))


@resource.route("/jobs/<job_id>/file", "GET", answers=[HTTPStatus.CONFLICT])
@FILE_DOC
@resource.response(200)
def job_file(job_id: str) -> Response:
    """The file a finished job wrote: an evidence bundle (application/zip)"""
    outcome = jobs().file(job_id, viewer())
    assert outcome.file is not None
    return send_file(
        outcome.file,
        mimetype=outcome.media_type,
        as_attachment=True,
        download_name=outcome.file_name or outcome.file.name,
    )
