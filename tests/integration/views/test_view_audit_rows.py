"""The audit trail's recordings made directly are the rows its general path makes of them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import psycopg
from psycopg.rows import dict_row

from ledger.application import LedgerApp
from ledger.domain.measurements import MeasurementLog
from ledger.values import TargetSpec
from projections import EventSource
from projections.views import History
from projections.views.audit import TRACKED, context_of, entry_row, recorded_row
from projections.views.changes import Lookup, describe
from projections.views.states import AggregateStates
from tests.integration.views.support import HR, MANAGER, open_cycle, seat

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

    compared = rows_both_ways(own_app, conninfo)

    assert len(compared) == 2 * len(NOTES)
    for direct, general in compared:
        assert direct == general


def rows_both_ways(
    app: LedgerApp, conninfo: str
) -> list[tuple[tuple[object, ...], tuple[object, ...]]]:
    """Walk the ledger as the trail's page does, each recording both ways."""
    source = EventSource.of(app)
    states = AggregateStates(History.of(app))
    compared = []
    with psycopg.connect(conninfo, row_factory=dict_row) as conn:
        cursor = conn.cursor()
        page = source.read(cursor, 0, 10_000).events
        held = states.page(cursor, page)
        held.take(dict.fromkeys(e.originator_id for e in page if e.topic in TRACKED))
        held.take(context_of(page))
        lookup = Lookup(held, {})
        for event in page:
            domain_event = event.event
            tracked = event.topic in TRACKED
            if isinstance(domain_event, MeasurementLog.MeasurementRecorded):
                direct = recorded_row(event, domain_event, lookup)
                compared.append((direct, entry_row(event, describe(domain_event, None, lookup))))
            lookup.follow(domain_event)
            if tracked:
                held.advance(event)
                lookup.forget()
    return compared
