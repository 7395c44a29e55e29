"""Exports with proofs, from a signing server: the export inside unchanged, every row proven
against the signed tree head, and `ledger verify-export` naming the row that does not hold."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.evidence import generate_key_file
from tests.e2e.client import ApiClient, active_seat
from tests.e2e.serving import served
from web.cli.main import main

AUDIT = "/exports/audit"


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def rfc9162_root(leaf: bytes, index: int, size: int, path: list[bytes]) -> bytes:
    """RFC 9162 2.1.3.2 written out again, apart from the code under test."""
    fn, sn, r = index, size - 1, leaf
    for p in path:
        assert sn > 0
        if fn % 2 == 1 or fn == sn:
            r = sha(b"\x01" + p + r)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn // 2, sn // 2
        else:
            r = sha(b"\x01" + r + p)
        fn, sn = fn // 2, sn // 2
    assert sn == 0
    return r


@dataclass(frozen=True)
class Exported:
    employee_id: str
    position: int


@pytest.fixture(scope="module")
def public_key(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    key_file = tmp_path_factory.mktemp("keys") / "ledger.key"
    return key_file, generate_key_file(key_file)


@pytest.fixture(scope="module")
def signing_url(
    e2e_ledger: LedgerApp, e2e_settings: Settings, public_key: tuple[Path, str]
) -> Iterator[str]:
    with served(e2e_ledger, replace(e2e_settings, signing_key=public_key[0])) as url:
        yield url


@pytest.fixture
def signing_auditor(signing_url: str, tokens: dict[str, str]) -> Iterator[ApiClient]:
    client = ApiClient(signing_url, tokens["auditor"])
    yield client
    client.close()


@pytest.fixture
def exported(hr: ApiClient) -> Exported:
    seat = active_seat(hr)
    for day, value in (("2026-04-30", 80), ("2026-05-31", 85), ("2026-06-30", 88)):
        hr.ok("POST", f"{seat.kpi()}/measurements", {"value": value, "effective_date": day})
    return Exported(seat.employee_id, hr.head_position())


def download(client: ApiClient, path: str, folder: Path, name: str = "export.zip") -> Path:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    target = folder / name
    target.write_bytes(response.content)
    return target


def audit_zip(client: ApiClient, exported: Exported, folder: Path, fmt: str = "csv") -> Path:
    query = f"format={fmt}&employee_id={exported.employee_id}&position={exported.position}"
    return download(client, f"{AUDIT}?{query}&proofs=true", folder)


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rewritten(path: Path, name: str, data: bytes) -> Path:
    """The zip at ``path`` with one member's bytes replaced, beside it."""
    files = members(path) | {name: data}
    target = path.with_name(f"changed-{path.name}")
    with zipfile.ZipFile(target, "w") as archive:
        for member, content in files.items():
            archive.writestr(member, content)
    return target


def verify(path: Path, *options: str) -> Result:
    return CliRunner().invoke(main, ["verify-export", str(path), *options])


def export_name(path: Path) -> str:
    return str(json.loads(members(path)["manifest.json"])["export_file"])


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx"])
def test_the_export_inside_is_the_plain_export_and_every_row_verifies(
    signing_auditor: ApiClient, exported: Exported, tmp_path: Path, fmt: str
) -> None:
    path = audit_zip(signing_auditor, exported, tmp_path, fmt)
    query = f"format={fmt}&employee_id={exported.employee_id}&position={exported.position}"
    plain = signing_auditor.get(f"{AUDIT}?{query}")
    assert members(path)[export_name(path)] == plain.content
    result = verify(path)
    assert result.exit_code == 0, result.output
    assert "signatures: checked (manifest.json, tree_head.json" in result.output
    assert "ok: every row is proven in the signed tree head" in result.output


def test_the_csv_inside_opens_with_its_column_names_and_the_zip_is_the_same_at_its_position(
    signing_auditor: ApiClient, exported: Exported, tmp_path: Path
) -> None:
    first = audit_zip(signing_auditor, exported, tmp_path)
    again = signing_auditor.get(
        f"{AUDIT}?employee_id={exported.employee_id}&position={exported.position}&proofs=true"
    )
    assert again.content == first.read_bytes()
    table = list(csv.reader(io.StringIO(members(first)[export_name(first)].decode(), newline="")))
    assert table[0][:2] == ["position", "recorded_at"]
    assert len(table) - 1 == json.loads(members(first)["manifest.json"])["rows"] >= 5


def test_each_rows_proof_checks_with_an_independent_rfc9162_verifier(
    signing_auditor: ApiClient, exported: Exported, tmp_path: Path, public_key: tuple[Path, str]
) -> None:
    files = members(audit_zip(signing_auditor, exported, tmp_path, "jsonl"))
    head = json.loads(files["tree_head.json"])
    signed = {key: head[key] for key in ("position", "recorded_at", "root_hash", "tree_size")}
    payload = json.dumps(signed, sort_keys=True, separators=(",", ":")).encode()
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key[1]))
    key.verify(bytes.fromhex(head["signature"]), payload)
    rows = [json.loads(line) for line in files[export_name_of(files)].splitlines()]
    proofs = [json.loads(line) for line in files["proofs.jsonl"].splitlines()]
    assert [proof["position"] for proof in proofs] == [row["position"] for row in rows]
    for row, proof in zip(rows, proofs, strict=True):
        leaf = sha(b"\x00" + bytes.fromhex(row["event_hash"]))
        path = [bytes.fromhex(node) for node in proof["audit_path"]]
        root = rfc9162_root(leaf, proof["leaf_index"], head["tree_size"], path)
        assert root.hex() == head["root_hash"]


def export_name_of(files: dict[str, bytes]) -> str:
    return str(json.loads(files["manifest.json"])["export_file"])


def test_a_changed_proof_is_named_by_its_row_and_position(
    signing_auditor: ApiClient, exported: Exported, tmp_path: Path
) -> None:
    path = audit_zip(signing_auditor, exported, tmp_path)
    lines = members(path)["proofs.jsonl"].decode().splitlines()
    proof = json.loads(lines[2])
    proof["audit_path"][0] = "00" * 32
    lines[2] = json.dumps(proof, sort_keys=True)
    result = verify(rewritten(path, "proofs.jsonl", ("\n".join(lines) + "\n").encode()))
    assert result.exit_code == 1
    assert (
        f"UNPROVEN row 3 (position {proof['position']}): its inclusion proof does not lead"
        " to the tree head's root"
    ) in result.output
    assert "TAMPERED file proofs.jsonl" in result.output


def test_a_changed_row_is_named_by_its_number_and_position(
    signing_auditor: ApiClient, exported: Exported, tmp_path: Path
) -> None:
    path = audit_zip(signing_auditor, exported, tmp_path)
    name = export_name(path)
    table = list(csv.reader(io.StringIO(members(path)[name].decode(), newline="")))
    actor = table[0].index("actor")
    table[4][actor] = "hr:someone-else"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(table)
    result = verify(rewritten(path, name, out.getvalue().encode()))
    assert result.exit_code == 1
    assert (
        f"TAMPERED row 4 (position {table[4][0]}): its content differs from the row exported"
    ) in result.output
    assert "FAILED: 2 problem(s)" in result.output  # the row and the file, no other row


def test_a_row_naming_another_event_and_a_removed_row_are_named(
    signing_auditor: ApiClient, exported: Exported, tmp_path: Path
) -> None:
    path = audit_zip(signing_auditor, exported, tmp_path, "jsonl")
    name = export_name(path)
    lines = members(path)[name].decode().splitlines()
    row = json.loads(lines[1])
    row["event_hash"] = hashlib.sha256(b"forged").hexdigest()
    last = json.loads(lines[-1])
    lines[1] = json.dumps(row, separators=(",", ":"))
    result = verify(rewritten(path, name, ("\n".join(lines[:-1]) + "\n").encode()))
    assert result.exit_code == 1
    assert (
        f"UNPROVEN row 2 (position {row['position']}): the proof is for another event"
    ) in result.output
    assert f"MISSING row {len(lines)} (position {last['position']})" in result.output


def test_a_tree_head_with_another_root_fails_its_signature(
    signing_auditor: ApiClient, exported: Exported, tmp_path: Path
) -> None:
    path = audit_zip(signing_auditor, exported, tmp_path)
    head = json.loads(members(path)["tree_head.json"])
    head["root_hash"] = "ab" * 32
    result = verify(rewritten(path, "tree_head.json", json.dumps(head).encode()))
    assert result.exit_code == 1
    assert "SIGNATURE of tree_head.json: does not match its content" in result.output
    assert "UNPROVEN row 1 " in result.output


def test_a_trusted_key_other_than_the_signers_is_refused(
    signing_auditor: ApiClient, exported: Exported, tmp_path: Path
) -> None:
    path = audit_zip(signing_auditor, exported, tmp_path)
    generate_key_file(tmp_path / "other.key")
    result = verify(path, "--public-key", str(tmp_path / "other.key.pub"))
    assert result.exit_code == 1
    assert "SIGNATURE of manifest.json: signed by another key than the trusted one" in result.output


def test_the_register_with_proofs_verifies(
    signing_auditor: ApiClient, exported: Exported, tmp_path: Path
) -> None:
    query = f"employee_id={exported.employee_id}&format=xlsx&proofs=true"
    path = download(signing_auditor, f"/exports/target-revisions?{query}", tmp_path)
    result = verify(path)
    assert result.exit_code == 0, result.output
    assert json.loads(members(path)["manifest.json"])["rows"] >= 1


def test_a_file_that_is_no_export_with_proofs_cannot_be_checked(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    result = verify(junk)
    assert result.exit_code == 2
    assert "is not an export with proofs" in result.output


def test_proofs_that_are_not_a_boolean_are_refused_and_nothing_is_written(
    auditor: ApiClient,
) -> None:
    before = auditor.head_position()
    refused = auditor.get(f"{AUDIT}?proofs=maybe")
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert "proofs" in refused.json()["errors"]
    assert auditor.head_position() == before


def test_an_unsigned_server_gives_an_export_that_says_it_is_unsigned(
    auditor: ApiClient, exported: Exported, tmp_path: Path
) -> None:
    path = audit_zip(auditor, exported, tmp_path)
    result = verify(path)
    assert result.exit_code == 0, result.output
    assert "signatures: none (the export is not signed)" in result.output
