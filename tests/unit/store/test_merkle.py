"""The Merkle tree's roots and proofs against an independent RFC 9162 implementation.

The reference below follows the RFC's definitions literally, over lists of leaves (MTH, PATH,
PROOF of section 2.1), and checks proofs by rebuilding the root recursively; the code under
test computes from stored perfect subtrees and verifies with the RFC's iterative algorithms.
"""

from __future__ import annotations

import hashlib
import random

import pytest

from ledger.store import merkle

SIZES = range(1, 301)


def h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def k_of(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(entries: list[bytes]) -> bytes:
    if not entries:
        return h(b"")
    if len(entries) == 1:
        return h(b"\x00" + entries[0])
    k = k_of(len(entries))
    return h(b"\x01" + mth(entries[:k]) + mth(entries[k:]))


def path(m: int, entries: list[bytes]) -> list[bytes]:
    if len(entries) <= 1:
        return []
    k = k_of(len(entries))
    if m < k:
        return [*path(m, entries[:k]), mth(entries[k:])]
    return [*path(m - k, entries[k:]), mth(entries[:k])]


def subproof(m: int, entries: list[bytes], complete: bool) -> list[bytes]:
    n = len(entries)
    if m == n:
        return [] if complete else [mth(entries)]
    k = k_of(n)
    if m <= k:
        return [*subproof(m, entries[:k], complete), mth(entries[k:])]
    return [*subproof(m - k, entries[k:], False), mth(entries[:k])]


def root_from_path(leaf: bytes, m: int, n: int, audit: list[bytes]) -> bytes:
    """The root an audit path leads to, rebuilt by the recursion PATH was defined by."""
    if n == 1:
        assert not audit
        return leaf
    k = k_of(n)
    if m < k:
        return h(b"\x01" + root_from_path(leaf, m, k, audit[:-1]) + audit[-1])
    return h(b"\x01" + audit[-1] + root_from_path(leaf, m - k, n - k, audit[:-1]))


def stored_nodes(entries: list[bytes]) -> merkle.Nodes:
    """Subtrees as the store answers for them: from what it keeps (the leaves, and the perfect
    subtrees of ``STORED_FROM`` levels or more), each kept one computed from its own leaves."""
    kept: dict[merkle.Node, bytes] = {}

    def lookup(node: merkle.Node) -> bytes:
        for part in merkle.stored_parts(node):
            level, index = part
            width = 1 << level
            chunk = entries[index * width : (index + 1) * width]
            assert len(chunk) == width, "asked for a subtree that is not perfect"
            kept[part] = mth(chunk)
        return merkle.from_mapping(kept)(node)

    return lookup


def test_only_leaves_and_subtrees_of_sixteen_leaves_or_more_are_kept() -> None:
    assert merkle.stored_parts((0, 5)) == [(0, 5)]
    assert merkle.stored_parts((2, 3)) == [(0, 12), (0, 13), (0, 14), (0, 15)]
    assert len(merkle.stored_parts((3, 0))) == 8
    assert merkle.stored_parts((merkle.STORED_FROM, 7)) == [(merkle.STORED_FROM, 7)]


def entries_of(size: int, rng: random.Random) -> list[bytes]:
    return [rng.randbytes(32) for _ in range(size)]


@pytest.mark.parametrize("size", SIZES)
def test_roots_and_inclusion_proofs_match_the_rfc_for_every_size(size: int) -> None:
    rng = random.Random(size)
    entries = entries_of(size, rng)
    nodes = stored_nodes(entries)
    expected_root = mth(entries)
    assert merkle.root(size, nodes) == expected_root
    for index in {0, size - 1, rng.randrange(size)}:
        audit = merkle.inclusion_path(index, size, nodes)
        leaf = merkle.leaf_hash(entries[index])
        assert audit == path(index, entries)
        assert root_from_path(leaf, index, size, audit) == expected_root
        assert merkle.verify_inclusion(leaf, index, size, audit, expected_root)
        changed = merkle.leaf_hash(rng.randbytes(32))
        assert not merkle.verify_inclusion(changed, index, size, audit, expected_root)


@pytest.mark.parametrize("size", SIZES)
def test_consistency_proofs_match_the_rfc_and_fail_for_a_changed_history(size: int) -> None:
    rng = random.Random(1000 + size)
    entries = entries_of(size, rng)
    nodes = stored_nodes(entries)
    new_root = mth(entries)
    for old in {1, size, rng.randint(1, size)}:
        proof = merkle.consistency_proof(old, size, nodes)
        old_root = mth(entries[:old])
        assert proof == subproof(old, entries, True)
        assert merkle.verify_consistency(old, size, old_root, new_root, proof)
        rewritten = mth([rng.randbytes(32), *entries[1:old]])
        if old < size:
            assert not merkle.verify_consistency(old, size, rewritten, new_root, proof)


def test_the_empty_tree_hashes_the_empty_string() -> None:
    assert merkle.root(0, stored_nodes([])) == h(b"")


def test_a_proof_asks_for_logarithmically_many_stored_subtrees() -> None:
    size = 1_000_003
    asked = merkle.needed(lambda nodes: merkle.inclusion_path(777_777, size, nodes))
    assert len(asked) <= 2 * size.bit_length() ** 2 // 4
    reads = {part for node in asked for part in merkle.stored_parts(node)}
    assert len(reads) <= len(asked) + 2 * (1 << merkle.STORED_FROM)
