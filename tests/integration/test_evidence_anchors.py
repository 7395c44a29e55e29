"""Evidence bundles against an anchor: an auditor holding one bundle and one anchored tree head
proves offline that the bundle's history extends the anchor, and a history cut short or
recomputed since the anchor fails, naming it."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import psycopg
import pytest

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.evidence import generate_key_file, write_evidence
from ledger.evidence.anchoring import anchor_now
from ledger.store.database import DatabaseAddress
from tests.integration.support import recorded, seat_with_active_plan
from tests.integration.test_anchors import TABLES, recompute_chain_and_tree, register
from tests.integration.test_evidence import run_verifier


@dataclass(frozen=True)
class Kept:
    """A ledger with an anchor kept, and the seat whose bundle is checked against it."""

    settings: Settings
    employee_id: str
    period: str
    anchor: Path
    anchored_position: int


@pytest.fixture
def kept(own_app: LedgerApp, settings: Settings, tmp_path: Path) -> Kept:
    """A seat with a measurement, six registrations, an anchor of them, three more."""
    key = tmp_path / "ledger.key"
    generate_key_file(key)
    config = replace(settings, anchor_dir=tmp_path / "anchors", signing_key=key)
    seat = seat_with_active_plan(own_app)
    recorded(own_app, seat, "87")
    register(own_app, 6)
    anchor = anchor_now(own_app.tree, config)
    assert anchor is not None
    anchored_position = own_app.head_position()
    register(own_app, 3)
    assert config.anchor_dir is not None
    path = config.anchor_dir / anchor.name
    return Kept(config, seat.employee_id, seat.q1, path, anchored_position)


@pytest.fixture
def superuser(fresh_database: DatabaseAddress) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """A connection that has switched the ledger's guards off, as a superuser can."""
    with psycopg.connect(fresh_database.conninfo(), autocommit=True) as conn:
        for table in TABLES:
            conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        yield conn
        for table in TABLES:
            conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")


def bundle_of(app: LedgerApp, kept: Kept, path: Path) -> Path:
    write_evidence(app, kept.employee_id, kept.period, path, settings=kept.settings)
    return path


def test_a_bundle_proves_its_history_extends_an_older_anchor(
    own_app: LedgerApp, kept: Kept, tmp_path: Path
) -> None:
    path = bundle_of(own_app, kept, tmp_path / "evidence.zip")
    with zipfile.ZipFile(path) as archive:
        [line] = archive.read("anchors.jsonl").decode().splitlines()
    assert json.loads(line)["anchor"] == kept.anchor.name

    checked = run_verifier(path, "--anchor", str(kept.anchor), plain=False)
    plain = run_verifier(path, "--anchor", str(kept.anchor))

    assert checked.returncode == 0, checked.stderr
    assert f"anchor {kept.anchor.name} signature: checked (key" in checked.stdout
    assert f"anchor {kept.anchor.name}: the bundle's history agrees with it" in checked.stdout
    assert f"extends anchor {kept.anchor.name}" in checked.stdout
    assert plain.returncode == 0, plain.stderr
    assert "signature: skipped (the cryptography package is not installed)" in plain.stdout


def test_a_bundle_older_than_the_anchor_is_checked_the_other_way_with_a_proof_given(
    own_app: LedgerApp, settings: Settings, tmp_path: Path
) -> None:
    config = replace(settings, anchor_dir=tmp_path / "anchors")
    seat = seat_with_active_plan(own_app)
    path = tmp_path / "evidence.zip"
    bundle = write_evidence(own_app, seat.employee_id, seat.q1, path, settings=config)
    register(own_app, 4)
    anchor = anchor_now(own_app.tree, config)
    assert anchor is not None
    assert config.anchor_dir is not None
    anchor_file = config.anchor_dir / anchor.name
    older = own_app.tree.size_at(bundle.position)
    proof = tmp_path / "consistency.json"
    proof.write_text(json.dumps(own_app.tree.consistency(older, anchor.head.tree_size).to_dict()))

    undecided = run_verifier(path, "--anchor", str(anchor_file))
    proven = run_verifier(path, "--anchor", str(anchor_file), "--consistency", str(proof))

    assert undecided.returncode == 3, undecided.stderr
    assert f"smaller than anchor {anchor.name}'s" in undecided.stdout
    assert f"anchor {anchor.name}: CANNOT CHECK the bundle against it" in undecided.stdout
    assert f"from={older}&to={anchor.head.tree_size}" in undecided.stdout
    assert proven.returncode == 0, proven.stderr
    assert f"anchor {anchor.name}: the bundle's history agrees with it" in proven.stdout


def test_a_bundle_made_after_the_last_events_were_deleted_fails_against_the_anchor(
    own_app: LedgerApp,
    kept: Kept,
    superuser: psycopg.Connection[tuple[object, ...]],
    fresh_database: DatabaseAddress,
    tmp_path: Path,
) -> None:
    last = [
        r[0]
        for r in superuser.execute(
            "SELECT position FROM ledger_events_chain ORDER BY position DESC LIMIT 5"
        ).fetchall()
    ]
    for table, column in (
        ("ledger_events", "notification_id"),
        ("ledger_events_chain", "position"),
    ):
        superuser.execute(f"DELETE FROM {table} WHERE {column} = ANY(%s)", (last,))
    recompute_chain_and_tree(superuser, fresh_database)
    assert own_app.verify().ok
    path = bundle_of(own_app, kept, tmp_path / "evidence.zip")

    result = run_verifier(path, "--anchor", str(kept.anchor))

    assert result.returncode == 1
    assert f"ANCHOR {kept.anchor.name}: the bundle's history does not extend it" in result.stderr
    assert "the history was cut short" in result.stderr
    assert "TAMPERED" not in result.stderr


def test_a_bundle_made_after_an_event_was_changed_and_the_hashes_recomputed_fails_the_anchor(
    own_app: LedgerApp,
    kept: Kept,
    superuser: psycopg.Connection[tuple[object, ...]],
    fresh_database: DatabaseAddress,
    tmp_path: Path,
) -> None:
    changed = superuser.execute(
        "UPDATE ledger_events SET state = convert_to(replace(convert_from(state, 'UTF8'),"
        " '\"Sales\"', '\"Legal\"'), 'UTF8') WHERE notification_id = (SELECT max(notification_id)"
        " FROM ledger_events WHERE notification_id <= %s)",
        (kept.anchored_position,),
    )
    assert changed.rowcount == 1
    recompute_chain_and_tree(superuser, fresh_database)
    assert own_app.verify().ok
    path = bundle_of(own_app, kept, tmp_path / "evidence.zip")

    against = run_verifier(path, "--anchor", str(kept.anchor))
    alone = run_verifier(path)

    assert against.returncode == 1
    assert f"ANCHOR {kept.anchor.name}: the bundle's history does not extend it" in against.stderr
    assert "the history up to the anchor was changed" in against.stderr
    assert "TAMPERED" not in against.stderr
    assert alone.returncode == 1
    assert f"ANCHOR {kept.anchor.name}" in alone.stderr


def test_a_consistency_proof_altered_in_the_bundle_fails_naming_the_anchor(
    own_app: LedgerApp, kept: Kept, tmp_path: Path
) -> None:
    path = bundle_of(own_app, kept, tmp_path / "evidence.zip")
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(folder)
    [entry] = [json.loads(line) for line in (folder / "anchors.jsonl").read_text().splitlines()]
    first = entry["consistency"]["proof"][0]
    entry["consistency"]["proof"][0] = first[::-1]
    (folder / "anchors.jsonl").write_text(json.dumps(entry, sort_keys=True) + "\n")
    manifest = json.loads((folder / "manifest.json").read_text())
    data = (folder / "anchors.jsonl").read_bytes()
    manifest["files"]["anchors.jsonl"].update(
        sha256=hashlib.sha256(data).hexdigest(), bytes=len(data)
    )
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")

    result = run_verifier(folder, "--anchor", str(kept.anchor), script=folder / "verify_bundle.py")

    assert result.returncode == 1
    assert "TAMPERED file" not in result.stderr
    assert f"ANCHOR {kept.anchor.name}: the bundle's history does not extend it" in result.stderr
    assert "does not hold" in result.stderr
