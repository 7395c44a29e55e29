"""Each employee's data key, unwrapped once per process and forgotten when it is destroyed.

A key read from the table is kept while the change feed says its employee has not changed
since (an erasure is an event of the employee), so a key destroyed by another process is
forgotten within a notification; while the feed is not live, a key is kept for at most
``UNSURE_SECONDS``. Whoever keeps plaintext of an employee (the latest states of aggregates)
listens for the moment this process learns of a destruction.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ledger.errors import RuleViolated
from ledger.ids import employee_uuid
from ledger.store.data_keys import DataKeys, NewKeys, StoredKey
from ledger.store.feed import ChangeFeed
from ledger.store.master_key import MasterKey, MasterKeyError

UNSURE_SECONDS = 1.0


class PersonalDataErased(RuleViolated):
    """The employee's data key was destroyed: their personal data can no longer be read or
    recorded."""


@dataclass(frozen=True)
class _Held:
    cipher: AESGCM | None
    checked_at: int | None
    read_at: float
    destroyed: bool = False


class KeyRing:
    def __init__(self, keys: DataKeys, master: MasterKey | None, feed: ChangeFeed) -> None:
        self.keys = keys
        self.master = master
        self._feed = feed
        self._held: dict[str, _Held] = {}
        self._lock = threading.Lock()
        self._listeners: list[Callable[[str], None]] = []
        self._saving = threading.local()

    def on_destroyed(self, listener: Callable[[str], None]) -> None:
        """Call ``listener(employee_id)`` whenever this process learns a key was destroyed."""
        self._listeners.append(listener)

    @contextmanager
    def saving(self) -> Iterator[NewKeys]:
        """While this thread seals a save's events: the keys made for it, which the save stores
        with its events. They are kept once ``keep`` is called, after the save succeeded."""
        self._feed.start()
        made = NewKeys(self._master().key_id, self._feed.position())
        self._saving.made = made
        try:
            yield made
        finally:
            self._saving.made = None

    def keep(self, made: NewKeys) -> None:
        """The keys of a save that succeeded, held from now on."""
        now = time.monotonic()
        with self._lock:
            for employee_id, cipher in made.ciphers.items():
                self._held[employee_id] = _Held(cipher, made.checked_at, now)

    def sealing(self, employee_id: str, *, first: bool = False) -> AESGCM:
        """The employee's key, made now if they have none; PersonalDataErased once destroyed.

        ``first``: the event is the employee's registration, so no key can be stored for them
        unless someone made one first, which the save's statement refuses (``DataKeyTaken``)."""
        held = self._held.get(employee_id)
        if held is not None and held.cipher is not None:
            return held.cipher
        made: NewKeys | None = getattr(self._saving, "made", None)
        if made is not None:
            return self._made_for(made, employee_id, first=first)
        cipher = self._fetch(employee_id, create=True)
        if cipher is None:
            raise self._erased(employee_id)
        return cipher

    @staticmethod
    def _erased(employee_id: str) -> PersonalDataErased:
        return PersonalDataErased(
            f"the personal data of employee {employee_id} was erased;"
            " nothing personal about them can be recorded"
        )

    def _made_for(self, made: NewKeys, employee_id: str, *, first: bool) -> AESGCM:
        cipher = made.ciphers.get(employee_id)
        if cipher is not None:
            return cipher
        held = self._held.get(employee_id)
        if held is not None and held.destroyed:
            raise self._erased(employee_id)
        if not first:
            cipher = self._fetch(employee_id, create=False)
            if cipher is not None:
                return cipher
            if self._held[employee_id].destroyed:
                raise self._erased(employee_id)
        data_key = AESGCM.generate_key(bit_length=256)
        cipher = AESGCM(data_key)
        made.add(employee_id, self._master().wrap(data_key, employee_id), cipher)
        return cipher

    def opening(self, employee_id: str) -> AESGCM | None:
        """The employee's key, or None when it was destroyed (or never made)."""
        held = self._held.get(employee_id)
        if held is not None and self._still_current(employee_id, held):
            return held.cipher
        return self._fetch(employee_id, create=False)

    def disclosed(self, employee_id: str) -> bytes | None:
        """The employee's data key itself, for an evidence bundle asked to carry it; None when
        it was destroyed (or never made)."""
        stored = self.keys.stored(employee_id)
        if stored is None or stored.wrapped is None:
            return None
        return self._master().unwrap(stored.wrapped, employee_id)

    def check(self, employee_id: str) -> None:
        """Learn now whether the employee's key was destroyed, if it may have been."""
        self.opening(employee_id)

    def forget(self, employee_id: str) -> None:
        """The key was destroyed by this process: drop it and tell the listeners."""
        with self._lock:
            self._held[employee_id] = _Held(None, None, time.monotonic(), destroyed=True)
        for listener in self._listeners:
            listener(employee_id)

    def _still_current(self, employee_id: str, held: _Held) -> bool:
        if held.checked_at is not None and self._feed.position() is not None:
            return not self._feed.changed_since(employee_uuid(employee_id), held.checked_at)
        return time.monotonic() - held.read_at < UNSURE_SECONDS

    def _fetch(self, employee_id: str, *, create: bool) -> AESGCM | None:
        self._feed.start()
        checked_at = self._feed.position()
        stored = self.keys.stored(employee_id)
        if stored is None and create:
            stored = self.keys.create(employee_id, self._master())
        cipher = self._unwrapped(stored)
        destroyed = stored is not None and stored.wrapped is None
        with self._lock:
            before = self._held.get(employee_id)
            self._held[employee_id] = _Held(cipher, checked_at, time.monotonic(), destroyed)
        if cipher is None and before is not None and before.cipher is not None:
            for listener in self._listeners:
                listener(employee_id)
        return cipher

    def _unwrapped(self, stored: StoredKey | None) -> AESGCM | None:
        if stored is None or stored.wrapped is None:
            return None
        return AESGCM(self._master().unwrap(stored.wrapped, stored.employee_id))

    def _master(self) -> MasterKey:
        if self.master is None:
            raise MasterKeyError("no master key is configured (LEDGER_MASTER_KEY)")
        return self.master
