"""How the append grows the Merkle tree: saves of any size starting at any leaf store exactly
the leaves and the perfect subtrees of 16 leaves or more of RFC 9162's tree, and a schema
upgrade carries an existing tree on."""

from __future__ import annotations

import random
from uuid import uuid4

import psycopg
from eventsourcing.persistence import StoredEvent

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.store import merkle
from ledger.store.database import DatabaseAddress
from ledger.store.provision import init_schema
from ledger.store.recorder import LedgerRecorder
from tests.integration.test_merkle_tree import event_hashes
from tests.unit.store.test_merkle import mth, path

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
    """Every leaf (as its runs and the chain make it) and node hash the tree holds, by
    (level, index)."""
    with psycopg.connect(address.conninfo()) as conn:
        leaves = conn.execute(
            "SELECT r.first_leaf + (c.position - r.first_position), c.event_hash"
            " FROM ledger_events_leaf_runs r JOIN ledger_events_chain c"
            " ON c.position BETWEEN r.first_position AND r.first_position + r.leaves - 1"
        ).fetchall()
        nodes = conn.execute(
            "SELECT level, node_index, node_hash FROM ledger_events_nodes"
        ).fetchall()
    found = {(0, index): merkle.leaf_hash(bytes(digest)) for index, digest in leaves}
    found.update({(level, index): bytes(digest) for level, index, digest in nodes})
    return found


def expected_subtrees(entries: list[bytes]) -> dict[tuple[int, int], bytes]:
    """Every leaf and kept perfect subtree of the reference tree over ``entries``."""
    expected = {}
    level = 0
    while 1 << level <= len(entries):
        if 0 < level < merkle.STORED_FROM:
            level += 1
            continue
        width = 1 << level
        for index in range(len(entries) // width):
            expected[(level, index)] = mth(entries[index * width : (index + 1) * width])
        level += 1
    return expected


def test_saves_of_random_sizes_store_exactly_the_kept_subtrees(
    own_app: LedgerApp, fresh_database: DatabaseAddress
) -> None:
    rng = random.Random(10)
    counts = [1, 1, 2, 3, 1, 7, 64, 5, 129, 16, 15, 1, 1000]
    for count in [*counts, *(rng.randint(1, 40) for _ in range(12))]:
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


def skip_positions(address: DatabaseAddress, count: int) -> None:
    """Positions taken and never used, as a write that failed after taking them leaves."""
    with psycopg.connect(address.conninfo(), autocommit=True) as conn:
        conn.execute(
            "SELECT nextval(pg_get_serial_sequence('ledger_events', 'notification_id'))"
            " FROM generate_series(1, %s)",
            (count,),
        )


def test_saves_after_gaps_in_the_positions_keep_the_leaves_in_order(
    own_app: LedgerApp, fresh_database: DatabaseAddress
) -> None:
    rng = random.Random(11)
    for count in [3, 14, 1, 30, 16, 2, 100, *(rng.randint(1, 40) for _ in range(8))]:
        save_fillers(own_app, count)
        skip_positions(fresh_database, rng.randint(1, 3))
    chained = event_hashes(own_app)
    entries = [digest for _, digest in chained]
    assert stored_subtrees(fresh_database) == expected_subtrees(entries)
    assert own_app.tree.head().root_hash == mth(entries)
    for index in rng.sample(range(len(entries)), 20):
        proof = own_app.tree.inclusion(chained[index][0])
        assert (proof.leaf_index, proof.audit_path) == (index, path(index, entries))
        assert own_app.tree.position_of(index) == chained[index][0]


def test_a_tree_that_kept_a_row_per_leaf_and_its_small_subtrees_carries_on(
    own_app: LedgerApp, fresh_database: DatabaseAddress, settings: Settings
) -> None:
    """A ledger grown when the tree kept a row per leaf and every perfect subtree: its runs are
    made from those rows on the next schema upgrade, the old rows stay unread, and later saves
    and proofs are the RFC's."""
    save_fillers(own_app, 9)
    skip_positions(fresh_database, 2)
    save_fillers(own_app, 12)
    before = own_app.tree.head()
    entries = [digest for _, digest in event_hashes(own_app)]
    with psycopg.connect(fresh_database.conninfo(), autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE ledger_events_leaves (leaf_index bigint PRIMARY KEY,"
            " position bigint NOT NULL UNIQUE, leaf_hash bytea NOT NULL)"
        )
        conn.execute(
            "INSERT INTO ledger_events_leaves"
            " SELECT r.first_leaf + (c.position - r.first_position), c.position,"
            " sha256('\\x00'::bytea || c.event_hash) FROM ledger_events_leaf_runs r"
            " JOIN ledger_events_chain c"
            " ON c.position BETWEEN r.first_position AND r.first_position + r.leaves - 1"
        )
        for level in range(1, merkle.STORED_FROM):
            width = 1 << level
            for index in range(len(entries) // width):
                digest = mth(entries[index * width : (index + 1) * width])
                conn.execute(
                    "INSERT INTO ledger_events_nodes (level, node_index, node_hash)"
                    " VALUES (%s, %s, %s)",
                    (level, index, digest),
                )
        conn.execute("ALTER TABLE ledger_events_leaf_runs DISABLE TRIGGER ALL")
        conn.execute("DELETE FROM ledger_events_leaf_runs WHERE true")
        conn.execute("ALTER TABLE ledger_events_leaf_runs ENABLE TRIGGER ALL")
    assert own_app.tree.size() == 0
    init_schema(fresh_database, settings)
    assert own_app.tree.head() == before
    save_fillers(own_app, 40)
    entries = [digest for _, digest in event_hashes(own_app)]
    assert stored_subtrees(fresh_database).items() >= expected_subtrees(entries).items()
    assert own_app.tree.head().root_hash == mth(entries)
    positions = [position for position, _ in event_hashes(own_app)]
    for index in (0, 8, 9, 20, 21, 47, 60):
        proof = own_app.tree.inclusion(positions[index])
        assert proof.audit_path == path(index, entries)
