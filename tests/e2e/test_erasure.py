"""Erasing a person over HTTP: HR's call, with a reason and a legal basis; every surface after
it shows their personal fields as erased while verification and reproduction still hold."""

from __future__ import annotations

import io
import json
import zipfile

from ledger.application import LedgerApp
from tests.e2e.client import API, ApiClient
from tests.e2e.test_jobs import finished
from tests.integration.personal_story import told


def test_erasure_needs_a_reason_and_a_legal_basis_and_hr(
    e2e_ledger: LedgerApp, hr: ApiClient, manager: ApiClient
) -> None:
    story = told(e2e_ledger)
    path = f"/employees/{story.seat.employee_id}/erasure"
    head = e2e_ledger.head_position()
    missing = hr.post(path, {"reason": "left long ago"})
    assert missing.status_code == 422
    assert "legal_basis" in missing.json()["errors"]
    refused = manager.post(path, {"reason": "r", "legal_basis": "GDPR Art. 17"})
    assert refused.status_code == 403
    assert e2e_ledger.head_position() == head


def test_an_erased_person_reads_as_erased_while_proofs_and_reproduction_hold(
    e2e_ledger: LedgerApp, hr: ApiClient, auditor: ApiClient
) -> None:
    story = told(e2e_ledger)
    employee_id, period = story.seat.employee_id, story.seat.q1
    erased = hr.post(
        f"/employees/{employee_id}/erasure",
        {"reason": "retention over", "legal_basis": "GDPR Art. 17(1)(a)"},
    )
    assert erased.status_code == 200, erased.text
    position = erased.json()["position"]
    employee = hr.get(f"/employees/{employee_id}").json()
    assert employee["name"] == "[erased]"
    assert employee["erased"] is True
    surfaces = [
        f"/employees/{employee_id}/reviews/{period}?min_position={position}",
        f"/audit?employee_id={employee_id}&min_position={position}",
        f"/employees/{employee_id}/scorecards/{period}/explain?from=1&to={position}",
        f"/exports/audit?format=jsonl&employee_id={employee_id}",
        f"/exports/target-revisions?format=csv&cycle_id={story.seat.cycle_id}",
    ]
    for surface in surfaces:
        answer = auditor.get(surface)
        assert answer.status_code == 200, (surface, answer.text)
        assert story.mark not in answer.text, surface
    reproduced = auditor.get(f"/employees/{employee_id}/reviews/{period}/revisions/1/reproduce")
    assert reproduced.json()["matches"] is True
    assert auditor.get("/ledger/verify").json()["ok"] is True


def test_an_auditor_asks_for_a_bundle_with_the_data_key_of_an_erased_person(
    e2e_ledger: LedgerApp, hr: ApiClient, auditor: ApiClient
) -> None:
    story = told(e2e_ledger)
    employee_id, period = story.seat.employee_id, story.seat.q1
    erasure = {"reason": "retention over", "legal_basis": "GDPR Art. 17(1)(a)"}
    hr.ok("POST", f"/employees/{employee_id}/erasure", erasure)
    body = {"employee_id": employee_id, "period": period, "include_key": True}

    response = auditor.post("/exports/evidence", body)

    assert response.status_code == 202, response.text
    job = finished(auditor, response.headers["Location"])
    assert job["result"]["includes_key"] is True
    download = auditor.http.get(job["file"].removeprefix(API))
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        disclosed = json.loads(archive.read("data_key.json"))
        texts = [archive.read(name).decode() for name in archive.namelist()]
    assert disclosed == {
        "algorithm": "AES-256-GCM",
        "data_key": None,
        "employee_id": employee_id,
        "erased": True,
    }
    assert not [text for text in texts if story.mark in text]
