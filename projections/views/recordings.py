"""A value's recording read from its stored event, without decoding it.

Recordings are most of the ledger, and the audit trail's entry of one needs a few of its
fields: reading them from the stored JSON costs a fraction of decoding the event. Only
what reads exactly as the decoded event is read so: a value (not a rate's parts), a note
in clear (an empty note is never sealed), not imported, of a class version known here.
Any other recording is decoded and described as every other event is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

import orjson

from ledger.imports.provenance import ATTRIBUTE as PROVENANCE
from projections.view import PositionedEvent
from projections.views.topics import RECORDED

READ_AS_STORED = 2
"""The class version of ``MeasurementRecorded`` whose stored form ``stored_recording`` reads
(version 1 reads the same: it only lacked a rate's parts); a later one is decoded."""


class StoredRecording(NamedTuple):
    """A value's recording as its stored event has it, read without decoding the event."""

    actor: str
    measurement_id: str
    kpi_id: str
    value: str | None
    effective_date: date
    source: str
    note: str


def stored_recording(state: bytes) -> StoredRecording | None:
    """The recording in a ``MeasurementRecorded`` event's stored state, if it reads as the
    decoded event would; None otherwise.

    The stored forms read are the ledger transcoder's: a decimal and a date are
    ``{"_type_": "decimal_str" | "date_iso", "_data_": text}``, and a decimal's text is
    the text of the decimal it decodes to (``str(Decimal(text)) == text``). A state that
    ``orjson`` (strict JSON) cannot read, a lone surrogate's escape say, is decoded."""
    try:
        fields = orjson.loads(state)
    except orjson.JSONDecodeError:
        return None
    if type(fields) is not dict:
        return None
    value, day = fields.get("value"), fields.get("effective_date")
    if (
        fields.get("class_version", 1) > READ_AS_STORED
        or fields.get("numerator") is not None
        or PROVENANCE in fields
        or type(fields.get("note")) is not str
        or type(day) is not dict
        or day.get("_type_") != "date_iso"
        or (value is not None and (type(value) is not dict or value.get("_type_") != "decimal_str"))
    ):
        return None
    return StoredRecording(
        fields["actor"],
        fields["measurement_id"],
        fields["kpi_id"],
        None if value is None else value["_data_"],
        date.fromisoformat(day["_data_"]),
        fields["source"],
        fields["note"],
    )


def stored_recordings(page: Sequence[PositionedEvent]) -> dict[int, StoredRecording]:
    """The page's recordings whose entries are made from their stored state, by position."""
    found = {}
    for event in page:
        if event.topic == RECORDED:
            recording = stored_recording(event.stored.state)
            if recording is not None:
                found[event.position] = recording
    return found
