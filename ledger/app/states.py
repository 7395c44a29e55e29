"""The latest state of each aggregate a process has loaded, shared by its threads.

A state in here is never changed. A command works on its own copy (``deepcopy``, which an
aggregate with a long history makes cheap: see MeasurementLog); events recorded since are
applied to a copy too, and the newer state then takes the older one's place. So a thread
reading a state can never see another thread change it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from uuid import UUID

from eventsourcing.domain import Aggregate


@dataclass(frozen=True)
class Known:
    """An aggregate at its latest known version, the version of its latest snapshot, and the
    position up to which it was known to be the latest (None: not known)."""

    aggregate: Aggregate
    snapshot_version: int = 0
    checked_at: int | None = None

    def merged(self, other: Known) -> Known:
        """The same state known from both: the later check and the later snapshot."""
        checks = [c for c in (self.checked_at, other.checked_at) if c is not None]
        return Known(
            self.aggregate,
            max(self.snapshot_version, other.snapshot_version),
            max(checks) if checks else None,
        )


class LatestStates:
    """The most recently used ``maxsize`` aggregates, each at its latest known version."""

    def __init__(self, maxsize: int) -> None:
        self._maxsize = max(maxsize, 1)
        self._known: OrderedDict[UUID, Known] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, aggregate_id: UUID) -> Known | None:
        with self._lock:
            known = self._known.get(aggregate_id)
            if known is not None:
                self._known.move_to_end(aggregate_id)
            return known

    def offer(self, known: Known) -> Known:
        """Keep ``known`` unless a newer state is kept already; answer the one kept."""
        aggregate_id = known.aggregate.id
        with self._lock:
            kept = self._known.get(aggregate_id)
            if kept is not None and kept.aggregate.version > known.aggregate.version:
                return kept
            if kept is not None and kept.aggregate.version == known.aggregate.version:
                known = kept.merged(known)
            self._known[aggregate_id] = known
            self._known.move_to_end(aggregate_id)
            while len(self._known) > self._maxsize:
                self._known.popitem(last=False)
            return known

    def forget_employee(self, employee_id: str) -> None:
        """Drop every state of an aggregate about ``employee_id``."""
        with self._lock:
            for aggregate_id, known in list(self._known.items()):
                if getattr(known.aggregate, "employee_id", None) == employee_id:
                    del self._known[aggregate_id]
