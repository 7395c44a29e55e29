"""Digests over HTTP: taken from the chain head, signed when the ledger has a key, and checked
against the ledger later."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.evidence import generate_key_file
from ledger.evidence.tree_head import SignedTreeHead
from tests.e2e.client import ApiClient
from tests.e2e.serving import served

GENESIS = {"position": 0, "chain_hash": "0" * 64, "recorded_at": None}


@pytest.fixture(scope="module")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keys") / "ledger.key"


@pytest.fixture(scope="module")
def public_key(key_file: Path) -> str:
    return generate_key_file(key_file)


@pytest.fixture(scope="module")
def signing_url(
    e2e_ledger: LedgerApp, e2e_settings: Settings, key_file: Path, public_key: str
) -> Iterator[str]:
    with served(e2e_ledger, replace(e2e_settings, signing_key=key_file)) as url:
        yield url


@pytest.fixture
def signing_auditor(signing_url: str, tokens: dict[str, str]) -> Iterator[ApiClient]:
    client = ApiClient(signing_url, tokens["auditor"])
    yield client
    client.close()


def test_an_unsigned_digest_names_the_chain_head(auditor: ApiClient) -> None:
    digest = auditor.ok("GET", "/ledger/digest")
    head = auditor.ok("GET", "/ledger/head")
    assert digest["position"] >= head["position"] > 0
    assert set(digest) == {"position", "chain_hash", "recorded_at"}
    assert len(digest["chain_hash"]) == 64
    assert digest["recorded_at"].endswith("Z")


def test_the_ledger_matches_a_digest_taken_from_it(auditor: ApiClient) -> None:
    digest = auditor.ok("GET", "/ledger/digest")
    check = auditor.ok("POST", "/ledger/digest/verify", digest)
    assert check == {
        "ok": True,
        "checked": check["checked"],
        "first_bad_position": None,
        "problem": None,
    }
    assert check["checked"] > 0


def test_the_genesis_digest_matches_any_ledger(auditor: ApiClient) -> None:
    check = auditor.ok("POST", "/ledger/digest/verify", GENESIS)
    assert (check["ok"], check["checked"]) == (True, 0)


def test_a_digest_whose_chain_hash_differs_names_its_position(auditor: ApiClient) -> None:
    digest = auditor.ok("GET", "/ledger/digest")
    check = auditor.ok("POST", "/ledger/digest/verify", {**digest, "chain_hash": "ab" * 32})
    assert check["ok"] is False
    assert check["first_bad_position"] == digest["position"]
    assert "rewritten" in check["problem"]


def test_a_digest_whose_time_differs_does_not_match(auditor: ApiClient) -> None:
    digest = auditor.ok("GET", "/ledger/digest")
    moved = {**digest, "recorded_at": "2001-01-01T00:00:00.000000Z"}
    check = auditor.ok("POST", "/ledger/digest/verify", moved)
    assert (check["ok"], check["first_bad_position"]) == (False, digest["position"])


def test_a_digest_beyond_the_head_does_not_match(auditor: ApiClient) -> None:
    digest = auditor.ok("GET", "/ledger/digest")
    ahead = {**digest, "position": digest["position"] + 1_000_000}
    check = auditor.ok("POST", "/ledger/digest/verify", ahead)
    assert (check["ok"], check["first_bad_position"]) == (False, ahead["position"])


def test_a_signed_digest_carries_the_key_and_passes_as_that_key(
    signing_auditor: ApiClient, public_key: str
) -> None:
    digest = signing_auditor.ok("GET", "/ledger/digest")
    assert len(digest["signature"]) == 128
    assert digest["public_key"] == public_key
    params = {"trusted_public_key": public_key}
    check = signing_auditor.ok("POST", "/ledger/digest/verify", digest, params=params)
    assert check["ok"] is True


def test_a_signed_digest_with_a_forged_field_is_rejected_as_a_digest(
    signing_auditor: ApiClient,
) -> None:
    digest = signing_auditor.ok("GET", "/ledger/digest")
    forged = {**digest, "position": digest["position"] - 1}
    check = signing_auditor.ok("POST", "/ledger/digest/verify", forged)
    assert check["ok"] is False
    assert check["first_bad_position"] is None
    assert "signature" in check["problem"]


def test_a_digest_signed_by_another_key_than_the_trusted_one_is_rejected(
    signing_auditor: ApiClient,
) -> None:
    digest = signing_auditor.ok("GET", "/ledger/digest")
    params = {"trusted_public_key": "1" * 64}
    check = signing_auditor.ok("POST", "/ledger/digest/verify", digest, params=params)
    assert (check["ok"], check["first_bad_position"]) == (False, None)


def test_an_unsigned_digest_fails_where_a_key_is_trusted(auditor: ApiClient) -> None:
    digest = auditor.ok("GET", "/ledger/digest")
    params = {"trusted_public_key": "1" * 64}
    check = auditor.ok("POST", "/ledger/digest/verify", digest, params=params)
    assert (check["ok"], check["problem"]) == (False, "the digest is not signed")


def test_a_signing_key_that_cannot_be_read_is_the_servers_problem(
    e2e_ledger: LedgerApp, e2e_settings: Settings, tokens: dict[str, str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.key"
    broken.write_text("not a key")
    with served(e2e_ledger, replace(e2e_settings, signing_key=broken)) as url:
        client = ApiClient(url, tokens["auditor"])
        response = client.get("/ledger/digest")
        client.close()
    assert response.status_code == 500
    assert response.json()["type"].endswith("/signing-key-unusable")


def test_a_signed_tree_head_verifies_with_the_public_key_the_ledger_serves(
    signing_auditor: ApiClient, public_key: str
) -> None:
    head = signing_auditor.ok("GET", "/ledger/tree-head")
    assert signing_auditor.ok("GET", "/ledger/public-key") == {"public_key": public_key}
    assert head["public_key"] == public_key
    signed = SignedTreeHead(**head)
    assert signed.signature_holds()
    forged = SignedTreeHead(**{**head, "tree_size": head["tree_size"] + 1})
    assert not forged.signature_holds()


def test_without_a_signing_key_the_public_key_is_not_found(auditor: ApiClient) -> None:
    response = auditor.get("/ledger/public-key")
    assert response.status_code == 404
    assert auditor.ok("GET", "/ledger/tree-head")["signature"] is None
