"""Digests of the chain head, kept outside the database, and checking the ledger against one.

A digest names a position, the chain hash there and when it was recorded. Signed, the
signature covers the canonical JSON of exactly those three fields (keys sorted, separators
``,`` and ``:``, UTF-8, ``recorded_at`` as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, NoReturn

from ledger.config import Settings
from ledger.errors import InvalidInput
from ledger.evidence.signing import load_private_key, public_key_hex, sign, signature_valid
from ledger.store.chain import GENESIS, STAMP_FORMAT
from ledger.store.records import Progress

if TYPE_CHECKING:
    from ledger.application import LedgerApp

_HEX_DIGITS = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class Digest:
    """The chain at ``position``; ``recorded_at`` is None only for an empty ledger."""

    position: int
    chain_hash: str
    """Lowercase hex of the 32-byte chain hash."""
    recorded_at: datetime | None
    signature: str | None = None
    public_key: str | None = None

    @property
    def is_signed(self) -> bool:
        return self.signature is not None

    def payload(self) -> bytes:
        """The bytes a signature covers."""
        fields = {
            "chain_hash": self.chain_hash,
            "position": self.position,
            "recorded_at": stamp(self.recorded_at),
        }
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "position": self.position,
            "chain_hash": self.chain_hash,
            "recorded_at": stamp(self.recorded_at),
        }
        if self.signature is not None:
            data["signature"] = self.signature
            data["public_key"] = self.public_key
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Digest:
        """Raises InvalidInput naming the first malformed field."""
        position = data.get("position")
        if type(position) is not int or position < 0:
            _malformed("position", "must be a whole number of at least 0")
        chain_hash = data.get("chain_hash")
        if not isinstance(chain_hash, str) or not _is_hex(chain_hash, 32):
            _malformed("chain_hash", "must be 64 lowercase hex digits")
        signature = _optional_text(data, "signature")
        public_key = _optional_text(data, "public_key")
        if (signature is None) != (public_key is None):
            _malformed("signature", "signature and public_key come together or not at all")
        return cls(position, chain_hash, _instant(data.get("recorded_at")), signature, public_key)

    @classmethod
    def from_json(cls, text: str) -> Digest:
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise InvalidInput(f"the digest is not JSON: {exc}", {"digest": str(exc)}) from None
        if not isinstance(data, dict):
            _malformed("digest", "must be a JSON object")
        return cls.from_dict(data)


@dataclass(frozen=True)
class DigestCheck:
    """``first_bad_position`` names where the ledger stops matching; it is None when the
    digest itself is at fault (a bad signature or another key)."""

    ok: bool
    first_bad_position: int | None
    problem: str | None
    checked: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "first_bad_position": self.first_bad_position,
            "problem": self.problem,
        }


def make_digest(app: LedgerApp, settings: Settings) -> Digest:
    """The chain head, signed when ``settings.signing_key`` names a key file.

    Raises SigningKeyError when that file cannot be used.
    """
    head = app.records.head()
    digest = Digest(head.position, head.chain_hash.hex(), head.recorded_at)
    if settings.signing_key is None:
        return digest
    return sign_digest(digest, settings)


def sign_digest(digest: Digest, settings: Settings) -> Digest:
    assert settings.signing_key is not None
    key = load_private_key(settings.signing_key)
    return replace(digest, signature=sign(key, digest.payload()), public_key=public_key_hex(key))


def verify_digest(
    app: LedgerApp,
    digest: Digest,
    trusted_public_key: str | None = None,
    progress: Progress | None = None,
) -> DigestCheck:
    """Checks the digest's signature, then recomputes the chain from the stored rows up to
    the digest's position and compares the chain hash there with the digest's.

    With ``trusted_public_key`` (hex), only a digest signed by that key can pass.
    """
    problem = signature_problem(digest, trusted_public_key)
    if problem is not None:
        return DigestCheck(False, None, problem)
    verification = app.records.verify(digest.position, progress)
    if not verification.ok:
        return DigestCheck(
            False, verification.first_bad_position, verification.problem, verification.checked
        )
    checked = verification.checked
    if digest.position == 0:
        link_hash, link_time = GENESIS, None
    else:
        link = app.records.link_at(digest.position)
        if link is None:
            problem = "the ledger has no link at the digest's position: its records are missing"
            return DigestCheck(False, digest.position, problem, checked)
        link_hash, link_time = link.chain_hash, link.recorded_at
    if verification.chain_hash != link_hash or link_hash.hex() != digest.chain_hash:
        problem = (
            "the chain hash recomputed at the digest's position differs from the digest's:"
            " the history up to it was rewritten"
        )
        return DigestCheck(False, digest.position, problem, checked)
    if stamp(link_time) != stamp(digest.recorded_at):
        problem = "the digest's recorded_at differs from the ledger's at its position"
        return DigestCheck(False, digest.position, problem, checked)
    return DigestCheck(True, None, None, checked)


def signature_problem(digest: Digest, trusted_public_key: str | None) -> str | None:
    if digest.signature is None or digest.public_key is None:
        return None if trusted_public_key is None else "the digest is not signed"
    if trusted_public_key is not None and digest.public_key != trusted_public_key.lower():
        return "the digest is signed by another key than the trusted one"
    if not signature_valid(digest.public_key, digest.signature, digest.payload()):
        return "the digest's signature does not match its fields"
    return None


def stamp(instant: datetime | None) -> str | None:
    return None if instant is None else instant.astimezone(UTC).strftime(STAMP_FORMAT)


def _instant(value: object) -> datetime | None:
    if value is None:
        return None
    try:
        instant = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        _malformed("recorded_at", "must be an ISO 8601 instant in UTC or null")
    return instant


def _optional_text(data: Mapping[str, object], field: str) -> str | None:
    value = data.get(field)
    if value is not None and not isinstance(value, str):
        _malformed(field, "must be a string or absent")
    return value


def _is_hex(text: str, length: int) -> bool:
    return len(text) == 2 * length and set(text) <= _HEX_DIGITS


def _malformed(field: str, message: str) -> NoReturn:
    raise InvalidInput(f"digest {field} {message}", {field: message})
