"""``/ledger``: the chain's head, the signed tree head, the latest anchors, the public key and
the digest to keep; and verification of every hash as a job, whose page shows its progress
and, once done, whether the chain holds or the position where it does not.

Every figure is the API's: the head of ``GET /ledger/head``, the tree head of
``GET /ledger/tree-head``, the digest of ``GET /ledger/digest``, the job that
``POST /ledger/verifications`` starts."""

from __future__ import annotations

import json
from typing import Any

from flask import redirect, render_template, url_for
from werkzeug.wrappers import Response

from ledger.domain.access import Action
from ledger.errors import NotFound
from ledger.evidence import make_digest
from ledger.evidence.anchors import PREFIX, Anchor, AnchorStore
from web.api.jobs import JobOut, job_view, jobs, viewer
from web.api.ledger import VERIFICATION, verification_job
from web.api.proofs import public_key_hex, tree_head_document
from web.pages.blueprint import pages
from web.pages.layout import current
from web.serving.calls import ledger, settings
from web.serving.jobs import JobState

ANCHORS_SHOWN = 5
REFRESH_SECONDS = 1


@pages.route("/ledger")
def ledger_page() -> str:
    ledger().check_access(current(), Action.AUDIT)
    return render_template(
        "ledger.html",
        head=ledger().head(),
        tree_head=tree_head_document(),
        public_key=public_key_hex(),
        anchors=latest_anchors(ANCHORS_SHOWN),
        anchor_dir=settings().anchor_dir,
    )


@pages.route("/ledger/digest.json")
def ledger_digest() -> Response:
    """The digest of ``GET /api/v1/ledger/digest``, as a file to keep."""
    ledger().check_access(current(), Action.AUDIT)
    digest = make_digest(ledger(), settings()).to_dict()
    name = f"ledger-digest-{digest['position']}.json"
    return Response(
        json.dumps(digest, indent=2, sort_keys=True) + "\n",
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@pages.route("/ledger/verifications", methods=["POST"])
def start_ledger_verification() -> Response:
    ledger().check_access(current(), Action.AUDIT)
    job = verification_job(None)
    target = url_for("pages.ledger_verification", job_id=job.id)
    return redirect(target, code=303)


@pages.route("/ledger/verifications/<job_id>")
def ledger_verification(job_id: str) -> str:
    ledger().check_access(current(), Action.AUDIT)
    job = verification_of(job_id)
    return render_template(
        "verification.html",
        job=job,
        result=job.result,
        refresh=REFRESH_SECONDS if job.state == "running" else None,
        status_url=url_for("pages.ledger_verification_status", job_id=job.id),
    )


@pages.route("/ledger/verifications/<job_id>/status")
def ledger_verification_status(job_id: str) -> dict[str, Any]:
    """The job as ``GET /api/v1/jobs/{job_id}`` answers it, for the page's script."""
    ledger().check_access(current(), Action.AUDIT)
    dumped: dict[str, Any] = JobOut().dump(job_view(verification_of(job_id)))
    return dumped


def verification_of(job_id: str) -> JobState:
    """The principal's verification job ``job_id`` (an admin's: anyone's); NotFound else."""
    job = jobs().get(job_id, viewer())
    if job.kind != VERIFICATION:
        raise NotFound(f"job {job_id} not found")
    return job


def latest_anchors(count: int) -> list[Anchor]:
    """The anchors of the largest trees, largest first; none without an anchor store."""
    folder = settings().anchor_dir
    if folder is None or not folder.is_dir():
        return []
    store = AnchorStore(folder)
    names = sorted((path.name for path in folder.glob(f"{PREFIX}*.json")), reverse=True)
    return [store.read(name) for name in names[:count]]
