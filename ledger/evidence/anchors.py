"""Anchors: signed tree heads kept outside the database, and the check that today's ledger
still extends the latest of them (DESIGN §16).

An anchor is one JSON file per signed tree head, never overwritten, in a directory that the
database's administrators cannot rewrite (another volume; in production an object store
with a retention lock). A history cut short at its end has fewer leaves than the anchor; a
history changed and recomputed before the anchor has another root at the anchor's size.
Both are found by rebuilding that root from the chain's event hashes, not from the stored
tree, which a rewrite would have recomputed too.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from ledger.config import Settings
from ledger.errors import LedgerError
from ledger.evidence.signing import read_public_key
from ledger.evidence.tree_head import SignedTreeHead
from ledger.store import merkle
from ledger.store.records import LedgerRecords
from ledger.store.tree import MerkleTree

PREFIX = "tree-head-"


class AnchorError(LedgerError):
    """An anchor cannot be written or read."""


@dataclass(frozen=True)
class Anchor:
    name: str
    head: SignedTreeHead


@dataclass(frozen=True)
class AnchorCheck:
    """Whether the ledger extends the anchor ``name``; ``problem`` says how it does not."""

    name: str
    tree_size: int
    ok: bool
    problem: str | None

    def to_dict(self) -> dict[str, object]:
        return {
            "anchor": self.name,
            "tree_size": self.tree_size,
            "ok": self.ok,
            "problem": self.problem,
        }


class AnchorStore:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def write(self, head: SignedTreeHead) -> Anchor:
        """Keep ``head`` in a file of its own (written whole, then named; never replaced)."""
        name = f"{PREFIX}{head.tree_size:015d}-{head.root_hash[:16]}.json"
        target = self.directory / name
        if target.exists():
            return Anchor(name, head)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            partial = self.directory / f".{name}.partial"
            partial.write_text(json.dumps(head.to_dict(), indent=2, sort_keys=True) + "\n")
            os.replace(partial, target)
        except OSError as error:
            raise AnchorError(f"cannot write an anchor in {self.directory}: {error}") from None
        return Anchor(name, head)

    def latest(self) -> Anchor | None:
        """The anchor of the largest tree, if any."""
        found = self.recent(1)
        return found[0] if found else None

    def recent(self, count: int) -> list[Anchor]:
        """The anchors of the ``count`` largest trees, smallest first.

        Raises AnchorError when one of them cannot be read.
        """
        if not self.directory.is_dir() or count <= 0:
            return []
        names = sorted(p.name for p in self.directory.glob(f"{PREFIX}*.json"))
        return [self.read(name) for name in names[-count:]]

    def read(self, name: str) -> Anchor:
        try:
            data = json.loads((self.directory / name).read_text())
            return Anchor(name, SignedTreeHead(**data))
        except (OSError, ValueError, TypeError) as error:
            raise AnchorError(f"the anchor {name} cannot be read: {error}") from None


def check_latest(
    records: LedgerRecords, tree: MerkleTree, settings: Settings
) -> AnchorCheck | None:
    """The check against the latest anchor, or None when there is none to check against.

    Raises AnchorError when the latest anchor cannot be read.
    """
    if settings.anchor_dir is None:
        return None
    anchor = AnchorStore(settings.anchor_dir).latest()
    if anchor is None:
        return None
    key = read_public_key(settings.signing_key) if settings.signing_key is not None else None
    return check_anchor(anchor, records, tree, key)


def check_anchor(
    anchor: Anchor, records: LedgerRecords, tree: MerkleTree, public_key: str | None
) -> AnchorCheck:
    """Whether the ledger in the database extends ``anchor``: its signature holds (when the
    ledger has a key), the history has at least its leaves, the root rebuilt from the chain
    at its size is its root, and the stored tree is consistent with it."""
    head = anchor.head

    def failed(problem: str) -> AnchorCheck:
        return AnchorCheck(anchor.name, head.tree_size, False, f"anchor {anchor.name}: {problem}")

    if public_key is not None and (head.public_key != public_key or not head.signature_holds()):
        return failed("its signature does not hold under the ledger's public key")
    leaves, rebuilt = rebuilt_root(records, head.position, head.tree_size)
    if leaves < head.tree_size:
        return failed(f"the history was cut short: {leaves} events, the anchor has more")
    if rebuilt.hex() != head.root_hash:
        return failed("the history up to it was changed: its root does not follow from the chain")
    if tree.size() < head.tree_size:
        return failed("the stored tree was cut short")
    proof = tree.consistency(head.tree_size)
    if proof.old_root != rebuilt or not merkle.verify_consistency(
        proof.old_size, proof.new_size, rebuilt, proof.new_root, proof.proof
    ):
        return failed("the stored tree is not consistent with it")
    return AnchorCheck(anchor.name, head.tree_size, True, None)


def rebuilt_root(records: LedgerRecords, upto: int, size: int) -> tuple[int, bytes]:
    """How many chained events there are up to ``upto`` (at most ``size``), and the root
    of the tree of the first ``size`` of them, rebuilt keeping one hash per level."""
    builder = RootBuilder()
    for page in records.pages(upto):
        for row in page:
            if row.event_hash is not None and row.chain_hash is not None:
                builder.add(row.event_hash)
                if builder.leaves == size:
                    return size, builder.root()
    return builder.leaves, builder.root()


class RootBuilder:
    """MTH (RFC 9162 2.1.1) over leaves added in order, with one hash per level held."""

    def __init__(self) -> None:
        self.leaves = 0
        self._stack: list[tuple[int, bytes]] = []

    def add(self, event_hash: bytes) -> None:
        level, node = 0, merkle.leaf_hash(event_hash)
        while self._stack and self._stack[-1][0] == level:
            _, left = self._stack.pop()
            level, node = level + 1, merkle.node_hash(left, node)
        self._stack.append((level, node))
        self.leaves += 1

    def root(self) -> bytes:
        if not self._stack:
            return merkle.root(0, merkle.from_mapping({}))
        root = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            root = merkle.node_hash(left, root)
        return root
