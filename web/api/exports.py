"""Exports: files to be checked against the ledger later. An evidence bundle is written by a
job; its progress and the zip are at the job's URL."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from marshmallow import Schema, fields

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.domain.access import Action
from ledger.evidence import write_evidence
from ledger.explanation import Subject
from web.api.fields import key_field, period_field
from web.api.jobs import LOCATION, ZIP, JobOut, accepted, jobs
from web.api.resource import Resource
from web.serving.auth import requires
from web.serving.calls import ledger, principal, settings
from web.serving.jobs import Outcome, Work, Workspace

resource = Resource("exports", "Files to be checked against the ledger later")

BUNDLE_FILE = "evidence.zip"


class EvidenceIn(Schema):
    employee_id = key_field(required=True)
    period = period_field(required=True)
    include_key = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Carry the employee's data key, so the bundle's verifier can open"
            " and authenticate each sealed personal text (keep such a bundle as safe as them)"
        },
    )


@resource.route(
    "/exports/evidence", "POST", answers=[HTTPStatus.NOT_FOUND, HTTPStatus.TOO_MANY_REQUESTS]
)
@requires(Action.AUDIT)
@resource.arguments(EvidenceIn)
@resource.response(202, JobOut, headers=LOCATION)
def start_evidence(body: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Write the evidence bundle (zip) of one employee's period, as a job

    Follow Location for its progress; once done, its file is the bundle.
    """
    subject = Subject.of(body["employee_id"], body["period"])
    ledger().plan(subject.employee_id, subject.cycle_id)
    work = evidence_work(ledger(), settings(), subject, include_key=body["include_key"])
    return accepted(jobs().start("evidence", principal().actor, work, unit="part"))


def evidence_work(
    app: LedgerApp, settings: Settings, subject: Subject, *, include_key: bool = False
) -> Work:
    def work(space: Workspace) -> Outcome:
        path = space.folder / BUNDLE_FILE
        bundle = write_evidence(
            app,
            subject.employee_id,
            subject.period.id,
            path,
            space.progress,
            settings=settings,
            include_key=include_key,
        )
        result = {
            "employee_id": bundle.employee_id,
            "period": bundle.period,
            "position": bundle.position,
            "events": bundle.events,
            "revisions": list(bundle.revisions),
            "signed": bundle.signed,
            "includes_key": include_key,
        }
        name = f"evidence-{bundle.employee_id}-{bundle.period}-{bundle.position}.zip"
        return Outcome(result, file=path, file_name=name, media_type=ZIP)

    return work
