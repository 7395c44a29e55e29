"""Jobs: long work off the request thread, its progress, its outcome, and who may see it."""

from __future__ import annotations

import io
import threading
import zipfile
from typing import Any

import pytest

from ledger.application import LedgerApp
from ledger.errors import Conflict, NotFound, RuleViolated
from tests.e2e.client import API, ApiClient, active_seat
from tests.e2e.world import World, build_world
from web.serving.jobs import JobRegistry, JobsBusy, Outcome, Workspace

WAIT = {"wait": "10"}


class Gate:
    """Work that reports progress, then holds until it is let go."""

    def __init__(self, done: int = 3, total: int = 10) -> None:
        self.reported = threading.Event()
        self.release = threading.Event()
        self.done, self.total = done, total

    def __call__(self, space: Workspace) -> Outcome:
        space.progress(self.done, self.total)
        self.reported.set()
        assert self.release.wait(10)
        return Outcome({"answer": 42})


@pytest.fixture
def registry() -> JobRegistry:
    return JobRegistry(max_running=2)


def test_a_running_job_shows_the_progress_its_work_reported(registry: JobRegistry) -> None:
    gate = Gate()
    job = registry.start("test", "hr:priya", gate)
    assert gate.reported.wait(10)
    running = registry.get(job.id)
    assert (running.state, running.done, running.total) == ("running", 3, 10)
    gate.release.set()
    done = registry.get(job.id, wait=10)
    assert (done.state, done.result) == ("done", {"answer": 42})
    assert done.finished_at is not None


def test_the_file_of_a_running_job_is_not_there_yet(registry: JobRegistry) -> None:
    gate = Gate()
    job = registry.start("test", "hr:priya", gate)
    try:
        with pytest.raises(Conflict):
            registry.file(job.id)
    finally:
        gate.release.set()
    registry.get(job.id, wait=10)
    with pytest.raises(NotFound):
        registry.file(job.id)


def test_no_more_jobs_run_at_once_than_the_registry_allows(registry: JobRegistry) -> None:
    gates = [Gate(), Gate()]
    for gate in gates:
        registry.start("test", "hr:priya", gate)
    try:
        with pytest.raises(JobsBusy) as refused:
            registry.start("test", "hr:priya", Gate())
        assert refused.value.code == 429
    finally:
        for gate in gates:
            gate.release.set()


def test_a_finished_job_frees_its_place(registry: JobRegistry) -> None:
    first, second = Gate(), Gate()
    started = registry.start("test", "hr:priya", first)
    registry.start("test", "hr:priya", second)
    first.release.set()
    registry.get(started.id, wait=10)
    third = Gate()
    third.release.set()
    assert registry.get(registry.start("test", "hr:priya", third).id, wait=10).state == "done"
    second.release.set()


def test_work_that_raises_fails_its_job_with_a_problem(registry: JobRegistry) -> None:
    def refused(space: Workspace) -> Outcome:
        raise RuleViolated("the plan is not active")

    job = registry.get(registry.start("test", "hr:priya", refused).id, wait=10)
    assert job.state == "failed"
    assert job.problem == {
        "status": 409,
        "title": "Rule violated",
        "detail": "the plan is not active",
    }


def test_a_job_is_hidden_from_everyone_but_who_started_it(registry: JobRegistry) -> None:
    gate = Gate()
    gate.release.set()
    job = registry.start("test", "hr:priya", gate)
    assert registry.get(job.id, "hr:priya", wait=10).state == "done"
    with pytest.raises(NotFound):
        registry.get(job.id, "auditor:kim")


def test_a_finished_job_is_forgotten_with_its_files_after_its_time() -> None:
    now = [1000.0]
    registry = JobRegistry(keep_seconds=60, clock=lambda: now[0])

    def writes(space: Workspace) -> Outcome:
        path = space.folder / "out.txt"
        path.write_text("kept for a while")
        return Outcome({}, file=path, file_name="out.txt")

    job = registry.start("test", "hr:priya", writes)
    assert registry.get(job.id, wait=10).state == "done"
    file = registry.file(job.id).file
    assert file is not None
    now[0] += 59
    assert registry.file(job.id).file == file
    now[0] += 1
    with pytest.raises(NotFound):
        registry.get(job.id)
    assert not file.exists()


def test_no_more_finished_jobs_are_kept_than_the_registry_allows() -> None:
    registry = JobRegistry(max_kept=2)
    ids = []
    for _ in range(3):
        gate = Gate()
        gate.release.set()
        ids.append(registry.start("test", "hr:priya", gate).id)
        registry.get(ids[-1], wait=10)
    registry.start("test", "hr:priya", lambda space: Outcome({}))
    with pytest.raises(NotFound):
        registry.get(ids[0])


# Over HTTP


def finished(client: ApiClient, location: str) -> dict[str, Any]:
    response = client.http.get(location.removeprefix(API), params=WAIT)
    assert response.status_code == 200, response.text
    job: dict[str, Any] = response.json()
    assert job["state"] != "running", job
    return job


def test_a_verification_job_answers_202_and_its_location_tells_the_result(
    auditor: ApiClient,
) -> None:
    response = auditor.post("/ledger/verifications")
    assert response.status_code == 202, response.text
    location = response.headers["Location"]
    assert location == f"{API}/jobs/{response.json()['id']}"
    job = finished(auditor, location)
    assert job["kind"] == "verification"
    assert job["state"] == "done"
    assert job["result"]["ok"] is True
    assert job["result"]["first_bad_position"] is None
    assert job["done"] == job["total"] == job["result"]["checked"] > 0
    assert job["unit"] == "event"
    assert job["file"] is None


def test_a_verification_job_checks_the_ledger_against_a_digest(auditor: ApiClient) -> None:
    digest = auditor.ok("GET", "/ledger/digest")
    response = auditor.post("/ledger/verifications", {"digest": digest})
    assert response.status_code == 202, response.text
    job = finished(auditor, response.headers["Location"])
    assert job["result"] == {
        "ok": True,
        "checked": job["result"]["checked"],
        "first_bad_position": None,
        "problem": None,
        "position": digest["position"],
    }


def test_a_verification_against_a_rewritten_digest_names_its_position(auditor: ApiClient) -> None:
    digest = auditor.ok("GET", "/ledger/digest")
    rewritten = {**digest, "chain_hash": "0" * 64}
    response = auditor.post("/ledger/verifications", {"digest": rewritten})
    job = finished(auditor, response.headers["Location"])
    assert job["state"] == "done"
    assert job["result"]["ok"] is False
    assert job["result"]["first_bad_position"] == digest["position"]


def test_an_evidence_job_gives_the_bundle_as_a_zip(hr: ApiClient, auditor: ApiClient) -> None:
    seat = active_seat(hr)
    hr.ok("POST", f"{seat.kpi()}/measurements", {"value": 87, "effective_date": "2026-06-30"})
    hr.ok("POST", f"{seat.review}/finalize")
    body = {"employee_id": seat.employee_id, "period": seat.q1}
    response = auditor.post("/exports/evidence", body)
    assert response.status_code == 202, response.text
    job = finished(auditor, response.headers["Location"])
    assert job["state"] == "done", job
    assert job["result"]["revisions"] == [1]
    assert job["done"] == job["total"]
    download = auditor.http.get(job["file"].removeprefix(API))
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/zip"
    position = job["result"]["position"]
    expected_name = f"evidence-{seat.employee_id}-{seat.q1}-{position}.zip"
    assert expected_name in download.headers["content-disposition"]
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert {"manifest.json", "events.jsonl", "revisions/1.json", "verify_bundle.py"} <= set(names)


def test_evidence_of_a_plan_that_does_not_exist_is_refused_at_once(auditor: ApiClient) -> None:
    response = auditor.post("/exports/evidence", {"employee_id": "E404x", "period": "FY2026-Q1"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_a_job_without_a_file_has_no_file(auditor: ApiClient) -> None:
    job = finished(auditor, auditor.post("/ledger/verifications").headers["Location"])
    response = auditor.get(f"/jobs/{job['id']}/file")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@pytest.fixture(scope="module")
def world(e2e_ledger: LedgerApp) -> World:
    return build_world(e2e_ledger)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("auditor", 200),
        ("admin", 200),
        ("hr", 404),
        ("manager", 404),
        ("employee", 404),
        ("anonymous", 401),
    ],
)
def test_a_job_is_seen_by_who_started_it_and_by_admins(
    base_url: str, tokens: dict[str, str], world: World, role: str, status: int
) -> None:
    starter = ApiClient(base_url, tokens["auditor"])
    token = {
        "manager": world.manager_token,
        "employee": world.employee_token,
        "anonymous": None,
    }.get(role, tokens.get(role))
    viewer = ApiClient(base_url, token)
    try:
        location = starter.post("/ledger/verifications").headers["Location"]
        finished(starter, location)
        response = viewer.http.get(location.removeprefix(API))
        assert response.status_code == status, response.text
        file = viewer.http.get(location.removeprefix(API) + "/file")
        assert file.status_code == (401 if role == "anonymous" else 404)
    finally:
        starter.close()
        viewer.close()


def test_an_unknown_job_is_not_found(admin: ApiClient) -> None:
    response = admin.get("/jobs/0123456789abcdef0123456789abcdef", params=WAIT)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
