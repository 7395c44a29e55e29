"""The topics a view reads, and the event types the audit trail names."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, CanMutateAggregate
from eventsourcing.utils import get_topic

from ledger.domain.measurements import MeasurementLog
from ledger.domain.topics import TOPIC_PREFIX

_PREFIX = f"{TOPIC_PREFIX}:"
_NEVER_STORED = frozenset({"Event", "Created"})
"""Base classes every aggregate has; the ledger's aggregates record events of their own."""


def topics_of(*aggregates: type[Aggregate]) -> tuple[str, ...]:
    """Every stored event topic of the aggregates: ``ledger:Plan.TargetRevised`` and so on."""
    return tuple(
        get_topic(value)
        for aggregate in aggregates
        for name, value in vars(aggregate).items()
        if isinstance(value, type)
        and issubclass(value, CanMutateAggregate)
        and name not in _NEVER_STORED
    )


def topic(event_class: type[CanMutateAggregate[UUID]]) -> str:
    return get_topic(event_class)


def event_type(stored_topic: str) -> str:
    """``ledger:Plan.TargetRevised`` -> ``Plan.TargetRevised``."""
    return stored_topic.removeprefix(_PREFIX)


LOG_TOPICS = frozenset(topics_of(MeasurementLog))
"""The topics of measurement logs: most of the ledger."""
RECORDED = topic(MeasurementLog.MeasurementRecorded)
CORRECTED = topic(MeasurementLog.MeasurementCorrected)
VOIDED = topic(MeasurementLog.MeasurementVoided)
CHANGING_TOPICS = frozenset({CORRECTED, VOIDED})
MEASURING_TOPICS = frozenset({RECORDED, CORRECTED, VOIDED})
"""What records, corrects or voids a measurement."""
