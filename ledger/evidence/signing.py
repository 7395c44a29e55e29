"""Ed25519 keys for signing digests and evidence: generated once, kept in PEM files.

Signatures and public keys travel as lowercase hex of their raw bytes (64 and 32 bytes).
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
    load_pem_public_key,
)

from ledger.errors import LedgerError

PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64


class SigningKeyError(LedgerError):
    """A key file cannot be read, is not an Ed25519 key, or exists already."""


def generate_key_file(path: Path) -> str:
    """Writes a new private key (PKCS#8 PEM, owner-only) to ``path`` and its public key
    (SubjectPublicKeyInfo PEM) beside it as ``<path>.pub``; returns the public key in hex.

    Raises SigningKeyError rather than overwrite either file.
    """
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    public = key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    public_path = public_key_path(path)
    for target in (path, public_path):
        if target.exists():
            raise SigningKeyError(f"{target} exists already; it is never overwritten")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(private)
    public_path.write_bytes(public)
    return public_key_hex(key)


def ensure_key_file(path: Path) -> str:
    """The public key in hex of the key at ``path``, made there first if there is none."""
    if not path.exists():
        try:
            return generate_key_file(path)
        except SigningKeyError:
            if not path.exists():
                raise
    return public_key_hex(load_private_key(path))


def public_key_path(path: Path) -> Path:
    return path.with_name(f"{path.name}.pub")


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """Raises SigningKeyError for a missing file or anything but an unencrypted Ed25519 key."""
    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise SigningKeyError(f"cannot read the signing key {path}: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"the signing key {path} is not an Ed25519 key")
    return key


def read_public_key(path: Path) -> str:
    """The public key in hex from a PEM public key, a PEM private key, or a file holding
    the hex itself. Raises SigningKeyError when it is none of those."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SigningKeyError(f"cannot read the public key {path}: {exc}") from None
    text = data.decode("ascii", errors="replace").strip()
    if "PRIVATE KEY" in text:
        return public_key_hex(load_private_key(path))
    if "PUBLIC KEY" in text:
        try:
            key = load_pem_public_key(data)
        except ValueError as exc:
            raise SigningKeyError(f"cannot read the public key {path}: {exc}") from None
        if not isinstance(key, Ed25519PublicKey):
            raise SigningKeyError(f"the public key {path} is not an Ed25519 key")
        return key.public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    if _is_hex(text, PUBLIC_KEY_BYTES):
        return text.lower()
    raise SigningKeyError(f"{path} holds no Ed25519 public key (PEM or hex)")


def public_key_hex(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def sign(key: Ed25519PrivateKey, message: bytes) -> str:
    return key.sign(message).hex()


def signature_valid(public_key: str, signature: str, message: bytes) -> bool:
    """False for a malformed key or signature as for a wrong one."""
    if not _is_hex(public_key, PUBLIC_KEY_BYTES) or not _is_hex(signature, SIGNATURE_BYTES):
        return False
    verifier = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key))
    try:
        verifier.verify(bytes.fromhex(signature), message)
    except InvalidSignature:
        return False
    return True


def _is_hex(text: str, length: int) -> bool:
    return len(text) == 2 * length and all(c in "0123456789abcdefABCDEF" for c in text)
