"""The library's event store, saving each new employee's data key with their events.

The keys made while a save's events are sealed go to the database in the statement that
appends the events, and are kept by this process only once that statement succeeded. When
another writer stored a key for the same employee first, the save is sealed again with the
stored key, once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import EventStore, Recording

from ledger.store.data_keys import DataKeyTaken
from ledger.store.keyring import KeyRing
from ledger.store.sealing import SealingMapper


class SealingEventStore(EventStore[UUID]):
    def put(
        self, domain_events: Sequence[DomainEventProtocol[UUID]], **kwargs: Any
    ) -> list[Recording[UUID]]:
        mapper = self.mapper
        keyring = mapper.keyring if isinstance(mapper, SealingMapper) else None
        if keyring is None or keyring.master is None:
            return super().put(domain_events, **kwargs)
        try:
            return self._sealed_put(keyring, domain_events, kwargs)
        except DataKeyTaken as taken:
            for employee_id in taken.employee_ids:
                keyring.check(employee_id)
            return self._sealed_put(keyring, domain_events, kwargs)

    def _sealed_put(
        self,
        keyring: KeyRing,
        domain_events: Sequence[DomainEventProtocol[UUID]],
        kwargs: dict[str, Any],
    ) -> list[Recording[UUID]]:
        with keyring.saving() as made:
            recordings = super().put(domain_events, new_keys=made, **kwargs)
        keyring.keep(made)
        return recordings
