"""The Merkle tree of RFC 9162 section 2.1 over the chain's event hashes: pure functions.

Leaves are the events in chain order: ``leaf_hash = SHA-256(0x00 || event_hash)``, and a node
is ``SHA-256(0x01 || left || right)``. The store gives every leaf's hash, and keeps every perfect
subtree (``2**level`` leaves from ``index * 2**level``) of ``STORED_FROM`` levels or more; a
smaller one is hashed from its at most ``2**STORED_FROM - 1`` leaves when asked for. So the hash
of any subtree the RFC's algorithms ask for is made of O(log n) stored hashes, and a save writes
about one stored subtree per eight events. Each algorithm here runs twice: once to learn which
subtrees it needs (so what they are made of is read in one round trip), once with them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence

Node = tuple[int, int]
"""A perfect subtree: (level, index), covering leaves ``index * 2**level`` onward."""
Nodes = Callable[[Node], bytes]

STORED_FROM = 4
"""The lowest level of subtrees the store keeps above the leaves (16 leaves each)."""


def leaf_hash(event_hash: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + event_hash).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def subtree(start: int, end: int, nodes: Nodes) -> bytes:
    """MTH(D[start:end]) from perfect subtrees; ``start`` is aligned as the RFC's splits are."""
    size = end - start
    if size & (size - 1) == 0:
        level = size.bit_length() - 1
        return nodes((level, start >> level))
    k = split(size)
    return node_hash(subtree(start, start + k, nodes), subtree(start + k, end, nodes))


def root(size: int, nodes: Nodes) -> bytes:
    """The root hash of the tree of ``size`` leaves (RFC 9162: the empty tree hashes b"")."""
    return hashlib.sha256(b"").digest() if size == 0 else subtree(0, size, nodes)


def inclusion_path(index: int, size: int, nodes: Nodes, start: int = 0) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 2.1.3.1, for the leaf ``index`` of D[start:start + size]."""
    if size <= 1:
        return []
    k = split(size)
    if index < k:
        return [*inclusion_path(index, k, nodes, start), subtree(start + k, start + size, nodes)]
    rest = inclusion_path(index - k, size - k, nodes, start + k)
    return [*rest, subtree(start, start + k, nodes)]


def consistency_proof(old: int, new: int, nodes: Nodes) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 2.1.4.1 (0 < old <= new)."""
    return _subproof(old, new, nodes, 0, complete=True)


def _subproof(m: int, n: int, nodes: Nodes, start: int, *, complete: bool) -> list[bytes]:
    if m == n:
        return [] if complete else [subtree(start, start + n, nodes)]
    k = split(n)
    if m <= k:
        return [
            *_subproof(m, k, nodes, start, complete=complete),
            subtree(start + k, start + n, nodes),
        ]
    rest = _subproof(m - k, n - k, nodes, start + k, complete=False)
    return [*rest, subtree(start, start + k, nodes)]


def needed(compute: Callable[[Nodes], object]) -> set[Node]:
    """The stored nodes ``compute`` asks for, found by running it on placeholders."""
    asked: set[Node] = set()

    def record(node: Node) -> bytes:
        asked.add(node)
        return bytes(32)

    compute(record)
    return asked


def stored_parts(node: Node) -> list[Node]:
    """What the store holds of a perfect subtree: itself, or the leaves it is hashed from."""
    level, index = node
    if level == 0 or level >= STORED_FROM:
        return [node]
    return [(0, leaf) for leaf in range(index << level, (index + 1) << level)]


def from_mapping(found: Mapping[Node, bytes]) -> Nodes:
    """Subtrees from what the store holds of them (``stored_parts``): a stored one as it is,
    a smaller one hashed from its leaves."""

    def lookup(node: Node) -> bytes:
        level, index = node
        if level == 0 or level >= STORED_FROM:
            return found[node]
        return node_hash(lookup((level - 1, 2 * index)), lookup((level - 1, 2 * index + 1)))

    return lookup


def verify_inclusion(
    leaf: bytes, index: int, size: int, path: Sequence[bytes], expected_root: bytes
) -> bool:
    """RFC 9162 2.1.3.2: whether ``path`` proves the leaf hash at ``index`` in the tree."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == expected_root


def verify_consistency(
    old: int, new: int, old_root: bytes, new_root: bytes, proof: Iterable[bytes]
) -> bool:
    """RFC 9162 2.1.4.2: whether ``proof`` shows the tree of ``old`` leaves is a prefix."""
    path = list(proof)
    if old == new:
        return not path and old_root == new_root
    if old == 0 or old > new or not path:
        return False
    if old & (old - 1) == 0:
        path = [old_root, *path]
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == old_root and sr == new_root
