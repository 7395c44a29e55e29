"""Reading the Merkle tree the append keeps: tree heads and RFC 9162 proofs, each from one
read of the O(log n) stored leaves and subtrees it needs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from eventsourcing.postgres import PostgresDatastore
from psycopg.sql import SQL, Identifier, Placeholder

from ledger.errors import InvalidInput, NotFound
from ledger.store import merkle
from ledger.store.merkle import Node

T = TypeVar("T")

# A leaf is found through the run that holds it (a run of leaves at consecutive positions) and
# hashed from the chain's event hash: SHA-256(0x00 || event hash).
_LEAF_COLUMNS = (
    "r.first_leaf + (c.position - r.first_position) AS leaf_index, c.position,"
    " sha256('\\x00'::bytea || c.event_hash) AS leaf_hash, c.event_hash"
)
_RUN_OF_INDEX = (
    "SELECT x.first_leaf, x.first_position, x.leaves FROM {schema}.{runs} x"
    " WHERE x.first_leaf <= {at} ORDER BY x.first_leaf DESC LIMIT 1"
)
_RUN_OF_POSITION = (
    "SELECT x.first_leaf, x.first_position, x.leaves FROM {schema}.{runs} x"
    " WHERE x.first_position <= {at} ORDER BY x.first_position DESC LIMIT 1"
)
_LEAF_OF_INDEX = (
    f"SELECT {_LEAF_COLUMNS}, c.recorded_at FROM ({_RUN_OF_INDEX}) r"
    " JOIN {schema}.{chain} c ON c.position = r.first_position + (%(v)s - r.first_leaf)"
    " WHERE %(v)s < r.first_leaf + r.leaves"
)
_LEAF_AT_POSITION = (
    f"SELECT {_LEAF_COLUMNS}, c.recorded_at FROM ({_RUN_OF_POSITION}) r"
    " JOIN {schema}.{chain} c ON c.position = %(v)s"
    " WHERE %(v)s < r.first_position + r.leaves"
)
_LEAVES_AT_POSITIONS = (
    f"SELECT {_LEAF_COLUMNS} FROM unnest(%s::bigint[]) AS w(p)"
    f" CROSS JOIN LATERAL ({_RUN_OF_POSITION}) r"
    " JOIN {schema}.{chain} c ON c.position = w.p"
    " WHERE w.p < r.first_position + r.leaves"
)
_NODES = (
    "SELECT 0 AS level, w.i AS node_index, sha256('\\x00'::bytea || c.event_hash) AS node_hash"
    f" FROM unnest(%s::bigint[]) AS w(i) CROSS JOIN LATERAL ({_RUN_OF_INDEX}) r"
    " JOIN {schema}.{chain} c ON c.position = r.first_position + (w.i - r.first_leaf)"
    " WHERE w.i < r.first_leaf + r.leaves"
    " UNION ALL SELECT n.level, n.node_index, n.node_hash FROM {schema}.{nodes} n"
    " JOIN unnest(%s::smallint[], %s::bigint[]) AS w(level, node_index)"
    " ON n.level = w.level AND n.node_index = w.node_index"
)


@dataclass(frozen=True)
class TreeHead:
    tree_size: int
    root_hash: bytes
    position: int
    """The position of the tree's last leaf (0 for the empty tree)."""
    recorded_at: datetime | None


@dataclass(frozen=True)
class InclusionProof:
    position: int
    leaf_index: int
    tree_size: int
    event_hash: bytes
    leaf_hash: bytes
    audit_path: list[bytes]
    root_hash: bytes

    def to_dict(self) -> dict[str, object]:
        """As DESIGN §16 shows it: hashes as lowercase hex."""
        return {
            "position": self.position,
            "leaf_index": self.leaf_index,
            "tree_size": self.tree_size,
            "event_hash": self.event_hash.hex(),
            "leaf_hash": self.leaf_hash.hex(),
            "audit_path": [node.hex() for node in self.audit_path],
            "root_hash": self.root_hash.hex(),
        }


@dataclass(frozen=True)
class ConsistencyProof:
    old_size: int
    new_size: int
    old_root: bytes
    new_root: bytes
    proof: list[bytes]

    def to_dict(self) -> dict[str, object]:
        """As DESIGN §16 shows it (RFC 9162 2.1.4): hashes as lowercase hex."""
        return {
            "from": self.old_size,
            "to": self.new_size,
            "from_root": self.old_root.hex(),
            "to_root": self.new_root.hex(),
            "proof": [node.hex() for node in self.proof],
        }


class MerkleTree:
    def __init__(self, datastore: PostgresDatastore, events_table: str) -> None:
        self.datastore = datastore
        names = {
            "schema": Identifier(datastore.schema),
            "chain": Identifier(f"{events_table}_chain"),
            "runs": Identifier(f"{events_table}_leaf_runs"),
            "nodes": Identifier(f"{events_table}_nodes"),
        }
        self._size = SQL(
            "SELECT coalesce((SELECT r.first_leaf + r.leaves FROM {schema}.{runs} r"
            " ORDER BY r.first_leaf DESC LIMIT 1), 0) AS size"
        ).format(**names)
        self._size_at = SQL(
            "SELECT r.first_leaf + least(%(p)s - r.first_position, r.leaves - 1) AS leaf_index"
            " FROM {schema}.{runs} r WHERE r.first_position <= %(p)s"
            " ORDER BY r.first_position DESC LIMIT 1"
        ).format(**names)
        self._leaf = {
            "leaf_index": SQL(_LEAF_OF_INDEX).format(at=Placeholder("v"), **names),
            "position": SQL(_LEAF_AT_POSITION).format(at=Placeholder("v"), **names),
        }
        self._leaves = SQL(_LEAVES_AT_POSITIONS).format(at=SQL("w.p"), **names)
        self._nodes = SQL(_NODES).format(at=SQL("w.i"), **names)

    def size(self) -> int:
        with self.datastore.transaction(commit=False) as curs:
            row = curs.execute(self._size).fetchone()
        return int(row["size"]) if row else 0

    def size_at(self, position: int) -> int:
        """The size of the tree whose last leaf is the last event at or before ``position``."""
        with self.datastore.transaction(commit=False) as curs:
            row = curs.execute(self._size_at, {"p": position}).fetchone()
        return int(row["leaf_index"]) + 1 if row else 0

    def position_of(self, leaf_index: int) -> int:
        """The position of the event that is the leaf ``leaf_index``."""
        found = self._leaf_row("leaf_index", leaf_index)
        if found is None:
            raise NotFound(f"no leaf {leaf_index} in the tree")
        return found[1]

    def head(self, tree_size: int | None = None) -> TreeHead:
        """The tree head at ``tree_size`` leaves (default: every leaf there is)."""
        size = self._checked_size(tree_size)
        if size == 0:
            return TreeHead(0, merkle.root(0, merkle.from_mapping({})), 0, None)
        last = self._leaf_row("leaf_index", size - 1)
        assert last is not None
        return TreeHead(size, self._computed(lambda n: merkle.root(size, n)), last[1], last[4])

    def inclusion(self, position: int, tree_size: int | None = None) -> InclusionProof:
        """The audit path of the event at ``position`` in the tree of ``tree_size`` leaves."""
        size = self._checked_size(tree_size)
        found = self._leaf_row("position", position)
        if found is None:
            raise NotFound(f"no event at position {position} in the tree")
        index, _, leaf, event, _ = found
        if index >= size:
            message = f"must be more than {index}, the leaf index of position {position}"
            raise InvalidInput(f"tree_size {message}", {"tree_size": message})
        path, root = self._computed(
            lambda n: (merkle.inclusion_path(index, size, n), merkle.root(size, n))
        )
        return InclusionProof(position, index, size, event, leaf, path, root)

    def inclusions(
        self, positions: Sequence[int], tree_size: int | None = None
    ) -> dict[int, InclusionProof]:
        """The audit paths of the events at ``positions`` in one tree, by position: the
        leaves in one read and every subtree their paths need in another."""
        size = self._checked_size(tree_size)
        with self.datastore.transaction(commit=False) as curs:
            rows = curs.execute(self._leaves, (list(positions),)).fetchall()
        leaves = {row["position"]: row for row in rows}
        for position in positions:
            found = leaves.get(position)
            if found is None:
                raise NotFound(f"no event at position {position} in the tree")
            if found["leaf_index"] >= size:
                message = f"must be more than {found['leaf_index']}, the leaf index of {position}"
                raise InvalidInput(f"tree_size {message}", {"tree_size": message})
        indexes = {position: leaves[position]["leaf_index"] for position in positions}
        paths, root = self._computed(
            lambda n: (
                {p: merkle.inclusion_path(i, size, n) for p, i in indexes.items()},
                merkle.root(size, n),
            )
        )
        return {
            position: InclusionProof(
                position,
                indexes[position],
                size,
                bytes(leaves[position]["event_hash"]),
                bytes(leaves[position]["leaf_hash"]),
                paths[position],
                root,
            )
            for position in positions
        }

    def consistency(self, old_size: int, new_size: int | None = None) -> ConsistencyProof:
        """The proof that the tree of ``old_size`` leaves is a prefix of the newer one."""
        new = self._checked_size(new_size, field="to")
        if not 0 < old_size <= new:
            message = f"must be 1 to {new}, the newer tree's size"
            raise InvalidInput(f"from {message}", {"from": message})
        proof, old_root, new_root = self._computed(
            lambda n: (
                merkle.consistency_proof(old_size, new, n),
                merkle.root(old_size, n),
                merkle.root(new, n),
            )
        )
        return ConsistencyProof(old_size, new, old_root, new_root, proof)

    def _checked_size(self, tree_size: int | None, field: str = "tree_size") -> int:
        size = self.size()
        if tree_size is None:
            return size
        if not 0 <= tree_size <= size:
            message = f"must be 0 to {size}, the tree's size now"
            raise InvalidInput(f"{field} {message}", {field: message})
        return tree_size

    def _leaf_row(self, column: str, value: int) -> tuple[int, int, bytes, bytes, datetime] | None:
        with self.datastore.transaction(commit=False) as curs:
            row = curs.execute(self._leaf[column], {"v": value}).fetchone()
        if row is None:
            return None
        return (
            row["leaf_index"],
            row["position"],
            bytes(row["leaf_hash"]),
            bytes(row["event_hash"]),
            row["recorded_at"],
        )

    def _computed(self, compute: Callable[[merkle.Nodes], T]) -> T:
        wanted = {part for node in merkle.needed(compute) for part in merkle.stored_parts(node)}
        return compute(merkle.from_mapping(self._read(wanted)))

    def _read(self, wanted: set[Node]) -> dict[Node, bytes]:
        leaves = [index for level, index in wanted if level == 0]
        inner = [(level, index) for level, index in wanted if level > 0]
        params = (leaves, [level for level, _ in inner], [index for _, index in inner])
        with self.datastore.transaction(commit=False) as curs:
            rows = curs.execute(self._nodes, params).fetchall()
        found = {(row["level"], row["node_index"]): bytes(row["node_hash"]) for row in rows}
        if len(found) != len(wanted):
            raise NotFound("the tree lacks subtrees it should hold; run `ledger verify`")
        return found
