"""Digests of the chain head: signed, kept outside, and checked against the ledger later."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.domain import Profile
from ledger.errors import InvalidInput
from ledger.evidence import (
    Digest,
    SigningKeyError,
    generate_key_file,
    make_digest,
    read_public_key,
    verify_digest,
)
from ledger.store.database import DatabaseAddress
from tests.integration.support import HR, new_id


def register(app: LedgerApp, department: str = "Sales") -> int:
    profile = Profile("Ana Rao", department, "Account Manager")
    return app.register_employee(HR, new_id("E"), profile).position


def tamper(address: DatabaseAddress, position: int) -> None:
    """What a superuser could do: bypass the guards and rewrite one stored event."""
    with psycopg.connect(address.conninfo(), autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute(
            "UPDATE ledger_events SET state = convert_to(replace(convert_from(state, 'UTF8'),"
            " 'Sales', 'Board'), 'UTF8') WHERE notification_id = %s",
            (position,),
        )


def flipped(signature: str | None) -> str:
    """The signature with its last hex digit changed."""
    assert signature is not None
    return signature[:-1] + ("1" if signature.endswith("0") else "0")


@pytest.fixture
def signing(tmp_path: Path, settings: Settings) -> Settings:
    key = tmp_path / "ledger.key"
    generate_key_file(key)
    return replace(settings, signing_key=key)


def test_a_digest_names_the_head_and_verifies(own_app: LedgerApp, settings: Settings) -> None:
    last = [register(own_app) for _ in range(3)][-1]

    digest = make_digest(own_app, settings)

    head = own_app.head()
    assert (digest.position, digest.chain_hash, digest.recorded_at) == (
        last,
        head.chain_hash.hex(),
        head.recorded_at,
    )
    assert not digest.is_signed
    check = verify_digest(own_app, digest)
    assert (check.ok, check.first_bad_position, check.checked) == (True, None, 3)


def test_the_digest_of_an_empty_ledger_verifies(own_app: LedgerApp, settings: Settings) -> None:
    digest = make_digest(own_app, settings)
    assert (digest.position, digest.chain_hash, digest.recorded_at) == (0, "00" * 32, None)
    assert verify_digest(own_app, Digest.from_json(digest.to_json())).ok


def test_a_digest_survives_its_json(own_app: LedgerApp, signing: Settings) -> None:
    register(own_app)
    digest = make_digest(own_app, signing)
    assert Digest.from_json(digest.to_json()) == digest
    assert set(digest.to_dict()) == {
        "position",
        "chain_hash",
        "recorded_at",
        "signature",
        "public_key",
    }


def test_tampering_fails_digests_at_or_after_the_position_and_not_before(
    own_app: LedgerApp, fresh_database: DatabaseAddress, settings: Settings
) -> None:
    register(own_app)
    earlier = make_digest(own_app, settings)
    victim = register(own_app)
    at_victim = make_digest(own_app, settings)
    register(own_app, "Service")
    later = make_digest(own_app, settings)

    tamper(fresh_database, victim)

    verification = own_app.verify()
    assert (verification.ok, verification.first_bad_position) == (False, victim)
    assert verify_digest(own_app, earlier).ok
    for digest in (at_victim, later):
        check = verify_digest(own_app, digest)
        assert (check.ok, check.first_bad_position) == (False, victim)
        assert check.problem == "event bytes do not match their stored hash"


def test_a_signed_digest_verifies_with_its_key_and_not_with_another(
    own_app: LedgerApp, signing: Settings, tmp_path: Path
) -> None:
    register(own_app)
    digest = make_digest(own_app, signing)
    assert signing.signing_key is not None
    own_key = read_public_key(signing.signing_key)
    other_key = generate_key_file(tmp_path / "other.key")

    assert digest.public_key == own_key
    assert verify_digest(own_app, digest, trusted_public_key=own_key).ok
    refused = verify_digest(own_app, digest, trusted_public_key=other_key)
    assert (refused.ok, refused.first_bad_position) == (False, None)
    assert refused.problem == "the digest is signed by another key than the trusted one"
    relabelled = replace(digest, public_key=other_key)
    assert not verify_digest(own_app, relabelled).ok
    assert not verify_digest(own_app, relabelled, trusted_public_key=other_key).ok


def test_an_altered_field_of_a_signed_digest_fails_its_signature(
    own_app: LedgerApp, signing: Settings
) -> None:
    first = register(own_app)
    register(own_app)
    digest = make_digest(own_app, signing)
    assert digest.recorded_at is not None
    link = own_app.records.link_at(first)
    assert link is not None
    altered = [
        replace(digest, position=first, chain_hash=link.chain_hash.hex()),
        replace(digest, chain_hash="ab" * 32),
        replace(digest, recorded_at=digest.recorded_at + timedelta(microseconds=1)),
        replace(digest, signature=flipped(digest.signature)),
    ]
    for digest_altered in altered:
        check = verify_digest(own_app, digest_altered)
        assert not check.ok
        assert check.problem == "the digest's signature does not match its fields"


def test_an_altered_unsigned_digest_fails_against_the_ledger(
    own_app: LedgerApp, settings: Settings
) -> None:
    register(own_app)
    digest = make_digest(own_app, settings)
    assert digest.recorded_at is not None

    rewritten = verify_digest(own_app, replace(digest, chain_hash="ab" * 32))
    assert (rewritten.ok, rewritten.first_bad_position) == (False, digest.position)
    moved = verify_digest(own_app, replace(digest, recorded_at=digest.recorded_at - timedelta(1)))
    assert (moved.ok, moved.first_bad_position) == (False, digest.position)
    beyond = verify_digest(own_app, replace(digest, position=digest.position + 5))
    assert (beyond.ok, beyond.first_bad_position) == (False, digest.position + 5)


def test_an_unsigned_digest_fails_when_a_trusted_key_is_required(
    own_app: LedgerApp, settings: Settings, tmp_path: Path
) -> None:
    register(own_app)
    trusted = generate_key_file(tmp_path / "trusted.key")
    check = verify_digest(own_app, make_digest(own_app, settings), trusted_public_key=trusted)
    assert (check.ok, check.problem) == (False, "the digest is not signed")


def test_malformed_digests_and_keys_are_refused(tmp_path: Path, settings: Settings) -> None:
    for text in ("[]", "{", '{"position": -1, "chain_hash": "00", "recorded_at": null}'):
        with pytest.raises(InvalidInput):
            Digest.from_json(text)
    key = tmp_path / "ledger.key"
    generate_key_file(key)
    with pytest.raises(SigningKeyError):
        generate_key_file(key)
    not_a_key = tmp_path / "plain.txt"
    not_a_key.write_text("hello")
    with pytest.raises(SigningKeyError):
        read_public_key(not_a_key)
