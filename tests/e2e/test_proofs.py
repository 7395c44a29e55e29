"""Tree heads and proofs over HTTP, checked by the independent RFC 9162 reference."""

from __future__ import annotations

from tests.e2e.client import ApiClient, active_seat
from tests.unit.store.test_merkle import h, root_from_path


def test_an_events_inclusion_proof_leads_to_the_tree_heads_root(
    hr: ApiClient, auditor: ApiClient
) -> None:
    seat = active_seat(hr)
    written = hr.ok(
        "POST", f"{seat.kpi()}/measurements", {"value": 87, "effective_date": "2026-06-30"}
    )
    head = auditor.ok("GET", "/ledger/tree-head")
    proof = auditor.ok(
        "GET",
        f"/ledger/proofs/inclusion?position={written['position']}&tree_size={head['tree_size']}",
    )
    leaf = h(b"\x00" + bytes.fromhex(proof["event_hash"]))
    assert proof["leaf_hash"] == leaf.hex()
    path = [bytes.fromhex(node) for node in proof["audit_path"]]
    rebuilt = root_from_path(leaf, proof["leaf_index"], proof["tree_size"], path)
    assert rebuilt.hex() == proof["root_hash"] == head["root_hash"]


def test_a_later_tree_head_is_proved_consistent_with_an_earlier_one(
    hr: ApiClient, auditor: ApiClient
) -> None:
    earlier = auditor.ok("GET", "/ledger/tree-head")
    active_seat(hr)
    later = auditor.ok("GET", "/ledger/tree-head")
    proof = auditor.ok(
        "GET", f"/ledger/proofs/consistency?from={earlier['tree_size']}&to={later['tree_size']}"
    )
    assert (proof["from_root"], proof["to_root"]) == (earlier["root_hash"], later["root_hash"])
    assert proof["proof"]


def test_proofs_outside_the_tree_get_a_clear_4xx(auditor: ApiClient) -> None:
    size = auditor.ok("GET", "/ledger/tree-head")["tree_size"]
    assert auditor.get(f"/ledger/tree-head?tree_size={size + 10**6}").status_code == 422
    assert auditor.get("/ledger/proofs/inclusion?position=0").status_code == 422
    assert auditor.get("/ledger/proofs/inclusion").status_code == 422
    assert auditor.get(f"/ledger/proofs/consistency?from={size}&to={size - 1}").status_code == 422
    missing = auditor.get(f"/ledger/proofs/inclusion?position={10**15}")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


def test_a_manager_reads_the_tree_head_but_not_the_proofs(manager: ApiClient) -> None:
    assert manager.get("/ledger/tree-head").status_code == 200
    assert manager.get("/ledger/proofs/inclusion?position=1").status_code == 403
