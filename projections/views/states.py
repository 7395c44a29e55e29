"""The aggregates a view has seen, advanced page by page and kept between pages.

A page takes the states it needs as they stood just before its first event: from the
cache when the cached state is not ahead of that point, otherwise loaded from the events
table in the page's own transaction. States pushed out of the cache are kept compressed
(see ``packed``) while there is room, and come back from there before the events table.
A taken state leaves the cache until the page gives it back, so a page that fails halfway
leaves no half-advanced state behind, and a state ahead of a page (after a failed page, or
when a rebuild starts again from zero) is loaded afresh rather than trusted. Before a view
follows, it may load the states of the aggregates changed last the same way (``warm``), so
that its first pages find them here.

Only a view that reads every event of an aggregate type may keep states of that type:
a state it kept would otherwise miss events.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Container, Iterable, Iterator, Sequence
from typing import TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from psycopg import Cursor
from psycopg.rows import DictRow

from projections.view import PositionedEvent
from projections.views.history import History, Tracked
from projections.views.packed import DEFAULT_PACKED_BYTES, PackedStates

DEFAULT_CAPACITY = 50_000
"""Events' worth of aggregate states a view keeps between pages."""

WARMED = 25_000
"""Events' worth of the most recently changed aggregates a view loads before it follows."""

A = TypeVar("A", bound=Aggregate)


class AggregateStates:
    """A cache of aggregate states, least recently used first out, bounded by their events."""

    def __init__(
        self,
        history: History,
        capacity: int = DEFAULT_CAPACITY,
        packed_capacity: int = DEFAULT_PACKED_BYTES,
    ) -> None:
        self.history = history
        self.capacity = capacity
        self._kept: OrderedDict[UUID, Tracked] = OrderedDict()
        self._weight = 0
        self._packed_capacity = packed_capacity
        self._packed = PackedStates(packed_capacity)

    @property
    def weight(self) -> int:
        return self._weight

    def page(self, cursor: Cursor[DictRow], events: Sequence[PositionedEvent]) -> PageStates:
        """The states of a page that starts with ``events[0]``."""
        return PageStates(self, cursor, events[0].position)

    def at(self, cursor: Cursor[DictRow], position: int) -> PageStates:
        """The states as they stand at ``position``, after its event."""
        return PageStates(self, cursor, position + 1)

    def warm(self, cursor: Cursor[DictRow], position: int, topics: Container[str]) -> PageStates:
        """The states of the aggregates of ``topics`` changed last, as they stand at
        ``position``, loaded from the events table as a page would load them: for ``keep``."""
        weight = min(self.capacity, WARMED)
        states = self.at(cursor, position)
        states.take(self.history.recent(cursor, position, topics, weight))
        return states

    def keep(self, states: PageStates) -> None:
        """Take the page's states back, at the positions they reached."""
        for aggregate_id, tracked in states.items():
            self._put(aggregate_id, tracked)
        while self._weight > self.capacity and self._kept:
            aggregate_id, evicted = self._kept.popitem(last=False)
            self._weight -= evicted.weight
            self._packed.put(aggregate_id, evicted)

    def clear(self) -> None:
        """Forget every state (after an erasure: some held the erased person's texts)."""
        self._kept.clear()
        self._weight = 0
        self._packed = PackedStates(self._packed_capacity)

    def shrink(self, capacity: int) -> None:
        """Keep at most ``capacity`` events' worth from now on; forget the least recent."""
        self.capacity = capacity
        while self._weight > capacity and self._kept:
            _, forgotten = self._kept.popitem(last=False)
            self._weight -= forgotten.weight

    def withdraw(self, aggregate_id: UUID, before: int) -> Tracked | None:
        """The kept state, taken out; None when not kept or ahead of ``before``."""
        tracked = self._kept.pop(aggregate_id, None)
        if tracked is not None:
            self._weight -= tracked.weight
        else:
            packed = self._packed.pop(aggregate_id)
            if packed is None or packed.position >= before:
                return None
            tracked = packed.unpacked()
        return tracked if tracked.position < before else None

    def _put(self, aggregate_id: UUID, tracked: Tracked) -> None:
        self._packed.pop(aggregate_id)
        previous = self._kept.pop(aggregate_id, None)
        if previous is not None:
            self._weight -= previous.weight
        self._kept[aggregate_id] = tracked
        self._weight += tracked.weight


class PageStates:
    """The aggregates one page needs, as they stand while its events are walked in order."""

    def __init__(self, cache: AggregateStates, cursor: Cursor[DictRow], before: int) -> None:
        self.cache = cache
        self.cursor = cursor
        self.before = before
        self._states: dict[UUID, Tracked] = {}

    def take(self, ids: Iterable[UUID]) -> None:
        """Bring in the states of ``ids`` not here yet, as they stood before the page."""
        missing = []
        for aggregate_id in ids:
            if aggregate_id in self._states:
                continue
            tracked = self.cache.withdraw(aggregate_id, self.before)
            if tracked is None:
                missing.append(aggregate_id)
            else:
                self._states[aggregate_id] = tracked
        self._states.update(self.cache.history.load(self.cursor, missing, self.before))

    def advance(self, event: PositionedEvent) -> None:
        self._states[event.originator_id].advance(event.position, event.event)

    def forget(self, ids: Iterable[UUID]) -> None:
        """Let the states of ``ids`` go: the cache does not get them back."""
        for aggregate_id in ids:
            self._states.pop(aggregate_id, None)

    def get(self, aggregate_id: UUID, kind: type[A]) -> A | None:
        """The aggregate as it stands now; None before its first event or when not taken."""
        tracked = self._states.get(aggregate_id)
        aggregate = None if tracked is None else tracked.aggregate
        if aggregate is not None and not isinstance(aggregate, kind):
            raise TypeError(f"{aggregate_id} is a {type(aggregate).__name__}, not {kind.__name__}")
        return aggregate

    def position(self, aggregate_id: UUID) -> int:
        """The position of the last event applied to the aggregate (0 before its first)."""
        tracked = self._states.get(aggregate_id)
        return 0 if tracked is None else tracked.position

    def items(self) -> Iterator[tuple[UUID, Tracked]]:
        return iter(self._states.items())
