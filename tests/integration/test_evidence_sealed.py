"""A bundle that carries the employee's data key: its verifier opens each sealed text."""

from __future__ import annotations

import base64
import json
import zipfile
from pathlib import Path

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.domain.personal import ERASED
from ledger.evidence import write_evidence
from tests.integration.personal_story import PersonalStory, told
from tests.integration.support import HR
from tests.integration.test_evidence import run_verifier


def bundle_of(app: LedgerApp, story: PersonalStory, path: Path, settings: Settings) -> Path:
    seat = story.seat
    write_evidence(app, seat.employee_id, seat.q1, path, settings=settings, include_key=True)
    return path


def test_the_verifier_opens_and_authenticates_every_sealed_text_with_the_key(
    app: LedgerApp, tmp_path: Path, settings: Settings
) -> None:
    path = bundle_of(app, told(app), tmp_path / "evidence.zip", settings)

    result = run_verifier(path, plain=False)

    assert result.returncode == 0, result.stderr
    assert "opened and authenticated (AES-256-GCM)" in result.stdout
    assert " 0 of " not in result.stdout


def test_the_verifier_says_when_it_cannot_decrypt(
    app: LedgerApp, tmp_path: Path, settings: Settings
) -> None:
    story = told(app)
    with_key = bundle_of(app, story, tmp_path / "with-key.zip", settings)
    without_key = tmp_path / "without-key.zip"
    write_evidence(app, story.seat.employee_id, story.seat.q1, without_key, settings=settings)

    no_library = run_verifier(with_key)
    no_key = run_verifier(without_key, plain=False)

    assert no_library.returncode == 0, no_library.stderr
    assert "NOT DECRYPTED (the cryptography package is not installed" in no_library.stdout
    assert no_key.returncode == 0, no_key.stderr
    assert "not opened (the bundle carries no data key" in no_key.stdout


def test_a_sealed_text_that_does_not_authenticate_fails_naming_its_event(
    app: LedgerApp, tmp_path: Path, settings: Settings
) -> None:
    path = bundle_of(app, told(app), tmp_path / "evidence.zip", settings)
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(folder)
    events = [json.loads(line) for line in (folder / "events.jsonl").read_text().splitlines()]
    noted = next(e for e in events if e["topic"].endswith("MeasurementRecorded"))
    state = json.loads(noted["state"])
    blob = bytearray(base64.b64decode(state["note"]["_data_"]["b"]))
    blob[-1] ^= 1
    state["note"]["_data_"]["b"] = base64.b64encode(bytes(blob)).decode()
    noted["state"] = json.dumps(state)
    lines = [json.dumps(event) for event in events]
    (folder / "events.jsonl").write_text("\n".join(lines) + "\n")

    result = run_verifier(folder, plain=False, script=folder / "verify_bundle.py")

    assert result.returncode == 1
    where = f"at position {noted['position']} (ledger:MeasurementLog.MeasurementRecorded"
    assert f"SEAL BROKEN {where}, field note)" in result.stderr


def test_a_bundle_of_an_erased_employee_shows_the_erasure_and_still_verifies(
    app: LedgerApp, tmp_path: Path, settings: Settings
) -> None:
    story = told(app)
    app.erase_employee(
        HR, story.seat.employee_id, reason="left in 2019", legal_basis="GDPR Art. 17(1)(a)"
    )
    path = bundle_of(app, story, tmp_path / "evidence.zip", settings)

    result = run_verifier(path, plain=False)

    assert result.returncode == 0, result.stderr
    assert "erased (the employee's data key was destroyed" in result.stdout
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name).decode() for name in archive.namelist()}
    assert json.loads(files["data_key.json"])["erased"] is True
    assert ERASED in files["review.json"]
    assert not [name for name, text in files.items() if story.mark in text]
