"""Loading aggregates for commands: latest states without replaying or copying histories.

A process keeps the latest state of the aggregates it used (``LatestStates``, never changed
in place) and follows the ledger's changes (``ChangeFeed``). A state that no change has
touched since it was last known to be the latest is used as it is, without a read; the
others are brought up to date with the events recorded since, all in one read; an aggregate
this process has not seen yet starts from its latest snapshot and the events after it. Two
processes therefore disagree for no longer than a notification takes, and a command acting
on a state another process has just changed is refused by the store's unique version (409).
A state at a given version is always rebuilt from the stored events alone, so what is
reproduced and audited is what the chain covers.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from copy import deepcopy
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository, project_aggregate
from eventsourcing.domain import Aggregate, DomainEventProtocol
from eventsourcing.persistence import EventStore, Mapper, PersistenceError, StoredEvent

from ledger.app.snapshots import snapshot_due, takes_snapshots
from ledger.app.states import Known, LatestStates
from ledger.errors import NotFound
from ledger.store.catchup import CatchUp
from ledger.store.feed import ChangeFeed
from ledger.store.keyring import KeyRing
from ledger.store.sealing import SnapshotErased

A = TypeVar("A", bound=Aggregate)

logger = logging.getLogger(__name__)


def pick(found: Mapping[UUID, Aggregate], kind: type[A], aggregate_id: UUID, label: str) -> A:
    """The aggregate of ``kind`` among those found, or NotFound naming ``label``."""
    aggregate = found.get(aggregate_id)
    if not isinstance(aggregate, kind):
        raise NotFound(f"{label} not found")
    return aggregate


class Loader:
    def __init__(
        self,
        repository: Repository[UUID],
        mapper: Mapper[UUID],
        snapshots: EventStore[UUID],
        catch_up: CatchUp,
        feed: ChangeFeed,
        cache_size: int,
    ) -> None:
        self._repository = repository
        self._mapper = mapper
        self.snapshots = snapshots
        self._catch_up = catch_up
        self.feed = feed
        self.states = LatestStates(cache_size)
        self._keyring: KeyRing | None = None

    def watch(self, keyring: KeyRing) -> None:
        """Drop the states holding an employee's personal data once their key is destroyed."""
        self._keyring = keyring
        keyring.on_destroyed(self.states.forget_employee)

    def latest(
        self, aggregate_ids: Sequence[UUID], *, fresh: bool = False
    ) -> dict[UUID, Aggregate]:
        """The latest states of those of ``aggregate_ids`` that have events: shared with
        other threads, to read and never to change (``deepcopy`` one to change it).

        ``fresh`` reads what changed even where the change feed says nothing did, for what
        must not lag a notification behind (a revoked token).
        """
        self.feed.start()
        checked_at = self.feed.position()
        self._check_keys(aggregate_ids)
        known = {i: self.states.get(i) for i in aggregate_ids}
        unsure = {
            i: k.aggregate.version
            for i, k in known.items()
            if k is not None and (fresh or not self._current(k))
        }
        recent = self._catch_up.events_after(unsure)
        found: dict[UUID, Aggregate] = {}
        for aggregate_id, state in known.items():
            if state is None:
                state = self._cold(aggregate_id, checked_at)
            elif aggregate_id in unsure:
                state = self._forward(state, recent.get(aggregate_id, []), checked_at)
            if state is not None:
                found[aggregate_id] = state.aggregate
        return found

    def _check_keys(self, aggregate_ids: Sequence[UUID]) -> None:
        if self._keyring is None:
            return
        for aggregate_id in aggregate_ids:
            known = self.states.get(aggregate_id)
            employee_id = getattr(known.aggregate, "employee_id", None) if known else None
            if isinstance(employee_id, str):
                self._keyring.check(employee_id)

    def _current(self, known: Known) -> bool:
        checked_at = known.checked_at
        return checked_at is not None and not self.feed.changed_since(
            known.aggregate.id, checked_at
        )

    def at(self, aggregate_id: UUID, version: int, label: str) -> Aggregate:
        """The aggregate at ``version``, rebuilt from its stored events alone."""
        try:
            aggregate: Aggregate = self._repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            raise NotFound(f"{label} not found") from None
        return aggregate

    def remember(self, aggregate: Aggregate, position: int) -> None:
        """Keep a state just saved at ``position`` (no other thread has it: its version is the
        latest there), with a snapshot when one is due."""
        known = self.states.get(aggregate.id)
        snapshot_version = known.snapshot_version if known is not None else 0
        if takes_snapshots(aggregate) and snapshot_due(aggregate.version, snapshot_version):
            snapshot_version = self._snapshot(aggregate, snapshot_version)
        self.states.offer(Known(aggregate, snapshot_version, position))

    def _forward(
        self, known: Known, stored: Sequence[StoredEvent], checked_at: int | None
    ) -> Known:
        aggregate = known.aggregate
        if stored:
            events = [self._mapper.to_domain_event(s) for s in stored]
            forwarded = project_aggregate(deepcopy(aggregate), events)
            assert isinstance(forwarded, Aggregate)
            aggregate = forwarded
        return self.states.offer(Known(aggregate, known.snapshot_version, checked_at))

    def _cold(self, aggregate_id: UUID, checked_at: int | None) -> Known | None:
        try:
            snapshots = list(self.snapshots.get(aggregate_id, desc=True, limit=1))
        except SnapshotErased:
            snapshots = []
        after = snapshots[0].originator_version if snapshots else None
        events: list[DomainEventProtocol[UUID]] = [
            *snapshots,
            *self._repository.event_store.get(aggregate_id, gt=after),
        ]
        aggregate = project_aggregate(None, events)
        if aggregate is None:
            return None
        assert isinstance(aggregate, Aggregate)
        return self.states.offer(Known(aggregate, after or 0, checked_at))

    def _snapshot(self, aggregate: Aggregate, snapshot_version: int) -> int:
        """The new snapshot's version, or the old one when storing failed: a snapshot only
        saves replaying, and the events it would summarise are committed already."""
        try:
            self.snapshots.put([type(aggregate).Snapshot.take(aggregate)])
        except PersistenceError as error:
            logger.warning(
                "snapshot of %s at version %d not stored: %s",
                aggregate.id,
                aggregate.version,
                error,
            )
            return snapshot_version
        return aggregate.version
