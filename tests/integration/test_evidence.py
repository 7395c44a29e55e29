"""Evidence bundles: written from the ledger, checked offline by the script inside them."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.errors import NotFound
from ledger.evidence import generate_key_file, write_evidence
from ledger.evidence import verify_bundle as verifier
from ledger.store.database import DatabaseAddress
from ledger.values import TargetSpec
from tests.integration.support import HR, Seat, new_id, recorded, seat_with_active_plan

MEASURED = "87"


def reviewed_twice(app: LedgerApp) -> tuple[Seat, int]:
    """A seat whose review was finalised, reopened after an adjustment and finalised again;
    with the position of its measurement."""
    seat = seat_with_active_plan(app)
    measured = recorded(app, seat, MEASURED).position
    app.finalize_review(HR, seat.employee_id, seat.q1)
    app.reopen_review(HR, seat.employee_id, seat.q1, reason="a region moved")
    app.adjust_target(
        HR,
        seat.employee_id,
        seat.cycle_id,
        "retention",
        TargetSpec(Decimal(85)),
        period=seat.q1,
        reason="two key accounts moved to a new region",
    )
    app.finalize_review(HR, seat.employee_id, seat.q1)
    return seat, measured


def run_verifier(
    bundle: Path, *args: str, plain: bool = True, script: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The bundle's own script; ``plain`` runs Python without site-packages."""
    if script is None:
        script = bundle.with_suffix(".verify.py")
        with zipfile.ZipFile(bundle) as archive:
            script.write_bytes(archive.read("verify_bundle.py"))
    flags = ["-I", "-S"] if plain else ["-I"]
    return subprocess.run(
        [sys.executable, *flags, str(script), str(bundle), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def signing(tmp_path: Path, settings: Settings) -> Settings:
    key = tmp_path / "ledger.key"
    generate_key_file(key)
    return replace(settings, signing_key=key)


def test_a_bundle_holds_the_events_revisions_explanations_digest_and_manifest(
    app: LedgerApp, tmp_path: Path, signing: Settings
) -> None:
    seat, _ = reviewed_twice(app)
    path = tmp_path / "evidence.zip"

    bundle = write_evidence(app, seat.employee_id, seat.q1, path, settings=signing)

    assert bundle.revisions == (1, 2)
    assert bundle.signed
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        files = {name: archive.read(name) for name in names}
    assert names == {
        "events.jsonl",
        "review.json",
        "revisions/1.json",
        "revisions/2.json",
        "explanations/revision-1-to-2.json",
        "restatement.json",
        "scorecard.json",
        "digest.json",
        "tree_head.json",
        "proofs.jsonl",
        "anchors.jsonl",
        "verify_bundle.py",
        "README.txt",
        "manifest.json",
        "signature.json",
    }
    events = [json.loads(line) for line in files["events.jsonl"].decode().splitlines()]
    assert len(events) == bundle.events
    assert [event["event_type"] for event in events][:2] == ["ReviewCycle.Opened", "Plan.Drafted"]
    assert all(event["previous_chain_hash"] for event in events)
    for revision in (1, 2):
        assert json.loads(files[f"revisions/{revision}.json"])["matches"] is True
    explanation = json.loads(files["explanations/revision-1-to-2.json"])
    assert explanation["to"]["score"] == "102.35"
    assert explanation["steps"][-1]["event_type"] == "Plan.TargetAdjusted"
    assert json.loads(files["digest.json"])["position"] == bundle.position
    manifest = json.loads(files["manifest.json"])
    assert set(manifest["files"]) == names - {"manifest.json", "signature.json"}


def test_the_bundle_checks_out_with_the_standard_library_alone(
    app: LedgerApp, tmp_path: Path, signing: Settings
) -> None:
    seat, _ = reviewed_twice(app)
    path = tmp_path / "evidence.zip"
    bundle = write_evidence(app, seat.employee_id, seat.q1, path, settings=signing)

    result = run_verifier(path)

    assert result.returncode == 0, result.stderr
    assert f"{bundle.events} events checked" in result.stdout
    assert "signatures: skipped (the cryptography package is not installed)" in result.stdout


def test_the_bundle_checks_its_signatures_when_cryptography_is_there(
    app: LedgerApp, tmp_path: Path, signing: Settings
) -> None:
    seat, _ = reviewed_twice(app)
    path = tmp_path / "evidence.zip"
    write_evidence(app, seat.employee_id, seat.q1, path, settings=signing)
    other_key = generate_key_file(tmp_path / "other.key")

    checked = run_verifier(path, plain=False)
    assert checked.returncode == 0, checked.stderr
    assert "signatures: checked (digest.json, manifest.json, tree_head.json; key" in (
        checked.stdout
    )

    pinned = run_verifier(path, "--public-key", other_key, plain=False)
    assert pinned.returncode == 1
    assert "SIGNATURE of manifest.json: signed by another key" in pinned.stderr


def test_an_unpacked_bundle_checks_out_from_its_own_folder_until_a_file_changes(
    app: LedgerApp, tmp_path: Path, settings: Settings
) -> None:
    seat, _ = reviewed_twice(app)
    path = tmp_path / "evidence.zip"
    write_evidence(app, seat.employee_id, seat.q1, path, settings=settings)
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(folder)
    script = folder / "verify_bundle.py"

    intact = subprocess.run(
        [sys.executable, "-I", "-S", str(script)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert intact.returncode == 0, intact.stderr
    assert "signatures: none (the bundle is not signed)" in intact.stdout

    card = folder / "scorecard.json"
    card.write_text(card.read_text().replace('"score": "102.35"', '"score": "120.00"'))
    changed = run_verifier(folder, script=script)
    assert changed.returncode == 1
    assert "TAMPERED file scorecard.json" in changed.stderr


def test_a_tampered_event_fails_the_bundle_naming_its_position(
    own_app: LedgerApp, fresh_database: DatabaseAddress, tmp_path: Path, settings: Settings
) -> None:
    seat, measured = reviewed_twice(own_app)
    with psycopg.connect(fresh_database.conninfo(), autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute(
            "UPDATE ledger_events SET state = convert_to(replace(convert_from(state, 'UTF8'),"
            " %s, '\"97\"'), 'UTF8') WHERE notification_id = %s",
            (f'"{MEASURED}"', measured),
        )
    path = tmp_path / "evidence.zip"

    write_evidence(own_app, seat.employee_id, seat.q1, path, settings=settings)
    result = run_verifier(path)

    assert result.returncode == 1
    assert f"TAMPERED at position {measured}: event bytes do not match" in result.stderr
    assert "REVISION 1 does not reproduce" in result.stderr
    assert own_app.verify().first_bad_position == measured


def test_the_same_position_gives_the_same_bundle_bytes(
    own_app: LedgerApp, tmp_path: Path, signing: Settings
) -> None:
    seat, _ = reviewed_twice(own_app)
    first, second = tmp_path / "first.zip", tmp_path / "second.zip"

    write_evidence(own_app, seat.employee_id, seat.q1, first, settings=signing)
    write_evidence(own_app, seat.employee_id, seat.q1, second, settings=signing)

    assert first.read_bytes() == second.read_bytes()


def test_progress_is_reported_up_to_the_total(
    app: LedgerApp, tmp_path: Path, settings: Settings
) -> None:
    seat, _ = reviewed_twice(app)
    reports: list[tuple[int, int]] = []

    write_evidence(
        app,
        seat.employee_id,
        seat.q1,
        tmp_path / "evidence.zip",
        lambda done, total: reports.append((done, total)),
        settings=settings,
    )

    assert [done for done, _ in reports] == list(range(1, len(reports) + 1))
    assert reports[-1][0] == reports[-1][1]


def test_a_bundle_needs_a_plan(app: LedgerApp, tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(NotFound):
        write_evidence(app, new_id("E"), "FY2026-Q1", tmp_path / "none.zip", settings=settings)
    assert not list(tmp_path.iterdir())


def test_an_event_rewritten_in_the_bundle_with_its_hashes_made_anew_fails_its_inclusion_proof(
    app: LedgerApp, tmp_path: Path, settings: Settings
) -> None:
    seat, measured = reviewed_twice(app)
    path = tmp_path / "evidence.zip"
    write_evidence(app, seat.employee_id, seat.q1, path, settings=settings)
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(folder)
    events = [json.loads(line) for line in (folder / "events.jsonl").read_text().splitlines()]
    [event] = [e for e in events if e["position"] == measured]
    event["state"] = event["state"].replace(f'"{MEASURED}"', '"97"')
    digest = verifier.event_hash(
        event["originator_id"], event["version"], event["topic"], event["state"].encode()
    )
    event["event_hash"] = digest.hex()
    previous = bytes.fromhex(event["previous_chain_hash"])
    event["chain_hash"] = verifier.link_hash(
        previous, digest, event["position"], event["recorded_at"]
    ).hex()
    (folder / "events.jsonl").write_text(
        "".join(json.dumps(e, sort_keys=True, ensure_ascii=False) + "\n" for e in events)
    )
    manifest = json.loads((folder / "manifest.json").read_text())
    for name, entry in manifest["files"].items():
        data = (folder / name).read_bytes()
        entry.update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")

    result = run_verifier(folder, script=folder / "verify_bundle.py")

    assert result.returncode == 1
    assert "TAMPERED file" not in result.stderr
    assert f"UNPROVEN at position {measured}: its inclusion proof does not lead" in result.stderr
