"""What an evidence bundle carries about the anchors (DESIGN §16): each anchor the ledger keeps,
with the RFC 9162 consistency proof between its tree and the bundle's, so that an auditor holding
one anchor checks offline that the bundle's history extends it."""

from __future__ import annotations

from ledger.config import Settings
from ledger.evidence.anchors import Anchor, AnchorStore
from ledger.store.tree import MerkleTree

ANCHORS_IN_BUNDLE = 64
"""A bundle carries the latest this many anchors; for an older one, the auditor passes the
proof ``GET /api/v1/ledger/proofs/consistency`` gives to the verifier's ``--consistency``."""


def anchor_lines(tree: MerkleTree, settings: Settings, tree_size: int) -> list[dict[str, object]]:
    """One line per anchor kept (the latest ``ANCHORS_IN_BUNDLE`` of a non-empty tree), with
    the consistency proof from its tree to the one of ``tree_size`` leaves, or, for a larger
    anchor, from that tree to the anchor's; ``consistency`` is None when the stored tree is
    too short to prove it.

    Raises AnchorError when an anchor cannot be read.
    """
    if settings.anchor_dir is None:
        return []
    anchors = AnchorStore(settings.anchor_dir).recent(ANCHORS_IN_BUNDLE)
    stored = tree.size() if anchors else 0
    return [
        _line(anchor, tree, tree_size, stored) for anchor in anchors if anchor.head.tree_size > 0
    ]


def _line(anchor: Anchor, tree: MerkleTree, tree_size: int, stored: int) -> dict[str, object]:
    size = anchor.head.tree_size
    if tree_size == 0:
        proof = None
    elif size <= tree_size:
        proof = tree.consistency(size, tree_size).to_dict()
    elif size <= stored:
        proof = tree.consistency(tree_size, size).to_dict()
    else:
        proof = None
    return {
        "anchor": anchor.name,
        "tree_size": size,
        "root_hash": anchor.head.root_hash,
        "consistency": proof,
    }
