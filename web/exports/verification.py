"""Checking an export with its proofs (``proven``) offline, without the ledger.

Each row must be the row that was exported (its SHA-256 as read back, as proofs.jsonl has
it), name the event its proof is for, and that proof must lead from the event's leaf to the
tree head's root (RFC 9162 2.1.3.2, as the evidence bundle's verifier checks it). The tree
head's and the manifest's signatures are checked (against a trusted key when one is
given), and every file against the manifest. Every problem names the row and the position,
or the file.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ledger.evidence.signing import signature_valid
from ledger.evidence.tree_head import SignedTreeHead
from ledger.evidence.verify_bundle import inclusion_holds
from web.exports.formats import Format
from web.exports.proven import MANIFEST, PROOFS, PROOFS_FORMAT, SIGNATURE, TREE_HEAD
from web.exports.reading import ExportRow, UnreadableExport, export_rows

READ_BYTES = 1 << 20


@dataclass
class ExportCheck:
    """What was checked, and every problem found (none: the export holds)."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_export(path: Path, trusted: str | None = None) -> ExportCheck:
    """Checks the zip at ``path``; ``trusted`` is the hex of the key it must be signed by.

    Raises UnreadableExport when the zip is no export with proofs.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            return checked(archive, trusted)
    except (zipfile.BadZipFile, OSError, KeyError, TypeError, ValueError) as exc:
        raise UnreadableExport(f"{path} is not an export with proofs: {exc}") from None


def checked(archive: zipfile.ZipFile, trusted: str | None) -> ExportCheck:
    manifest = json.loads(archive.read(MANIFEST))
    if manifest.get("format") != PROOFS_FORMAT:
        raise UnreadableExport(f"{MANIFEST} is not of {PROOFS_FORMAT}")
    head = SignedTreeHead.from_dict(json.loads(archive.read(TREE_HEAD)))
    check = ExportCheck()
    check.problems += file_problems(archive, manifest)
    check.lines.append(signatures(archive, head, trusted, check.problems))
    fmt, name = Format(manifest["export_format"]), manifest["export_file"]
    with archive.open(name) as export, archive.open(PROOFS) as proofs:
        count = row_problems(export_rows(fmt, seekable(fmt, export)), proof_lines(proofs), head)
    rows, problems = count
    check.problems += problems
    check.lines[:0] = [
        f"{name}: {rows} rows at position {manifest['position']},"
        f" chain hash {manifest['chain_hash']}",
        f"{rows} inclusion proofs checked against the tree head of {head.tree_size} events,"
        f" root {head.root_hash}",
    ]
    return check


def file_problems(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> list[str]:
    problems = []
    listed: dict[str, Any] = manifest.get("files", {})
    for name, entry in sorted(listed.items()):
        if name not in archive.namelist():
            problems.append(f"MISSING file {name}: listed in the manifest")
            continue
        if member_sha256(archive, name) != entry.get("sha256"):
            problems.append(f"TAMPERED file {name}: its SHA-256 differs from the manifest's")
    return problems


def member_sha256(archive: zipfile.ZipFile, name: str) -> str:
    digest = hashlib.sha256()
    with archive.open(name) as file:
        while chunk := file.read(READ_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def signatures(
    archive: zipfile.ZipFile, head: SignedTreeHead, trusted: str | None, problems: list[str]
) -> str:
    """A line saying what was checked; problems are added to ``problems``."""
    signed = {TREE_HEAD: (head.public_key, head.signature, head.payload())}
    if SIGNATURE in archive.namelist():
        seal = json.loads(archive.read(SIGNATURE))
        signed[MANIFEST] = (seal.get("public_key"), seal.get("signature"), archive.read(MANIFEST))
    present = {name: value for name, value in signed.items() if value[1] is not None}
    if not present:
        if trusted is not None:
            problems.append("UNSIGNED: a trusted public key was given")
        return "signatures: none (the export is not signed)"
    for name, (public_key, signature, message) in sorted(present.items()):
        if trusted is not None and public_key != trusted.lower():
            problems.append(f"SIGNATURE of {name}: signed by another key than the trusted one")
        elif not signature_valid(str(public_key), str(signature), message):
            problems.append(f"SIGNATURE of {name}: does not match its content")
    keys = ", ".join(sorted({str(value[0]) for value in present.values()}))
    return f"signatures: checked ({', '.join(sorted(present))}; key {keys})"


def row_problems(
    rows: Iterator[ExportRow], proofs: Iterator[dict[str, Any]], head: SignedTreeHead
) -> tuple[int, list[str]]:
    """Each row beside its proof; the rows read, and the problems."""
    problems, count = [], 0
    root = bytes.fromhex(head.root_hash)
    for row in rows:
        count += 1
        proof = next(proofs, None)
        problem = row_problem(row, proof, head.tree_size, root)
        if problem is not None:
            problems.append(
                f"{problem[0]} row {row.number} (position {row.position}): {problem[1]}"
            )
    for proof in proofs:
        problems.append(
            f"MISSING row {proof.get('row')} (position {proof.get('position')}):"
            " proven but not in the export"
        )
    return count, problems


def row_problem(
    row: ExportRow, proof: dict[str, Any] | None, size: int, root: bytes
) -> tuple[str, str] | None:
    if proof is None or proof.get("row") != row.number:
        return "UNPROVEN", "no inclusion proof for this row"
    if proof.get("position") != row.position or proof.get("event_hash") != row.event_hash:
        return "UNPROVEN", "the proof is for another event than the row names"
    if proof.get("row_sha256") != row.sha256:
        return "TAMPERED", "its content differs from the row exported"
    try:
        event_hash = bytes.fromhex(row.event_hash.removeprefix("sha256:"))
        path = [bytes.fromhex(node) for node in proof["audit_path"]]
        index = int(proof["leaf_index"])
    except (KeyError, TypeError, ValueError):
        return "UNPROVEN", "its proof cannot be read"
    leaf = hashlib.sha256(b"\x00" + event_hash).digest()
    if proof.get("tree_size") != size or leaf.hex() != proof.get("leaf_hash"):
        return "UNPROVEN", "its proof is not for the tree head's tree"
    if not inclusion_holds(leaf, index, size, path, root):
        return "UNPROVEN", "its inclusion proof does not lead to the tree head's root"
    return None


def proof_lines(file: IO[bytes]) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(file, start=1):
        try:
            proof = json.loads(line)
        except ValueError as exc:
            raise UnreadableExport(f"{PROOFS} line {number} is not JSON: {exc}") from None
        if not isinstance(proof, dict):
            raise UnreadableExport(f"{PROOFS} line {number} is not a proof")
        yield proof


def seekable(fmt: Format, file: IO[bytes]) -> IO[bytes]:
    """A workbook is read whole (a zip inside a zip); the text formats stream."""
    return io.BytesIO(file.read()) if fmt is Format.XLSX else file
