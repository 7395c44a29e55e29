"""Tamper evidence that leaves the database: signed digests of the chain and evidence bundles."""

from ledger.evidence.bundle import BUNDLE_FORMAT, EvidenceBundle, write_evidence
from ledger.evidence.digest import Digest, DigestCheck, make_digest, sign_digest, verify_digest
from ledger.evidence.signing import (
    SigningKeyError,
    generate_key_file,
    load_private_key,
    public_key_path,
    read_public_key,
)

__all__ = [
    "BUNDLE_FORMAT",
    "Digest",
    "DigestCheck",
    "EvidenceBundle",
    "SigningKeyError",
    "generate_key_file",
    "load_private_key",
    "make_digest",
    "public_key_path",
    "read_public_key",
    "sign_digest",
    "verify_digest",
    "write_evidence",
]
