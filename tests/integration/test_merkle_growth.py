"""How the append grows the Merkle tree: saves of any size starting at any leaf store exactly
the perfect subtrees of RFC 9162's tree, and a schema upgrade carries an existing tree on."""

from __future__ import annotations

import random
from uuid import uuid4

import psycopg
from eventsourcing.persistence import StoredEvent

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.store.database import DatabaseAddress
from ledger.store.provision import init_schema
from ledger.store.recorder import LedgerRecorder
from tests.integration.test_merkle_tree import event_hashes
from tests.unit.store.test_merkle import mth

GROW_SIGNATURES = (
    "SELECT pg_get_function_identity_arguments(p.oid) FROM pg_proc p"
    " WHERE p.proname = 'ledger_events_tree_grow' ORDER BY 1"
)


def save_fillers(app: LedgerApp, count: int) -> None:
    """One save of ``count`` events; the tree sees only their hashes."""
    recorder = app.recorder
    assert isinstance(recorder, LedgerRecorder)
    recorder.insert_events([StoredEvent(uuid4(), 1, "test:Filler", b"{}") for _ in range(count)])


def stored_subtrees(address: DatabaseAddress) -> dict[tuple[int, int], bytes]:
    """Every leaf and node hash the tree holds, by (level, index)."""
    with psycopg.connect(address.conninfo()) as conn:
        leaves = conn.execute("SELECT leaf_index, leaf_hash FROM ledger_events_leaves").fetchall()
        nodes = conn.execute(
            "SELECT level, node_index, node_hash FROM ledger_events_nodes"
        ).fetchall()
    found = {(0, index): bytes(digest) for index, digest in leaves}
    found.update({(level, index): bytes(digest) for level, index, digest in nodes})
    return found


def expected_subtrees(entries: list[bytes]) -> dict[tuple[int, int], bytes]:
    """Every perfect subtree of the reference tree over ``entries``, by (level, index)."""
    expected = {}
    level = 0
    while 1 << level <= len(entries):
        width = 1 << level
        for index in range(len(entries) // width):
            expected[(level, index)] = mth(entries[index * width : (index + 1) * width])
        level += 1
    return expected


def test_saves_of_random_sizes_store_exactly_the_perfect_subtrees(
    own_app: LedgerApp, fresh_database: DatabaseAddress
) -> None:
    rng = random.Random(10)
    for count in [1, 1, 2, 3, 1, 7, 64, 5, 129, *(rng.randint(1, 40) for _ in range(12))]:
        save_fillers(own_app, count)
        entries = [digest for _, digest in event_hashes(own_app)]
        assert stored_subtrees(fresh_database) == expected_subtrees(entries)
        assert own_app.tree.head().root_hash == mth(entries)


def test_a_schema_upgrade_replaces_the_grow_function_and_carries_the_tree_on(
    own_app: LedgerApp, fresh_database: DatabaseAddress, settings: Settings
) -> None:
    save_fillers(own_app, 11)
    with psycopg.connect(fresh_database.conninfo(), autocommit=True) as conn:
        conn.execute(
            "CREATE FUNCTION ledger_events_tree_grow(bigint, bigint, bytea) RETURNS void"
            " LANGUAGE sql AS 'SELECT 1'"
        )
    init_schema(fresh_database, settings)
    with psycopg.connect(fresh_database.conninfo()) as conn:
        signatures = [row[0] for row in conn.execute(GROW_SIGNATURES).fetchall()]
    assert signatures == ["at_positions bigint[], digests bytea[]"]
    save_fillers(own_app, 6)
    entries = [digest for _, digest in event_hashes(own_app)]
    assert len(entries) == 17
    assert stored_subtrees(fresh_database) == expected_subtrees(entries)
