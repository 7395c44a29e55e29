"""The master key that wraps every employee's data key: kept in a file of its own, never in
the database, never in a log, an error message, an export or a page.

The file holds the 32 key bytes in base64 on one line, readable by its owner only. The
database keeps the key's id (a hash of it, which reveals nothing of the key) so a process
handed another key refuses at once instead of sealing with it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ledger.errors import LedgerError

KEY_BYTES = 32
NONCE_BYTES = 12


class MasterKeyError(LedgerError):
    """The master key is missing, unreadable, malformed, or not this ledger's."""


class MasterKey:
    """AES-256-GCM over data keys, each bound to its employee as associated data."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) != KEY_BYTES:
            raise MasterKeyError(f"a master key is {KEY_BYTES} bytes")
        self._cipher = AESGCM(secret)
        self.key_id = hashlib.sha256(b"ledger-master-key-id\n" + secret).hexdigest()[:32]

    def __repr__(self) -> str:
        return f"MasterKey(key_id={self.key_id!r})"

    def wrap(self, data_key: bytes, employee_id: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._cipher.encrypt(nonce, data_key, _bound(employee_id))

    def unwrap(self, wrapped: bytes, employee_id: str) -> bytes:
        try:
            return self._cipher.decrypt(
                wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], _bound(employee_id)
            )
        except InvalidTag:
            raise MasterKeyError(
                f"the data key of employee {employee_id} does not open with this master key"
            ) from None


def _bound(employee_id: str) -> bytes:
    return f"ledger-data-key\n{employee_id}".encode()


def generate_master_key_file(path: Path) -> MasterKey:
    """A new master key written to ``path`` (owner-only); never overwrites a file."""
    secret = os.urandom(KEY_BYTES)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise MasterKeyError(f"{path} exists already; a key file is never overwritten") from None
    with os.fdopen(descriptor, "wb") as file:
        file.write(base64.b64encode(secret) + b"\n")
    return MasterKey(secret)


def ensure_master_key_file(path: Path) -> MasterKey:
    """The key at ``path``, made there first if there is none (the embedded default)."""
    if not path.exists():
        try:
            return generate_master_key_file(path)
        except MasterKeyError:
            if not path.exists():
                raise
    return load_master_key(path)


def load_master_key(path: Path) -> MasterKey:
    """The key in ``path``; MasterKeyError naming the file (never its content) otherwise."""
    try:
        text = path.read_bytes()
    except OSError as error:
        raise MasterKeyError(
            f"the master key file {path} cannot be read ({error.strerror or 'unreadable'})"
        ) from None
    try:
        secret = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        secret = b""
    if len(secret) != KEY_BYTES:
        raise MasterKeyError(
            f"the master key file {path} does not hold a {KEY_BYTES}-byte key in base64"
        )
    return MasterKey(secret)
