"""Evidence bundles: one zip with which anyone can check one employee's period.

The zip holds the events of the employee's plan, measurement log, cycle and review exactly
as stored with their chain links, every review revision reproduced, the explanation between
consecutive revisions, the restatement of the last one, the scorecard at the bundle's
position, a digest of the chain there, the Merkle tree head there with each event's inclusion
proof, the consistency proof from each anchor kept to that tree, a manifest of SHA-256 sums and
``verify_bundle.py``, which checks all of that with Python's standard library alone. The same
position, key and anchors give the same bytes: files are written in a fixed order with the
digest's time on each.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files as package_files
from itertools import pairwise
from pathlib import Path

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.domain.review import ReviewRevision
from ledger.evidence.anchor_proofs import ANCHORS_IN_BUNDLE, anchor_lines
from ledger.evidence.digest import Digest, make_digest, stamp
from ledger.evidence.signing import load_private_key, public_key_hex, sign
from ledger.evidence.tree_head import SignedTreeHead, proof_line
from ledger.explanation import StoredEntry, Subject, stored_events
from ledger.explanation.explaining import Revision, explain, restate
from ledger.scoring.canonical import record
from ledger.store.records import Progress

BUNDLE_FORMAT = "ledger-evidence-v2"
VERIFIER = "verify_bundle.py"
MANIFEST = "manifest.json"
DATA_KEY = "data_key.json"
SIGNATURE = "signature.json"
EARLIEST_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

README = """Evidence bundle of the Performance Ledger ({format})

Employee {employee_id}, period {period}, as the ledger stood at position {position}.

  events.jsonl         the events of the plan, measurements, cycle and review, exactly as
                       stored (state as UTF-8 text, or base64), each with its recorded time,
                       event hash, chain hash and the previous link of the global chain
  review.json          the review's revisions as finalised, calibrated and reopened
  revisions/<n>.json   each revision scored again from the versions it pinned; matches is
                       true when that scorecard hashes as the finalised one did
  explanations/        what changed between consecutive revisions, event by event
  restatement.json     the last revision beside the scorecard at the bundle's position
  scorecard.json       the scorecard at the bundle's position
  digest.json          the chain at the bundle's position (signed when the ledger has a key)
  tree_head.json       the Merkle tree over the ledger at that position (RFC 9162; signed
                       when the ledger has a key)
  proofs.jsonl         for each event, its inclusion proof in that tree: the audit path from
                       its leaf to the tree head's root, checkable without the rest of the ledger
  anchors.jsonl        the latest {anchors_kept} anchors the ledger keeps (signed tree heads kept
                       outside its database), each with the RFC 9162 consistency proof between
                       its tree and the tree head's
  data_key.json        only when asked for: the employee's data key, with which the
                       verifier opens and authenticates every sealed personal text
                       (AES-256-GCM); keep such a bundle as safe as the texts themselves
  manifest.json        SHA-256 of every other file (signature.json signs it when signed)

Check it with Python 3.11 or later and nothing else:

  python3 verify_bundle.py BUNDLE.zip     (or, in the folder it was unpacked into,
  python3 verify_bundle.py)

against an anchored tree head you hold (a file `ledger anchor` wrote, or what
GET /api/v1/ledger/tree-head served): it fails naming the anchor when this bundle's history
does not extend it (for an anchor older than the {anchors_kept} it carries, pass the proof of
GET /api/v1/ledger/proofs/consistency?from=M&to=N):

  python3 verify_bundle.py BUNDLE.zip --anchor ANCHOR.json [--consistency PROOF.json]

and check the digest against the live ledger (nothing up to it has changed since):

  ledger verify-digest digest.json
"""


@dataclass(frozen=True)
class EvidenceBundle:
    """What was written where."""

    path: Path
    employee_id: str
    period: str
    position: int
    events: int
    revisions: tuple[int, ...]
    signed: bool
    files: tuple[str, ...]


def write_evidence(
    app: LedgerApp,
    employee_id: str,
    period_id: str,
    path: Path,
    progress: Progress | None = None,
    *,
    settings: Settings | None = None,
    include_key: bool = False,
) -> EvidenceBundle:
    """Writes the bundle of ``employee_id`` for ``period_id`` at the ledger's head to ``path``,
    signed when ``settings.signing_key`` names a key file; with ``include_key``, it discloses
    the employee's data key (``data_key.json``), so its verifier can open and authenticate each
    sealed text (an erased employee's key is gone: the file says so).

    Raises NotFound when the employee has no plan in the period's cycle, SigningKeyError
    when the key cannot be used, AnchorError when an anchor kept cannot be read.
    """
    settings = settings or Settings()
    subject = Subject.of(employee_id, period_id)
    app.plan(subject.employee_id, subject.cycle_id)
    digest = make_digest(app, settings)
    review = app.review_or_none(subject.employee_id, subject.period.id)
    revisions = review.revisions if review is not None else ()
    report = _Counter(progress, 3 + len(revisions) + max(len(revisions) - 1, 0))
    contents: dict[str, bytes] = {}

    entries = stored_events(app.records, subject.originator_ids, 0, digest.position)
    contents["events.jsonl"] = b"".join(_json_line(_entry(entry)) for entry in entries)
    report.advance()
    contents["review.json"] = _json(
        {
            "employee_id": subject.employee_id,
            "period": subject.period.id,
            "status": None if review is None else review.status,
            "revisions": [record(revision) for revision in revisions],
        }
    )
    for revision in revisions:
        contents[f"revisions/{revision.revision}.json"] = _reproduction(app, subject, revision)
        report.advance()
    for earlier, later in pairwise(revisions):
        name = f"explanations/revision-{earlier.revision}-to-{later.revision}.json"
        explanation = explain(
            app,
            subject.employee_id,
            subject.period.id,
            Revision(earlier.revision),
            Revision(later.revision),
        )
        contents[name] = _json(explanation.to_dict())
        report.advance()
    if revisions:
        last = revisions[-1].revision
        restatement = restate(
            app, subject.employee_id, subject.period.id, last, position=digest.position
        )
        contents["restatement.json"] = _json(restatement.to_dict())
    report.advance()
    card = app.scorecard(subject.employee_id, subject.period.id, position=digest.position)
    contents["scorecard.json"] = _json(card.to_dict())
    contents["digest.json"] = digest.to_json().encode()
    tree_size = app.tree.size_at(digest.position)
    head = SignedTreeHead.of(app.tree.head(tree_size)).signed(settings)
    contents["tree_head.json"] = _json(head.to_dict())
    proofs = app.tree.inclusions([entry.position for entry in entries], tree_size)
    contents["proofs.jsonl"] = b"".join(
        _json_line(proof_line(proofs[entry.position])) for entry in entries
    )
    contents["anchors.jsonl"] = b"".join(
        _json_line(line) for line in anchor_lines(app.tree, settings, tree_size)
    )
    if include_key:
        contents[DATA_KEY] = _data_key(app, subject.employee_id)
    contents[VERIFIER] = package_files("ledger.evidence").joinpath(VERIFIER).read_bytes()
    contents["README.txt"] = README.format(
        format=BUNDLE_FORMAT,
        employee_id=subject.employee_id,
        period=subject.period.id,
        position=digest.position,
        anchors_kept=ANCHORS_IN_BUNDLE,
    ).encode()
    contents[MANIFEST] = _manifest(subject, digest, len(entries), revisions, contents)
    if settings.signing_key is not None:
        key = load_private_key(settings.signing_key)
        seal = {"public_key": public_key_hex(key), "signature": sign(key, contents[MANIFEST])}
        contents[SIGNATURE] = _json({"signs": MANIFEST, **seal})
    _write_zip(path, contents, digest.recorded_at)
    report.advance()
    return EvidenceBundle(
        path=path,
        employee_id=subject.employee_id,
        period=subject.period.id,
        position=digest.position,
        events=len(entries),
        revisions=tuple(revision.revision for revision in revisions),
        signed=SIGNATURE in contents,
        files=tuple(contents),
    )


def _data_key(app: LedgerApp, employee_id: str) -> bytes:
    data_key = app.keyring.disclosed(employee_id)
    return _json(
        {
            "employee_id": employee_id,
            "algorithm": "AES-256-GCM",
            "data_key": None if data_key is None else base64.b64encode(data_key).decode(),
            "erased": data_key is None,
        }
    )


class _Counter:
    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = total
        self.done = 0

    def advance(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)


def _entry(entry: StoredEntry) -> dict[str, object]:
    try:
        state, encoding = entry.state.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        state, encoding = base64.b64encode(entry.state).decode("ascii"), "base64"
    return {
        "position": entry.position,
        "recorded_at": stamp(entry.recorded_at),
        "event_type": entry.event_type,
        "originator_id": str(entry.originator_id),
        "version": entry.version,
        "topic": entry.topic,
        "state": state,
        "state_encoding": encoding,
        "event_hash": _hex(entry.event_hash),
        "chain_hash": _hex(entry.chain_hash),
        "previous_position": entry.previous_position,
        "previous_chain_hash": entry.previous_chain_hash.hex(),
    }


def _hex(value: bytes | None) -> str | None:
    return None if value is None else value.hex()


def _reproduction(app: LedgerApp, subject: Subject, revision: ReviewRevision) -> bytes:
    reproduction = app.reproduce(subject.employee_id, subject.period.id, revision.revision)
    return _json(
        {
            "revision": revision.revision,
            "position": revision.position,
            "scorecard": reproduction.scorecard.to_dict(),
            "hash": reproduction.scorecard.hash,
            "stored_hash": revision.scorecard_hash,
            "matches": reproduction.matches,
        }
    )


def _manifest(
    subject: Subject,
    digest: Digest,
    events: int,
    revisions: tuple[ReviewRevision, ...],
    contents: dict[str, bytes],
) -> bytes:
    return _json(
        {
            "format": BUNDLE_FORMAT,
            "employee_id": subject.employee_id,
            "period": subject.period.id,
            "position": digest.position,
            "chain_hash": digest.chain_hash,
            "events": events,
            "revisions": [revision.revision for revision in revisions],
            "files": {
                name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
                for name, data in contents.items()
            },
        }
    )


def _json(value: object) -> bytes:
    return (json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _json_line(value: object) -> bytes:
    return (json.dumps(value, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _write_zip(path: Path, contents: dict[str, bytes], recorded_at: datetime | None) -> None:
    """Written beside ``path`` and moved into place, so a reader never sees half a bundle."""
    moment = _zip_time(recorded_at)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as file, zipfile.ZipFile(file, "w") as archive:
            for name, data in contents.items():
                info = zipfile.ZipInfo(name, date_time=moment)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = (0o755 if name == VERIFIER else 0o644) << 16
                archive.writestr(info, data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _zip_time(recorded_at: datetime | None) -> tuple[int, int, int, int, int, int]:
    if recorded_at is None:
        return EARLIEST_ZIP_TIME
    moment = recorded_at.astimezone(UTC)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
