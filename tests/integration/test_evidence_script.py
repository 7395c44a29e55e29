"""The bundle's verifier computes the chain exactly as the ledger does (ledger/store/chain.py)."""

from __future__ import annotations

import ast
import hashlib
import sys
from datetime import UTC, datetime, timedelta, timezone
from importlib.resources import files

from hypothesis import given
from hypothesis import strategies as st

from ledger.evidence import verify_bundle
from ledger.store import chain

ids = st.text(min_size=1, max_size=40)
instants = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30))]),
)


@given(ids, st.integers(min_value=1, max_value=2**40), st.text(), st.binary(max_size=300))
def test_the_script_hashes_an_event_as_the_chain_does(
    originator_id: str, version: int, topic: str, state: bytes
) -> None:
    assert verify_bundle.event_hash(originator_id, version, topic, state) == chain.event_hash(
        originator_id, version, topic, state
    )


@given(
    st.binary(min_size=32, max_size=32),
    st.binary(min_size=32, max_size=32),
    st.integers(min_value=1, max_value=2**62),
    instants,
)
def test_the_script_links_an_event_as_the_chain_does(
    previous: bytes, digest: bytes, position: int, recorded_at: datetime
) -> None:
    stamp = recorded_at.astimezone(UTC).strftime(verify_bundle.STAMP_FORMAT)
    assert verify_bundle.link_hash(previous, digest, position, stamp) == chain.link_hash(
        previous, digest, position, recorded_at
    )


def test_the_script_starts_the_chain_and_formats_time_as_the_chain_does() -> None:
    assert verify_bundle.GENESIS == chain.GENESIS
    assert verify_bundle.STAMP_FORMAT == chain.STAMP_FORMAT


def test_the_script_imports_nothing_but_the_standard_library() -> None:
    source = files("ledger.evidence").joinpath("verify_bundle.py").read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    optional = {"cryptography"}

    assert imported - optional <= set(sys.stdlib_module_names) | {"__future__"}


def h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def mth(entries: list[bytes]) -> bytes:
    """MTH of RFC 9162 2.1.1, literally."""
    if len(entries) == 1:
        return h(b"\x00" + entries[0])
    k = 1 << ((len(entries) - 1).bit_length() - 1)
    return h(b"\x01" + mth(entries[:k]) + mth(entries[k:]))


def subproof(m: int, entries: list[bytes], complete: bool) -> list[bytes]:
    """SUBPROOF of RFC 9162 2.1.4.1, literally."""
    n = len(entries)
    if m == n:
        return [] if complete else [mth(entries)]
    k = 1 << ((n - 1).bit_length() - 1)
    if m <= k:
        return [*subproof(m, entries[:k], complete), mth(entries[k:])]
    return [*subproof(m - k, entries[k:], False), mth(entries[:k])]


def test_the_script_checks_consistency_proofs_as_rfc_9162_defines_them() -> None:
    leaves = [bytes([n]) * 32 for n in range(40)]
    for new in range(1, len(leaves) + 1):
        new_root = mth(leaves[:new])
        for old in range(1, new + 1):
            proof = subproof(old, leaves[:new], True)
            old_root = mth(leaves[:old])
            assert verify_bundle.consistency_holds(old, new, old_root, new_root, proof)
            assert not verify_bundle.consistency_holds(old, new, new_root[::-1], new_root, proof)
            if proof:
                changed = [proof[0][::-1], *proof[1:]]
                assert not verify_bundle.consistency_holds(old, new, old_root, new_root, changed)
