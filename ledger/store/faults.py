"""What the event store raises when it cannot answer now, rather than answering no."""

from __future__ import annotations

from eventsourcing.persistence import InterfaceError, OperationalError

from ledger.store.writer import WriteTimeout

STORE_FAULTS = (OperationalError, InterfaceError, WriteTimeout)
"""A lost connection, a lock or statement timeout, a serialization failure or deadlock, a pool
with no free connection: the same request may succeed when tried again."""
