"""Measurements' facts read out of their logs' stored events by the database.

Settling a rebuild scores plans from their logs' measurements as they stand at the end.
Decoding every event of every log again in Python (the feed has decoded them once) was
most of a rebuild's cost; the database reads the few fields scoring needs out of each
event's JSON instead, on its own core, and returns them as columns. What it reads are
the stored forms of ``MeasurementLog``'s events (see ``ledger.transcodings``): a
decimal and a date are ``{"_type_": ..., "_data_": "<text>"}``; a field an older class
version of an event did not have reads as NULL, as its upcast leaves it (None).
Sealed fields (a note, a reason) are not read: scoring does not use them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby
from operator import attrgetter
from uuid import UUID

from psycopg import Cursor, sql
from psycopg.rows import DictRow

from ledger.domain.measurements import MeasurementLog
from ledger.scoring.tally import Counted
from projections.statements import composed
from projections.views.tallies import corrected_fact, recorded_fact, voided_fact
from projections.views.topics import topic

RECORDED = topic(MeasurementLog.MeasurementRecorded)
CORRECTED = topic(MeasurementLog.MeasurementCorrected)
VOIDED = topic(MeasurementLog.MeasurementVoided)


@dataclass(frozen=True, slots=True)
class StoredRecording:
    """A measurement's recording, as scoring reads it (see ``tallies.Recording``)."""

    log_id: UUID
    originator_version: int
    measurement_id: str
    kpi_id: str
    value: Decimal | None
    effective_date: date
    numerator: Decimal | None
    denominator: Decimal | None


@dataclass(frozen=True, slots=True)
class StoredChange:
    """A measurement's correction (its new value) or void, as scoring reads it."""

    log_id: UUID
    measurement_id: str
    voided: bool
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None


StoredMeasuring = StoredRecording | StoredChange


class MeasuredFacts:
    """The measurements of logs at a position, each at its latest value, from the events."""

    def __init__(self, events: sql.Identifier) -> None:
        self._select = composed(
            sql.SQL(
                "SELECT e.originator_id, e.originator_version, e.topic,"
                " f.measurement_id, f.kpi_id, f.value ->> '_data_' AS value,"
                " f.effective_date ->> '_data_' AS effective_date,"
                " f.numerator ->> '_data_' AS numerator,"
                " f.denominator ->> '_data_' AS denominator"
                " FROM {} AS e, json_to_record(convert_from(e.state, 'UTF8')::json)"
                " AS f(measurement_id text, kpi_id text, value json, effective_date json,"
                " numerator json, denominator json)"
                " WHERE e.originator_id = ANY(%s) AND e.notification_id <= %s"
                " AND e.topic = ANY(%s)"
                " ORDER BY e.originator_id, e.originator_version"
            ).format(events)
        )

    def of(
        self, cursor: Cursor[DictRow], log_ids: Collection[UUID], position: int
    ) -> Iterator[tuple[UUID, list[Counted]]]:
        """Each log's counted measurements at ``position`` (voided ones included, marked)."""
        if not log_ids:
            return
        for log_id, events in groupby(self._read(cursor, log_ids, position), attrgetter("log_id")):
            yield log_id, folded(events)

    def _read(
        self, cursor: Cursor[DictRow], log_ids: Collection[UUID], position: int
    ) -> Iterator[StoredMeasuring]:
        topics = [RECORDED, CORRECTED, VOIDED]
        cursor.execute(self._select, (list(log_ids), position, topics), prepare=True, binary=True)
        for row in cursor:
            yield _stored(row)


def _stored(row: DictRow) -> StoredMeasuring:
    value = _decimal(row["value"])
    numerator, denominator = _decimal(row["numerator"]), _decimal(row["denominator"])
    if row["topic"] == RECORDED:
        return StoredRecording(
            row["originator_id"],
            row["originator_version"],
            row["measurement_id"],
            row["kpi_id"],
            value,
            date.fromisoformat(row["effective_date"]),
            numerator,
            denominator,
        )
    voided = row["topic"] == VOIDED
    return StoredChange(
        row["originator_id"], row["measurement_id"], voided, value, numerator, denominator
    )


def folded(events: Iterable[StoredMeasuring]) -> list[Counted]:
    """A log's measurements as its events leave them, in the order they were recorded."""
    facts: dict[str, Counted] = {}
    for event in events:
        if isinstance(event, StoredRecording):
            facts[event.measurement_id] = recorded_fact(event)
            continue
        before = facts[event.measurement_id]
        changed = voided_fact(before) if event.voided else corrected_fact(event, before)
        facts[event.measurement_id] = changed
    return list(facts.values())


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)
