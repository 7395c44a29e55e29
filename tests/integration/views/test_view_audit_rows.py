"""The audit trail's recordings made directly are the rows its general path makes of them."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import psycopg
from psycopg.rows import dict_row

from ledger.application import LedgerApp
from ledger.domain.measurements import MeasurementLog
from ledger.values import TargetSpec
from projections import EventSource
from projections.view import PositionedEvent
from projections.views import History
from projections.views.audit import TRACKED, context_of, entry_row, recorded_row
from projections.views.changes import Lookup, describe
from projections.views.recordings import stored_recording
from projections.views.states import AggregateStates
from projections.views.topics import RECORDED
from tests.integration.support import CONVERSION
from tests.integration.views.support import HR, MANAGER, measure, open_cycle, seat

NOTES = ["", "a plain note", 'say "hi"\tand\\more', "línea\nnext \u2028 \x7f"]


def test_each_recording_made_directly_is_the_row_describe_makes(
    own_app: LedgerApp, conninfo: str
) -> None:
    open_cycle(own_app)
    ana, ben = seat(own_app, "E1001"), seat(own_app, "E1002")
    for n, note in enumerate(NOTES):
        for person in (ana, ben):
            own_app.record_measurement(
                HR,
                person.employee_id,
                person.cycle_id,
                "retention",
                value=Decimal(f"8{n}.50"),
                effective_date=date(2026, 4, 9) + timedelta(days=91 * n),
                note=note,
            )
        own_app.revise_target(
            MANAGER,
            ana.employee_id,
            ana.cycle_id,
            "retention",
            TargetSpec(Decimal(90 + n)),
            effective_from=ana.quarter(n % 4 + 1),
            reason="the year's target moved",
        )
    own_app.erase_employee(
        HR, ben.employee_id, reason="asked for by the employee", legal_basis="GDPR Art. 17"
    )

    cai = seat(own_app, "E1003", kpi=CONVERSION)
    own_app.record_measurement(
        HR,
        cai.employee_id,
        cai.cycle_id,
        "retention",
        numerator=Decimal(3),
        denominator=Decimal(4),
        effective_date=date(2026, 5, 1),
    )

    compared, described = rows_both_ways(own_app, conninfo)

    assert len(compared) + len(described) == 2 * len(NOTES) + 1
    assert len(compared) >= 2, "the recordings with an empty note are read as stored"
    for direct, general in compared:
        assert direct == general
    for recorded in described:
        assert recorded.numerator is not None or recorded.note != ""


def test_a_recording_stored_before_rates_is_read_as_stored(
    own_app: LedgerApp, conninfo: str
) -> None:
    open_cycle(own_app)
    ana = seat(own_app, "E1001")
    measure(own_app, ana, "7.10", date(2026, 5, 1))
    [event] = [e for e in read(own_app, conninfo) if e.topic == RECORDED]
    state = json.loads(event.stored.state)
    for name in ("class_version", "numerator", "denominator"):
        del state[name]

    recording = stored_recording(json.dumps(state).encode())

    assert recording == stored_recording(event.stored.state)
    assert recording is not None
    assert recording.value == "7.10"


def read(app: LedgerApp, conninfo: str) -> list[PositionedEvent]:
    with psycopg.connect(conninfo, row_factory=dict_row) as conn:
        return list(EventSource.of(app).read(conn.cursor(), 0, 10_000).events)


Compared = list[tuple[tuple[object, ...], tuple[object, ...]]]


def rows_both_ways(
    app: LedgerApp, conninfo: str
) -> tuple[Compared, list[MeasurementLog.MeasurementRecorded]]:
    """Walk the ledger as the trail's page does: each recording read as stored made both
    ways; the recordings that are not read as stored."""
    source = EventSource.of(app)
    states = AggregateStates(History.of(app))
    compared: Compared = []
    described = []
    with psycopg.connect(conninfo, row_factory=dict_row) as conn:
        cursor = conn.cursor()
        page = source.read(cursor, 0, 10_000).events
        held = states.page(cursor, page)
        held.take(dict.fromkeys(e.originator_id for e in page if e.topic in TRACKED))
        held.take(context_of(page, {}))
        lookup = Lookup(held, {})
        for event in page:
            domain_event = event.event
            if isinstance(domain_event, MeasurementLog.MeasurementRecorded):
                recording = stored_recording(event.stored.state)
                general = entry_row(event, describe(domain_event, None, lookup))
                if recording is None:
                    described.append(domain_event)
                else:
                    compared.append((recorded_row(event, recording, lookup), general))
            lookup.follow(domain_event)
            if event.topic in TRACKED:
                held.advance(event)
                lookup.forget()
    return compared, described
