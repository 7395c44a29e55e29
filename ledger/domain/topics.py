"""Explicit, stable topics for aggregates and their events.

Stored events name their class by topic. The default topic is the module path, which a
rename or a move would orphan; these topics name only the aggregate and the event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from eventsourcing.domain import Aggregate, CanMutateAggregate, CanSnapshotAggregate
from eventsourcing.utils import _type_cache, register_topic

TOPIC_PREFIX = "ledger"

AggregateType = TypeVar("AggregateType", bound=type[Aggregate])


def explicit_topics(name: str) -> Callable[[AggregateType], AggregateType]:
    """Register the aggregate as ``ledger:<name>`` and each event (and snapshot class) as
    ``ledger:<name>.<Event>``."""

    def register(cls: AggregateType) -> AggregateType:
        _register(f"{TOPIC_PREFIX}:{name}", cls)
        for attribute, value in vars(cls).items():
            if isinstance(value, type) and issubclass(
                value, CanMutateAggregate | CanSnapshotAggregate
            ):
                _register(f"{TOPIC_PREFIX}:{name}.{attribute}", value)
        return cls

    return register


def _register(topic: str, cls: type) -> None:
    register_topic(topic, cls)
    _type_cache[cls] = topic
