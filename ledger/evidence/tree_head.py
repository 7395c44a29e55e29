"""Signed tree heads (DESIGN §16): the Merkle tree's size and root at a position, signed
with Ed25519 over the canonical JSON of those four fields."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from ledger.config import Settings
from ledger.evidence.digest import stamp
from ledger.evidence.signing import load_private_key, public_key_hex, sign, signature_valid
from ledger.store.tree import InclusionProof, TreeHead


@dataclass(frozen=True)
class SignedTreeHead:
    tree_size: int
    root_hash: str
    """Lowercase hex of the 32-byte root."""
    position: int
    recorded_at: str | None
    """``YYYY-MM-DDTHH:MM:SS.ffffffZ``, as the chain stamps it; None for the empty tree."""
    signature: str | None = None
    public_key: str | None = None

    @classmethod
    def of(cls, head: TreeHead) -> SignedTreeHead:
        return cls(head.tree_size, head.root_hash.hex(), head.position, stamp(head.recorded_at))

    @classmethod
    def from_dict(cls, shown: Mapping[str, Any]) -> SignedTreeHead:
        """A tree head as ``to_dict`` shows it. Raises KeyError or TypeError otherwise."""
        head = cls(
            int(shown["tree_size"]),
            str(shown["root_hash"]).removeprefix("sha256:"),
            int(shown["position"]),
            shown["recorded_at"],
            shown.get("signature"),
            shown.get("public_key"),
        )
        if head.recorded_at is not None and not isinstance(head.recorded_at, str):
            raise TypeError("recorded_at must be text or null")
        return head

    def payload(self) -> bytes:
        """The bytes a signature covers: the four fields as canonical JSON."""
        fields = {
            "position": self.position,
            "recorded_at": self.recorded_at,
            "root_hash": self.root_hash,
            "tree_size": self.tree_size,
        }
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def signed(self, settings: Settings) -> SignedTreeHead:
        """Signed with ``settings.signing_key`` when one is named; as it is otherwise.

        Raises SigningKeyError when the key file cannot be used.
        """
        if settings.signing_key is None:
            return self
        key = load_private_key(settings.signing_key)
        return replace(self, signature=sign(key, self.payload()), public_key=public_key_hex(key))

    def signature_holds(self) -> bool:
        if self.signature is None or self.public_key is None:
            return False
        return signature_valid(self.public_key, self.signature, self.payload())

    def to_dict(self) -> dict[str, object]:
        return {
            "tree_size": self.tree_size,
            "root_hash": self.root_hash,
            "position": self.position,
            "recorded_at": self.recorded_at,
            "signature": self.signature,
            "public_key": self.public_key,
        }


def proof_line(proof: InclusionProof) -> dict[str, object]:
    """An inclusion proof as a file lists it beside its tree head: without the root hash,
    which the tree head gives once."""
    shown = proof.to_dict()
    del shown["root_hash"]
    return shown
