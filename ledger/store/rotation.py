"""Putting a rotated master key in place, and finishing a rotation killed halfway.

``ledger keys rotate`` writes the new key to ``<file>.next``, rewraps every data key with it
in one transaction, then copies ``<file>`` to ``<file>.previous`` and moves ``<file>.next``
onto ``<file>`` (one atomic rename: ``<file>`` is never missing). Killed after the commit and
before the rename, the database already names the new key: the next start finds
``<file>.next``, sees that its key id is the database's, and finishes the rotation. Killed
before the commit, ``<file>.next`` is not the ledger's key yet and the next rotation uses it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from ledger.store.master_key import load_master_key

log = logging.getLogger(__name__)


def next_key_path(path: Path) -> Path:
    return path.with_name(path.name + ".next")


def previous_key_path(path: Path) -> Path:
    return path.with_name(path.name + ".previous")


def install_next_key(path: Path) -> Path:
    """``<file>.next`` in place of ``<file>``, whose key is kept as ``<file>.previous``."""
    previous = previous_key_path(path)
    if path.exists():
        descriptor = os.open(previous, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(path.read_bytes())
            file.flush()
            os.fsync(file.fileno())
    os.replace(next_key_path(path), path)
    return previous


def finish_rotation(path: Path, ledger_key_id: str | None) -> bool:
    """Whether a rotation committed but not yet in place was finished now."""
    fresh = next_key_path(path)
    if ledger_key_id is None or not fresh.exists():
        return False
    if load_master_key(fresh).key_id != ledger_key_id:
        return False
    if path.exists() and load_master_key(path).key_id == ledger_key_id:
        fresh.unlink()
        return False
    install_next_key(path)
    log.warning(
        "finished the master key rotation interrupted after its commit: %s now holds the key"
        " the data keys are wrapped with, the one before it is in %s",
        path,
        previous_key_path(path),
    )
    return True
