"""The Merkle tree the append keeps, checked against the chain by an independent reference."""

from __future__ import annotations

import hashlib
import random

import psycopg
import pytest

from ledger.application import LedgerApp
from ledger.domain import Profile
from ledger.errors import InvalidInput, NotFound
from ledger.store import merkle
from ledger.store.database import DatabaseAddress
from ledger.store.provision import grow_tree
from tests.integration.support import HR, new_id, saved_log, seat_with_active_plan
from tests.unit.store.test_merkle import mth, path, root_from_path, subproof

PROFILE = Profile("Ana Rao", "Sales", "Sales Executive")


def register(app: LedgerApp, count: int) -> None:
    for _ in range(count):
        app.register_employee(HR, new_id("E"), PROFILE)


def event_hashes(app: LedgerApp) -> list[tuple[int, bytes]]:
    """Every chained event's position and hash, in chain order."""
    rows = [row for page in app.records.pages(app.head_position()) for row in page]
    return [(row.position, row.event_hash) for row in rows if row.event_hash is not None]


def test_the_tree_head_is_the_rfc_root_of_the_chain_and_every_event_proves_its_inclusion(
    own_app: LedgerApp,
) -> None:
    register(own_app, 37)
    chained = event_hashes(own_app)
    entries = [digest for _, digest in chained]
    head = own_app.tree.head()
    assert (head.tree_size, head.root_hash) == (len(entries), mth(entries))
    assert head.position == chained[-1][0]
    for index, (position, digest) in enumerate(chained):
        proof = own_app.tree.inclusion(position)
        assert (proof.leaf_index, proof.event_hash) == (index, digest)
        assert proof.audit_path == path(index, entries)
        assert root_from_path(merkle.leaf_hash(digest), index, len(entries), proof.audit_path) == (
            head.root_hash
        )


def test_every_size_of_the_stored_tree_proves_its_events_to_an_independent_verifier(
    own_app: LedgerApp,
) -> None:
    """For each tree size: the head is the reference MTH, a random event's audit path leads
    to it when the reference recursion rebuilds the root and a changed event's does not, and
    the consistency proof from a random earlier size is the reference PROOF."""
    saved_log(own_app, seat_with_active_plan(own_app), 250)
    chained = event_hashes(own_app)
    entries = [digest for _, digest in chained]
    rng = random.Random(9162)
    assert len(entries) > 250
    for size in range(1, len(entries) + 1):
        head = own_app.tree.head(size)
        assert head.root_hash == mth(entries[:size])
        index = rng.randrange(size)
        position, digest = chained[index]
        proof = own_app.tree.inclusion(position, size)
        leaf = hashlib.sha256(b"\x00" + digest).digest()
        assert proof.leaf_hash == leaf
        assert root_from_path(leaf, index, size, proof.audit_path) == head.root_hash
        changed = hashlib.sha256(b"\x00" + rng.randbytes(32)).digest()
        assert root_from_path(changed, index, size, proof.audit_path) != head.root_hash
        old = rng.randint(1, size)
        consistency = own_app.tree.consistency(old, size)
        assert consistency.old_root == mth(entries[:old])
        assert consistency.proof == subproof(old, entries[:size], True)


def test_a_later_tree_is_consistent_with_an_earlier_one(own_app: LedgerApp) -> None:
    register(own_app, 5)
    earlier = own_app.tree.head()
    register(own_app, 11)
    proof = own_app.tree.consistency(earlier.tree_size)
    entries = [digest for _, digest in event_hashes(own_app)]
    assert proof.old_root == earlier.root_hash
    assert proof.proof == subproof(earlier.tree_size, entries, True)
    assert merkle.verify_consistency(
        proof.old_size, proof.new_size, proof.old_root, proof.new_root, proof.proof
    )


def test_a_proof_against_an_earlier_tree_size_verifies_against_that_tree(
    own_app: LedgerApp,
) -> None:
    register(own_app, 9)
    earlier = own_app.tree.head()
    register(own_app, 4)
    position = event_hashes(own_app)[3][0]
    proof = own_app.tree.inclusion(position, earlier.tree_size)
    assert proof.root_hash == earlier.root_hash
    assert merkle.verify_inclusion(
        proof.leaf_hash, proof.leaf_index, proof.tree_size, proof.audit_path, earlier.root_hash
    )


def test_db_init_grows_the_tree_over_events_it_does_not_cover(
    own_app: LedgerApp, fresh_database: DatabaseAddress
) -> None:
    register(own_app, 21)
    before = own_app.tree.head()
    with psycopg.connect(fresh_database.conninfo(), autocommit=True) as conn:
        for table in ("ledger_events_leaf_runs", "ledger_events_nodes"):
            conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
            conn.execute(f"DELETE FROM {table} WHERE true")
            conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")
    assert own_app.tree.size() == 0
    assert grow_tree(fresh_database) == before.tree_size
    assert own_app.tree.head() == before
    assert grow_tree(fresh_database) == 0


def test_the_tree_is_append_only(own_app: LedgerApp, fresh_database: DatabaseAddress) -> None:
    register(own_app, 16)
    with psycopg.connect(fresh_database.conninfo(), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE ledger_events_nodes SET node_hash = node_hash")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM ledger_events_leaf_runs")


def test_proofs_read_together_are_the_proofs_read_one_by_one(own_app: LedgerApp) -> None:
    register(own_app, 29)
    chained = event_hashes(own_app)
    entries = [digest for _, digest in chained]
    size = len(entries) - 3
    wanted = [position for position, _ in chained[:size:4]]
    together = own_app.tree.inclusions(wanted, size)
    assert list(together) == wanted
    for position in wanted:
        alone = own_app.tree.inclusion(position, size)
        assert together[position] == alone
        assert alone.audit_path == path(alone.leaf_index, entries[:size])
    with pytest.raises(InvalidInput):
        own_app.tree.inclusions([chained[-1][0]], size)
    with pytest.raises(NotFound):
        own_app.tree.inclusions([10**9], size)


def test_proofs_outside_the_tree_are_refused(own_app: LedgerApp) -> None:
    register(own_app, 3)
    size = own_app.tree.size()
    with pytest.raises(InvalidInput):
        own_app.tree.head(size + 1)
    with pytest.raises(NotFound):
        own_app.tree.inclusion(10**9)
    with pytest.raises(InvalidInput):
        own_app.tree.inclusion(event_hashes(own_app)[-1][0], size - 1)
    with pytest.raises(InvalidInput):
        own_app.tree.consistency(0)
    with pytest.raises(InvalidInput):
        own_app.tree.consistency(size, size - 1)


def test_one_save_of_many_events_grows_the_tree_as_many_saves_would(own_app: LedgerApp) -> None:
    saved_log(own_app, seat_with_active_plan(own_app), 300)
    entries = [digest for _, digest in event_hashes(own_app)]
    assert own_app.tree.head().root_hash == mth(entries)
