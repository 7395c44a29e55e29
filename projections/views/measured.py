"""Measurements' facts read out of their logs' stored events by the database.

Settling a rebuild scores plans from their logs' measurements as they stand at the end.
Decoding every event of every log in Python for it was a third of a rebuild's cost; the
database reads the few fields scoring needs out of each event's JSON instead, on its own
core, and returns them as columns. What it reads are the stored forms of
``MeasurementLog``'s events as the ledger's transcoder writes them: a decimal and a date
are ``{"_type_": ..., "_data_": "<text>"}``; a field an older class version of an event
did not have reads as NULL, as its upcast leaves it (None).
Sealed fields (a note, a reason) are not read: scoring does not use them.

The same read says, for each effective date, the last event that changed a measurement
of that date: the position a rebuild's scorecard of its quarter stands at.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple
from uuid import UUID

from psycopg import Cursor, sql
from psycopg.rows import tuple_row

from projections.statements import composed
from projections.views.topics import CORRECTED, MEASURING_TOPICS, RECORDED, VOIDED

READ_AS_STORED = {RECORDED: 2, CORRECTED: 2, VOIDED: 1}
"""The class versions whose stored forms are read here: a later version (a changed form)
is refused, not misread, until this reads it."""


class StoredFact(NamedTuple):
    """A measurement at its latest value, as its log's stored events leave it: a
    ``Counted`` (a tuple: a rebuild makes one per measurement)."""

    measurement_id: str
    kpi_id: str
    value: Decimal | None
    effective_date: date
    sequence: int
    voided: bool = False
    numerator: Decimal | None = None
    denominator: Decimal | None = None


class LogFacts(NamedTuple):
    """A log's measurements at a position, and the last event that changed a measurement
    of each effective date."""

    facts: list[StoredFact]
    changed: dict[date, int]


class MeasuredFacts:
    """The measurements of logs at a position, each at its latest value, from the events."""

    def __init__(self, events: sql.Identifier) -> None:
        self._select = composed(
            sql.SQL(
                "SELECT e.originator_id, e.notification_id, e.originator_version, e.topic,"
                " f.measurement_id, f.kpi_id, f.value ->> '_data_',"
                " f.effective_date ->> '_data_', f.numerator ->> '_data_',"
                " f.denominator ->> '_data_', coalesce(f.class_version, 1)"
                " FROM {} AS e, json_to_record(convert_from(e.state, 'UTF8')::json)"
                " AS f(measurement_id text, kpi_id text, value json, effective_date json,"
                " numerator json, denominator json, class_version integer)"
                " WHERE e.originator_id = ANY(%s) AND e.notification_id <= %s"
                " AND e.topic = ANY(%s)"
                " ORDER BY e.originator_id, e.originator_version"
            ).format(events)
        )

    def of(
        self, cursor: Cursor[Any], log_ids: Collection[UUID], position: int
    ) -> Iterator[tuple[UUID, LogFacts]]:
        """Each log's measurements at ``position`` (voided ones included, marked), in the
        order they were recorded; a log without any is left out."""
        if not log_ids:
            return
        rows = cursor.connection.cursor(row_factory=tuple_row)
        arguments = (list(log_ids), position, list(MEASURING_TOPICS))
        rows.execute(self._select, arguments, prepare=True, binary=True)
        log_id: UUID | None = None
        facts: dict[str, StoredFact] = {}
        changed: dict[date, int] = {}
        for row in rows:
            if row[0] != log_id:
                if log_id is not None:
                    yield log_id, LogFacts(list(facts.values()), changed)
                log_id, facts, changed = row[0], {}, {}
            fact = fold(facts, row)
            changed[fact.effective_date] = row[1]
        if log_id is not None:
            yield log_id, LogFacts(list(facts.values()), changed)


def fold(facts: dict[str, StoredFact], row: tuple[Any, ...]) -> StoredFact:
    """Bring ``facts`` past one event (a recording, a correction or a void); the fact."""
    (
        _,
        position,
        version,
        kind,
        measurement_id,
        kpi_id,
        value,
        effective,
        numerator,
        denominator,
        stored_as,
    ) = row
    if stored_as > READ_AS_STORED[kind]:
        stored = f"{kind} version {stored_as}"
        raise ValueError(f"the event at position {position} is stored as {stored}: not read here")
    if kind == RECORDED:
        fact = StoredFact(
            measurement_id,
            kpi_id,
            None if value is None else Decimal(value),
            date.fromisoformat(effective),
            version,
            False,
            None if numerator is None else Decimal(numerator),
            None if denominator is None else Decimal(denominator),
        )
    elif kind == VOIDED:
        fact = facts[measurement_id]._replace(voided=True)
    else:
        fact = facts[measurement_id]._replace(
            value=_decimal(value), numerator=_decimal(numerator), denominator=_decimal(denominator)
        )
    facts[measurement_id] = fact
    return fact


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)
