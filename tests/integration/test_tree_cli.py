"""``ledger tree``: the tree head and proofs from the command line, as JSON."""

from __future__ import annotations

import json

from ledger.application import LedgerApp
from ledger.domain import Profile
from ledger.store import merkle
from ledger.store.database import DatabaseAddress
from tests.integration.support import HR, new_id, run_ledger


def test_the_command_line_prints_a_head_and_proofs_that_verify(
    own_app: LedgerApp, fresh_database: DatabaseAddress
) -> None:
    for _ in range(6):
        own_app.register_employee(HR, new_id("E"), Profile("Ana Rao", "Sales", "Lead"))
    earlier = own_app.tree.head(3)
    position = own_app.head_position()

    head = json.loads(run_ledger(fresh_database, "tree", "head").stdout)
    included = json.loads(
        run_ledger(fresh_database, "tree", "inclusion", "--position", str(position)).stdout
    )
    consistent = json.loads(run_ledger(fresh_database, "tree", "consistency", "--from", "3").stdout)

    root = bytes.fromhex(head["root_hash"])
    assert head["tree_size"] == 6
    assert merkle.verify_inclusion(
        bytes.fromhex(included["leaf_hash"]),
        included["leaf_index"],
        included["tree_size"],
        [bytes.fromhex(node) for node in included["audit_path"]],
        root,
    )
    assert merkle.verify_consistency(
        3,
        6,
        earlier.root_hash,
        root,
        [bytes.fromhex(node) for node in consistent["proof"]],
    )


def test_a_proof_outside_the_tree_is_an_error_message_not_a_traceback(
    own_app: LedgerApp, fresh_database: DatabaseAddress
) -> None:
    own_app.register_employee(HR, new_id("E"), Profile("Ana Rao", "Sales", "Lead"))
    result = run_ledger(fresh_database, "tree", "consistency", "--from", "5")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "from must be 1 to 1" in result.stderr
