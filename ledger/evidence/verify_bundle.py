#!/usr/bin/env python3
"""Check an evidence bundle of the Performance Ledger with nothing but Python's standard library.

    python3 verify_bundle.py [BUNDLE] [--public-key HEX] [--anchor FILE [--consistency FILE]]

BUNDLE is the bundle's .zip or the folder it was unpacked into (default: the folder this
script is in). The script

- recomputes the hash of every included event from its stored bytes, and every chain link
  from the link before it (each event carries the previous link's position and hash);
- checks that every file listed in manifest.json has the SHA-256 written there;
- checks that every review revision reproduced its finalised scorecard;
- checks each event's inclusion proof (proofs.jsonl) against the tree head (tree_head.json):
  the audit path from the event's leaf must lead to the root, as RFC 9162 2.1.3.2 verifies;
- checks each anchor the ledger kept when it wrote the bundle (anchors.jsonl) against the
  tree head: its RFC 9162 consistency proof (2.1.4.2) must lead from the anchor's root to the
  tree head's (or, for an anchor larger than the bundle's tree, from the tree head's to the
  anchor's), and an anchor larger than a tree the ledger could not prove it from means the
  history was cut short;
- with ``--anchor FILE`` (a signed tree head as ``ledger anchor`` writes it or
  ``GET /api/v1/ledger/tree-head`` serves it, kept where the database cannot change it), checks
  the anchor's signature when it can and that the bundle's history extends it, with the
  consistency proof for its size that anchors.jsonl carries or ``--consistency FILE`` gives
  (as ``GET /api/v1/ledger/proofs/consistency?from=M&to=N`` serves it), failing with the
  anchor's name when it does not; for an anchor larger than the bundle's tree, the bundle is
  older, and the proof checked is the one from its tree to the anchor's;
- checks the signatures of digest.json, tree_head.json and manifest.json when the
  ``cryptography`` package can be imported, and says that it skipped them when it cannot;
- when the bundle carries the employee's data key (data_key.json), opens every sealed
  personal text of its events with it (AES-256-GCM, bound to its event and field), naming
  each one that does not authenticate; that needs ``cryptography`` too, and the script says
  when it cannot decrypt, or when the key was destroyed by an erasure (the hashes, chain and
  proofs are checked all the same: they cover the sealed texts as stored).

It exits with 0 when everything agrees, 1 naming each position, file or anchor that does not,
2 when the bundle or the anchor cannot be read, and 3 when everything checked agrees but the
bundle cannot be checked against the anchor given (no consistency proof for its size).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# The chain's definition, as the ledger computes it (ledger/store/chain.py):
#   event_hash = sha256("ledger-event-v1\n" originator_id "\n" version "\n" topic "\n" state)
#   chain_hash = sha256(previous chain_hash || event_hash || "<position>|<recorded_at>")
# with recorded_at as YYYY-MM-DDTHH:MM:SS.ffffffZ (UTC) and 32 zero bytes before the first link.
GENESIS = bytes(32)
STAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
EVENT_PREFIX = b"ledger-event-v1\n"

MANIFEST = "manifest.json"
SIGNATURE = "signature.json"
EVENTS = "events.jsonl"
DIGEST = "digest.json"
TREE_HEAD = "tree_head.json"
PROOFS = "proofs.jsonl"
DATA_KEY = "data_key.json"
ANCHORS = "anchors.jsonl"

# A sealed personal field (ledger/store/sealing.py), at the top of an event's state or one
# level down (``changes.name``): {"_type_": "sealed", "_data_": {"e": employee, "b": base64}}
# where b is a 12-byte nonce then AES-256-GCM ciphertext, with the associated data
#   "ledger-sealed-v1\n" originator_id "\n" version "\n" path
SEALED_TYPE = "sealed"
NONCE_BYTES = 12

# The Merkle tree's definition (RFC 9162 2.1, ledger/store/merkle.py): a leaf per chained
# event, leaf = sha256(0x00 || event_hash), node = sha256(0x01 || left || right).


def event_hash(originator_id: str, version: int, topic: str, state: bytes) -> bytes:
    header = f"{originator_id}\n{version}\n{topic}\n".encode()
    return hashlib.sha256(EVENT_PREFIX + header + state).digest()


def link_hash(previous: bytes, event_digest: bytes, position: int, recorded_at: str) -> bytes:
    stamp = f"{position}|{recorded_at}".encode()
    return hashlib.sha256(previous + event_digest + stamp).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def inclusion_holds(leaf: bytes, index: int, size: int, path: list[bytes], root: bytes) -> bool:
    """RFC 9162 2.1.3.2, step by step."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def consistency_holds(
    old: int, new: int, old_root: bytes, new_root: bytes, proof: list[bytes]
) -> bool:
    """RFC 9162 2.1.4.2, step by step: the tree of ``old`` leaves is a prefix of the newer."""
    if old == new:
        return not proof and old_root == new_root
    if old == 0 or old > new or not proof:
        return False
    path = [old_root, *proof] if old & (old - 1) == 0 else list(proof)
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == old_root and sr == new_root


class Unreadable(Exception):
    """The bundle or one of its files cannot be read as a bundle."""


class Bundle:
    """The files of a bundle, from its zip or from the folder it was unpacked into."""

    def __init__(self, location: Path) -> None:
        self.location = location
        self.files: dict[str, bytes] = {}
        if location.is_dir():
            for path in sorted(location.rglob("*")):
                if path.is_file():
                    self.files[path.relative_to(location).as_posix()] = path.read_bytes()
        elif zipfile.is_zipfile(location):
            with zipfile.ZipFile(location) as archive:
                for name in archive.namelist():
                    if not name.endswith("/"):
                        self.files[name] = archive.read(name)
        else:
            raise Unreadable(f"{location} is neither a bundle's zip nor its folder")

    def read(self, name: str) -> bytes:
        try:
            return self.files[name]
        except KeyError:
            raise Unreadable(f"the bundle has no {name}") from None

    def json(self, name: str) -> Any:
        try:
            return json.loads(self.read(name))
        except ValueError as exc:
            raise Unreadable(f"{name} is not JSON: {exc}") from None


def check_manifest(bundle: Bundle) -> list[str]:
    manifest = bundle.json(MANIFEST)
    listed: dict[str, Any] = manifest.get("files", {})
    problems = []
    for name, entry in sorted(listed.items()):
        data = bundle.files.get(name)
        if data is None:
            problems.append(f"MISSING file {name}: listed in the manifest")
        elif hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            problems.append(f"TAMPERED file {name}: its SHA-256 differs from the manifest's")
    for name in sorted(set(bundle.files) - set(listed) - {MANIFEST, SIGNATURE}):
        if not _is_extra_copy(name):
            problems.append(f"UNLISTED file {name}: not in the manifest")
    return problems


def _is_extra_copy(name: str) -> bool:
    """Python's own caches, left beside the script when it ran from an unpacked folder."""
    return "__pycache__/" in name or name.endswith(".pyc")


def check_events(bundle: Bundle) -> tuple[int, list[str]]:
    """Each event's hash and chain link; links of adjacent events must join up."""
    problems = []
    count = 0
    earlier: dict[str, Any] | None = None
    for number, line in enumerate(bundle.read(EVENTS).decode().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except ValueError as exc:
            raise Unreadable(f"{EVENTS} line {number} is not JSON: {exc}") from None
        count += 1
        problem = event_problem(event, earlier)
        if problem is not None:
            problems.append(f"TAMPERED at position {event.get('position')}: {problem}")
        earlier = event
    return count, problems


def event_problem(event: dict[str, Any], earlier: dict[str, Any] | None) -> str | None:
    position = event["position"]
    if earlier is not None and position <= earlier["position"]:
        return "positions are not in increasing order"
    if event.get("event_hash") is None or event.get("chain_hash") is None:
        return "event without its chain row"
    if event.get("recorded_at") is None:
        return "event without its recorded time"
    state = stored_state(event)
    digest = event_hash(event["originator_id"], event["version"], event["topic"], state)
    if digest.hex() != event["event_hash"]:
        return "event bytes do not match their stored hash"
    previous = bytes.fromhex(event["previous_chain_hash"])
    expected = link_hash(previous, digest, position, event["recorded_at"])
    if expected.hex() != event["chain_hash"]:
        return "chain hash does not follow from the previous link"
    adjacent = earlier is not None and event["previous_position"] == earlier["position"]
    before = earlier["chain_hash"] if adjacent and earlier is not None else None
    if before is not None and event["previous_chain_hash"] != before:
        return "the previous link differs from the event before it"
    return None


def stored_state(event: dict[str, Any]) -> bytes:
    if event.get("state_encoding") == "base64":
        return base64.b64decode(event["state"], validate=True)
    text: str = event["state"]
    return text.encode("utf-8")


def check_reproductions(bundle: Bundle) -> list[str]:
    problems = []
    for name in sorted(bundle.files):
        if name.startswith("revisions/") and name.endswith(".json"):
            reproduction = bundle.json(name)
            if reproduction.get("matches") is not True:
                problems.append(
                    f"REVISION {reproduction.get('revision')} does not reproduce: the"
                    " scorecard scored again from its pinned versions hashes differently"
                )
    return problems


def check_proofs(bundle: Bundle) -> tuple[int, list[str]]:
    """Each event's audit path must lead from its leaf to the tree head's root."""
    head = bundle.json(TREE_HEAD)
    root, size = bytes.fromhex(head["root_hash"]), head["tree_size"]
    proofs = {}
    for line in bundle.read(PROOFS).decode().splitlines():
        if line.strip():
            proof = json.loads(line)
            proofs[proof["position"]] = proof
    problems, count = [], 0
    for line in bundle.read(EVENTS).decode().splitlines():
        if not line.strip():
            continue
        event = json.loads(line)
        position = event.get("position")
        proof = proofs.get(position)
        if proof is None or proof.get("tree_size") != size:
            problems.append(f"UNPROVEN at position {position}: no inclusion proof in this tree")
            continue
        digest = event_hash(
            event["originator_id"], event["version"], event["topic"], stored_state(event)
        )
        leaf = hashlib.sha256(b"\x00" + digest).digest()
        path = [bytes.fromhex(node) for node in proof["audit_path"]]
        if not inclusion_holds(leaf, proof["leaf_index"], size, path, root):
            problems.append(
                f"UNPROVEN at position {position}: its inclusion proof does not lead to"
                f" the tree head's root"
            )
        count += 1
    return count, problems


OK, FAILED, CANNOT = "ok", "failed", "cannot"


def hex_hash(value: Any) -> bytes:
    return bytes.fromhex(str(value).removeprefix("sha256:"))


def extension(
    anchor_size: int,
    anchor_root: bytes,
    size: int,
    root: bytes,
    consistency: dict[str, Any] | None,
) -> tuple[str, str]:
    """Whether the tree of ``size`` leaves and ``root`` extends the anchor's tree (or, when
    the anchor is larger, the anchor's extends it), by the consistency proof between them:
    OK, FAILED or CANNOT (no proof), with a phrase saying why."""
    if anchor_size == 0:
        return OK, "the empty tree is a prefix of every tree"
    if anchor_size == size:
        if anchor_root == root:
            return OK, f"the same tree of {size} events"
        return FAILED, (
            f"the bundle's tree of the same {size} events has another root:"
            " the history up to the anchor was changed"
        )
    older = anchor_size < size
    old, new = (anchor_size, size) if older else (size, anchor_size)
    old_root, new_root = (anchor_root, root) if older else (root, anchor_root)
    if consistency is None or (consistency.get("from"), consistency.get("to")) != (old, new):
        return CANNOT, f"no consistency proof from {old} to {new} events"
    proof = [hex_hash(node) for node in consistency["proof"]]
    if consistency_holds(old, new, old_root, new_root, proof):
        return OK, f"the consistency proof from {old} to {new} events holds"
    if older and hex_hash(consistency.get("from_root")) != anchor_root:
        return FAILED, (
            f"the bundle's tree at the anchor's {anchor_size} events has another root:"
            " the history up to the anchor was changed and recomputed"
        )
    return FAILED, f"the consistency proof from {old} to {new} events does not hold"


def bundled_anchors(bundle: Bundle) -> list[dict[str, Any]]:
    """The anchors the ledger kept when it wrote the bundle (none in a bundle without them)."""
    if ANCHORS not in bundle.files:
        return []
    return [json.loads(line) for line in bundle.read(ANCHORS).decode().splitlines() if line]


def tree_of(bundle: Bundle) -> tuple[int, bytes]:
    head = bundle.json(TREE_HEAD)
    return int(head["tree_size"]), hex_hash(head["root_hash"])


def check_bundled_anchors(bundle: Bundle) -> tuple[str, list[str]]:
    """Each anchor the bundle carries must be extended by its tree (or extend it)."""
    size, root = tree_of(bundle)
    entries = bundled_anchors(bundle)
    problems = []
    for entry in entries:
        name, anchor_size = entry["anchor"], int(entry["tree_size"])
        verdict, detail = extension(
            anchor_size, hex_hash(entry["root_hash"]), size, root, entry.get("consistency")
        )
        if verdict == FAILED:
            problems.append(f"ANCHOR {name}: the bundle's history does not extend it: {detail}")
        elif verdict == CANNOT:
            problems.append(
                f"ANCHOR {name}: the bundle's history does not extend it:"
                f" {cut_short(anchor_size, size, detail)}"
            )
    if not entries:
        return "anchors: none in the bundle (the ledger kept none when it wrote it)", problems
    return f"anchors: {len(entries)} kept by the ledger, each checked against the tree head", (
        problems
    )


def cut_short(anchor_size: int, size: int, detail: str) -> str:
    if anchor_size > size:
        return (
            f"the ledger kept this anchor of {anchor_size} events when it wrote this bundle,"
            f" yet the bundle's tree has {size}: the history was cut short"
        )
    return detail


def check_given_anchor(
    bundle: Bundle, anchor_file: Path, consistency_file: Path | None, trusted: str | None
) -> tuple[list[str], list[str], bool]:
    """Lines, problems, and whether the bundle could not be checked against the anchor."""
    anchor, name = read_json_file(anchor_file), anchor_file.name
    anchor_size, anchor_root = int(anchor["tree_size"]), hex_hash(anchor["root_hash"])
    signature, problems = anchor_signature(anchor, name, trusted)
    lines = [signature]
    size, root = tree_of(bundle)
    old, new = sorted((anchor_size, size))
    if anchor_size > size:
        lines.append(
            f"the bundle's tree ({size} events) is smaller than anchor {name}'s"
            f" ({anchor_size} events): the bundle is older, or the history was cut short;"
            " checking that the anchor's tree extends the bundle's"
        )
    entries = bundled_anchors(bundle)
    if consistency_file is not None:
        consistency: dict[str, Any] | None = read_json_file(consistency_file)
    else:
        proofs = [entry.get("consistency") or {} for entry in entries]
        found = [proof for proof in proofs if (proof.get("from"), proof.get("to")) == (old, new)]
        consistency = found[0] if found else None
    verdict, detail = extension(anchor_size, anchor_root, size, root, consistency)
    kept = any(
        int(entry["tree_size"]) == anchor_size and hex_hash(entry["root_hash"]) == anchor_root
        for entry in entries
    )
    if verdict == CANNOT and kept and anchor_size > size:
        verdict, detail = FAILED, cut_short(anchor_size, size, detail)
    if verdict == OK:
        lines.append(f"anchor {name}: the bundle's history agrees with it ({detail})")
    elif verdict == FAILED:
        problems.append(f"ANCHOR {name}: the bundle's history does not extend it: {detail}")
    else:
        lines.append(
            f"anchor {name}: CANNOT CHECK the bundle against it: {detail}; pass"
            f" --consistency FILE (GET /api/v1/ledger/proofs/consistency?from={old}&to={new})"
        )
    return lines, problems, verdict == CANNOT


def read_json_file(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise Unreadable(f"{path} cannot be read as JSON: {exc}") from None


def anchor_signature(
    anchor: dict[str, Any], name: str, trusted: str | None
) -> tuple[str, list[str]]:
    """A line saying whether the anchor's signature was checked, and the problems found."""
    public_key, signature = anchor.get("public_key"), anchor.get("signature")
    if signature is None or public_key is None:
        return f"anchor {name} signature: none (the anchor is not signed)", (
            [f"UNSIGNED anchor {name}: a trusted public key was given"] if trusted else []
        )
    if trusted is not None and public_key != trusted.lower():
        return f"anchor {name} signature: not checked", [
            f"SIGNATURE of anchor {name}: signed by another key than the trusted one"
        ]
    valid = signature_valid(public_key, signature, tree_head_payload(anchor))
    if valid is None:
        return f"anchor {name} signature: skipped (the cryptography package is not installed)", []
    if not valid:
        return f"anchor {name} signature: checked", [
            f"SIGNATURE of anchor {name}: does not match its content"
        ]
    return f"anchor {name} signature: checked (key {public_key})", []


def signature_valid(public_key: str, signature: str, message: bytes) -> bool | None:
    """Whether the Ed25519 signature holds; None when ``cryptography`` cannot be imported."""
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError:
        return None
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key))
        key.verify(bytes.fromhex(signature), message)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def tree_head_payload(head: dict[str, Any]) -> bytes:
    fields = {key: head.get(key) for key in ("position", "recorded_at", "root_hash", "tree_size")}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def digest_payload(digest: dict[str, Any]) -> bytes:
    fields = {key: digest.get(key) for key in ("chain_hash", "position", "recorded_at")}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def check_signatures(bundle: Bundle, trusted: str | None) -> tuple[str, list[str]]:
    """A line saying what was checked, and the problems found."""
    digest = bundle.json(DIGEST)
    head = bundle.json(TREE_HEAD)
    signed = {
        DIGEST: (digest.get("public_key"), digest.get("signature"), digest_payload(digest)),
        TREE_HEAD: (head.get("public_key"), head.get("signature"), tree_head_payload(head)),
    }
    if SIGNATURE in bundle.files:
        seal = bundle.json(SIGNATURE)
        signed[MANIFEST] = (seal.get("public_key"), seal.get("signature"), bundle.read(MANIFEST))
    present = {name: value for name, value in signed.items() if value[1] is not None}
    if not present:
        return "signatures: none (the bundle is not signed)", (
            ["UNSIGNED: a trusted public key was given"] if trusted else []
        )
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError:
        return "signatures: skipped (the cryptography package is not installed)", []
    problems = []
    for name, (public_key, signature, message) in sorted(present.items()):
        if trusted is not None and public_key != trusted.lower():
            problems.append(f"SIGNATURE of {name}: signed by another key than the trusted one")
            continue
        try:
            key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key))
            key.verify(bytes.fromhex(signature), message)
        except (InvalidSignature, ValueError, TypeError):
            problems.append(f"SIGNATURE of {name}: does not match its content")
    keys = sorted({value[0] for value in present.values()})
    return f"signatures: checked ({', '.join(sorted(present))}; key {', '.join(keys)})", problems


def sealed_texts(event: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    """The sealed fields of an event, each with its path."""
    try:
        state = json.loads(stored_state(event))
    except ValueError:
        return []
    found = []
    for name, value in state.items() if isinstance(state, dict) else ():
        if _is_sealed(value):
            found.append((name, value["_data_"]))
        elif isinstance(value, dict):
            found += [
                (f"{name}.{key}", inner["_data_"])
                for key, inner in value.items()
                if _is_sealed(inner)
            ]
    return found


def _is_sealed(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and value.get("_type_") == SEALED_TYPE
        and isinstance(value.get("_data_"), dict)
    )


def sealed_associated_data(originator_id: str, version: int, path: str) -> bytes:
    return f"ledger-sealed-v1\n{originator_id}\n{version}\n{path}".encode()


def check_sealed(bundle: Bundle) -> tuple[str, list[str]]:
    """A line saying what was opened, and each sealed text that does not authenticate."""
    events = [json.loads(line) for line in bundle.read(EVENTS).decode().splitlines() if line]
    sealed = [(event, path, data) for event in events for path, data in sealed_texts(event)]
    if not sealed:
        return "sealed texts: none in these events", []
    if DATA_KEY not in bundle.files:
        return (
            f"sealed texts: {len(sealed)} not opened (the bundle carries no data key;"
            " ask for one with include_key or --with-key)",
            [],
        )
    disclosed = bundle.json(DATA_KEY)
    if disclosed.get("data_key") is None:
        return (
            f"sealed texts: {len(sealed)} erased (the employee's data key was destroyed;"
            " they cannot be opened by anyone)",
            [],
        )
    try:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    except ImportError:
        return (
            f"sealed texts: {len(sealed)} NOT DECRYPTED (the cryptography package is not"
            " installed: pip install cryptography, then run this again)",
            [],
        )
    cipher = AESGCM(base64.b64decode(disclosed["data_key"], validate=True))
    owner = disclosed.get("employee_id")
    problems = []
    for event, path, data in sealed:
        where = f"at position {event['position']} ({event['topic']}, field {path})"
        if data.get("e") != owner:
            problems.append(f"UNOPENED {where}: sealed with the key of another employee")
            continue
        blob = base64.b64decode(data["b"], validate=True)
        ad = sealed_associated_data(event["originator_id"], event["version"], path)
        try:
            cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], ad)
        except (InvalidTag, ValueError):
            problems.append(
                f"SEAL BROKEN {where}: its sealed text does not authenticate with the"
                " employee's data key"
            )
    opened = len(sealed) - len(problems)
    return f"sealed texts: {opened} of {len(sealed)} opened and authenticated (AES-256-GCM)", (
        problems
    )


def check(bundle: Bundle, trusted: str | None) -> tuple[list[str], list[str]]:
    """Lines to report, and problems found."""
    problems = check_manifest(bundle)
    count, event_problems = check_events(bundle)
    problems += event_problems
    problems += check_reproductions(bundle)
    proven, proof_problems = check_proofs(bundle)
    problems += proof_problems
    signatures, signature_problems = check_signatures(bundle, trusted)
    problems += signature_problems
    sealed, sealed_problems = check_sealed(bundle)
    problems += sealed_problems
    anchors, anchor_problems = check_bundled_anchors(bundle)
    problems += anchor_problems
    digest, head = bundle.json(DIGEST), bundle.json(TREE_HEAD)
    lines = [
        f"{count} events checked, each hash and chain link recomputed",
        f"{len(bundle.json(MANIFEST).get('files', {}))} files checked against the manifest",
        f"digest: position {digest.get('position')}, chain hash {digest.get('chain_hash')}",
        f"{proven} inclusion proofs checked against the tree head of"
        f" {head.get('tree_size')} events, root {head.get('root_hash')}",
        anchors,
        signatures,
        sealed,
    ]
    return lines, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check a Performance Ledger evidence bundle.")
    parser.add_argument("bundle", nargs="?", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument("--public-key", help="hex of the Ed25519 key the bundle must be signed by")
    parser.add_argument(
        "--anchor", type=Path, help="an anchored signed tree head the bundle must extend"
    )
    parser.add_argument(
        "--consistency", type=Path, help="the consistency proof for the anchor's tree size"
    )
    args = parser.parse_args(argv)
    if args.consistency is not None and args.anchor is None:
        parser.error("--consistency needs --anchor")
    undecided = False
    try:
        bundle = Bundle(args.bundle)
        lines, problems = check(bundle, args.public_key)
        if args.anchor is not None:
            more, anchor_problems, undecided = check_given_anchor(
                bundle, args.anchor, args.consistency, args.public_key
            )
            lines += more
            problems += [problem for problem in anchor_problems if problem not in problems]
    except (Unreadable, OSError, KeyError, TypeError, ValueError, zipfile.BadZipFile) as exc:
        print(f"cannot check {args.bundle}: {exc}", file=sys.stderr)
        return 2
    for line in lines:
        print(line)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"FAILED: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    if undecided:
        print("NOT CHECKED against the anchor: the bundle agrees with itself", file=sys.stderr)
        return 3
    checked_at = datetime.now(UTC).strftime(STAMP_FORMAT)
    against = f" and extends anchor {args.anchor.name}" if args.anchor is not None else ""
    print(f"ok: the bundle agrees with itself{against} (checked at {checked_at})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
