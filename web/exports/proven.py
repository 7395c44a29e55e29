"""An export with its proofs: one zip holding the export exactly as it is without them, the
signed tree head at the export's position, and each row's inclusion proof against it.

The proofs travel beside the export rather than inside it. The compliance user opens the
CSV, JSON Lines or workbook in the zip as any other export (column names first, the same
columns, byte for byte the file the plain export gives at that position); a proof column
would add a kilobyte of hashes to every row of a spreadsheet nobody reads them in, and a
workbook has nowhere to keep the tree head they are checked against. The auditor gets
everything a check needs in one file, laid out as an evidence bundle is:

  <kind>-<position>.<format>   the export, unchanged
  tree_head.json               the Merkle tree at the position, signed (as evidence bundles)
  proofs.jsonl                 one line per row: its number, the SHA-256 of its content as
                               read back (``reading``), and the inclusion proof of the event
                               it names, in the shape evidence bundles list them
  manifest.json                what the zip is and the SHA-256 of every file above
  signature.json               Ed25519 over manifest.json, when the ledger has a key

The same position and key give the same bytes (Ed25519 signatures are deterministic; every
entry carries the export's recorded time). ``ledger verify-export`` checks it offline.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from tempfile import SpooledTemporaryFile
from typing import IO

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.evidence.signing import load_private_key, public_key_hex, sign
from ledger.evidence.tree_head import SignedTreeHead, proof_line
from web.exports.columns import Column
from web.exports.comma_separated import csv_chunks
from web.exports.formats import Format
from web.exports.header import ExportHeader
from web.exports.json_lines import jsonl_chunks
from web.exports.reading import ExportRow, export_rows
from web.exports.workbook import FixedTimeZip, workbook_time, write_xlsx

PROOFS_FORMAT = "ledger-export-proofs-v1"
TREE_HEAD = "tree_head.json"
PROOFS = "proofs.jsonl"
MANIFEST = "manifest.json"
SIGNATURE = "signature.json"
README = "README.txt"
SPOOL_BYTES = 8 << 20
COPY_BYTES = 1 << 20
BATCH = 1000
"""Rows whose proofs are read together: two round trips per batch."""

README_TEXT = """Export of the Performance Ledger with inclusion proofs ({format})

{export_file}: the {kind} export at position {position}, exactly as exported without proofs.
tree_head.json: the Merkle tree over the ledger at that position (RFC 9162), signed.
proofs.jsonl: for each row, the proof that the event it names is in that tree.

Check it offline:  ledger verify-export {name}
"""


@dataclass(frozen=True)
class ProvenExport:
    export_file: str
    rows: int
    tree_size: int
    signed: bool


def write_export(
    fmt: Format,
    columns: Sequence[Column],
    rows: Iterable[object],
    header: ExportHeader,
    out: IO[bytes],
) -> None:
    """The plain export, written to ``out`` (binary; seekable for a workbook)."""
    if fmt is Format.XLSX:
        write_xlsx(columns, rows, header, out)
        return
    chunks = csv_chunks if fmt is Format.CSV else jsonl_chunks
    for chunk in chunks(columns, rows, header):
        out.write(chunk)


def export_file_name(fmt: Format, header: ExportHeader) -> str:
    return f"{header.kind}-{header.position}.{fmt.extension}"


def proven_file_name(fmt: Format, header: ExportHeader) -> str:
    return f"{header.kind}-{header.position}-{fmt.extension}-proofs.zip"


def write_proven(
    app: LedgerApp,
    settings: Settings,
    fmt: Format,
    columns: Sequence[Column],
    rows: Iterable[object],
    header: ExportHeader,
    out: IO[bytes],
) -> ProvenExport:
    """The export and its proofs as one zip, written to ``out`` (binary, seekable).

    Raises SigningKeyError when the ledger's key cannot be used.
    """
    tree_size = app.tree.size_at(header.position)
    head = SignedTreeHead.of(app.tree.head(tree_size)).signed(settings)
    name = export_file_name(fmt, header)
    with spooled() as export, spooled() as proofs:
        write_export(fmt, columns, rows, header, export)
        export.seek(0)
        count = write_proofs(app, tree_size, export_rows(fmt, export), proofs)
        contents = {TREE_HEAD: document(head.to_dict())}
        readme = README_TEXT.format(
            format=PROOFS_FORMAT,
            export_file=name,
            kind=header.kind,
            position=header.position,
            name=proven_file_name(fmt, header),
        )
        contents[README] = readme.encode()
        sums = {name: file_sum(export), PROOFS: file_sum(proofs)}
        sums |= {entry: (sha256(data), len(data)) for entry, data in contents.items()}
        contents[MANIFEST] = document(manifest(fmt, header, head, name, count, sums))
        if settings.signing_key is not None:
            key = load_private_key(settings.signing_key)
            seal = {"public_key": public_key_hex(key), "signature": sign(key, contents[MANIFEST])}
            contents[SIGNATURE] = document({"signs": MANIFEST, **seal})
        with FixedTimeZip(out, workbook_time(header)) as archive:
            copy_into(archive, name, export)
            archive.writestr(TREE_HEAD, contents.pop(TREE_HEAD))
            copy_into(archive, PROOFS, proofs)
            for entry, data in contents.items():
                archive.writestr(entry, data)
    return ProvenExport(name, count, tree_size, SIGNATURE in contents)


def write_proofs(app: LedgerApp, tree_size: int, rows: Iterator[ExportRow], out: IO[bytes]) -> int:
    """One line per row, its proof read with those of the rows around it; the row count."""
    count = 0
    while batch := list(islice(rows, BATCH)):
        proofs = app.tree.inclusions(sorted({row.position for row in batch}), tree_size)
        for row in batch:
            line = {"row": row.number, "row_sha256": row.sha256, **proof_line(proofs[row.position])}
            out.write(json.dumps(line, sort_keys=True).encode() + b"\n")
        count += len(batch)
    return count


def manifest(
    fmt: Format,
    header: ExportHeader,
    head: SignedTreeHead,
    name: str,
    rows: int,
    sums: dict[str, tuple[str, int]],
) -> dict[str, object]:
    return {
        "format": PROOFS_FORMAT,
        "kind": header.kind,
        "export_format": fmt.value,
        "export_file": name,
        "position": header.position,
        "chain_hash": header.chain_hash,
        "recorded_at": header.recorded_at_text,
        "filters": dict(header.filters),
        "rows": rows,
        "tree_size": head.tree_size,
        "root_hash": head.root_hash,
        "files": {
            entry: {"sha256": digest, "bytes": size} for entry, (digest, size) in sums.items()
        },
    }


def spooled() -> IO[bytes]:
    return SpooledTemporaryFile(max_size=SPOOL_BYTES)


def file_sum(file: IO[bytes]) -> tuple[str, int]:
    """The SHA-256 and length of everything in ``file``; left at its start."""
    file.seek(0)
    digest = hashlib.file_digest(file, "sha256")  # type: ignore[arg-type]
    size = file.tell()
    file.seek(0)
    return digest.hexdigest(), size


def copy_into(archive: FixedTimeZip, name: str, file: IO[bytes]) -> None:
    info = archive.entry(name)
    info.file_size = file.seek(0, 2)
    file.seek(0)
    with archive.open(info, "w") as target:
        shutil.copyfileobj(file, target, COPY_BYTES)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document(value: object) -> bytes:
    return (json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
