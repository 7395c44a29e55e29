"""Aggregate states kept compressed, for states a view has no room to keep as objects.

A pickled, compressed state takes a few percent of the memory of its objects and comes
back many times faster than replaying its events from the events table.
"""

from __future__ import annotations

import pickle
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from uuid import UUID

from projections.views.history import Tracked

DEFAULT_PACKED_BYTES = 64 * 1024 * 1024
"""Compressed bytes of aggregate states a view keeps besides the states it keeps whole."""

_LEVEL = 1


@dataclass(frozen=True)
class Packed:
    """A state as compressed bytes, with the position of the last event applied to it."""

    position: int
    data: bytes

    @classmethod
    def of(cls, tracked: Tracked) -> Packed:
        data = pickle.dumps(tracked.aggregate, protocol=pickle.HIGHEST_PROTOCOL)
        return cls(tracked.position, zlib.compress(data, _LEVEL))

    def unpacked(self) -> Tracked:
        return Tracked(pickle.loads(zlib.decompress(self.data)), self.position)


class PackedStates:
    """Compressed states, least recently packed first out, bounded by their bytes."""

    def __init__(self, capacity: int = DEFAULT_PACKED_BYTES) -> None:
        self.capacity = capacity
        self._packed: OrderedDict[UUID, Packed] = OrderedDict()
        self._bytes = 0

    @property
    def size(self) -> int:
        return self._bytes

    def put(self, aggregate_id: UUID, tracked: Tracked) -> None:
        self.pop(aggregate_id)
        if tracked.aggregate is None:
            return
        packed = Packed.of(tracked)
        self._packed[aggregate_id] = packed
        self._bytes += len(packed.data)
        while self._bytes > self.capacity and self._packed:
            _, dropped = self._packed.popitem(last=False)
            self._bytes -= len(dropped.data)

    def pop(self, aggregate_id: UUID) -> Packed | None:
        packed = self._packed.pop(aggregate_id, None)
        if packed is not None:
            self._bytes -= len(packed.data)
        return packed
