"""The audit trail: one entry per event, who and why, and each change from what to what."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import psycopg
import pytest

from ledger.application import LedgerApp
from ledger.domain.access import Role
from ledger.values import TargetSpec
from projections import Worker, wait_for
from projections.queries import (
    AuditEntry,
    AuditFilter,
    FieldChange,
    ViewBehind,
    audit_trail,
    stream_audit_trail,
)
from projections.queries.audit import audit_trail_newest_first, event_types_of
from projections.views import AuditTrailView, History
from tests.integration.views.support import (
    HR,
    MANAGER,
    ledger_positions,
    measure,
    open_cycle,
    project,
    seat,
)

Reader = psycopg.Connection[tuple[object, ...]]


def entries(reader: Reader, filters: AuditFilter | None = None) -> list[AuditEntry]:
    return list(audit_trail(reader, filters, limit=1000).items)


def only(reader: Reader, event_type: str) -> AuditEntry:
    [entry] = entries(reader, AuditFilter(event_type=event_type))
    return entry


def test_the_trail_has_one_entry_per_event_with_its_actor_reason_and_approval(
    own_app: LedgerApp, conninfo: str, reader: Reader
) -> None:
    open_cycle(own_app)
    ana = seat(own_app, "E1001")
    own_app.adjust_target(
        MANAGER,
        ana.employee_id,
        ana.cycle_id,
        "retention",
        TargetSpec(Decimal(85)),
        period=ana.quarter(1),
        reason="two key accounts moved to a new region",
        approved_by="hr:priya",
    )
    project(own_app)

    trail = entries(reader)

    assert [entry.position for entry in trail] == ledger_positions(conninfo)
    adjusted = only(reader, "Plan.TargetAdjusted")
    assert (adjusted.actor, adjusted.reason, adjusted.approved_by) == (
        "manager:ravi",
        "two key accounts moved to a new region",
        "hr:priya",
    )
    assert (adjusted.employee_id, adjusted.cycle_id, adjusted.kra_id, adjusted.kpi_id) == (
        "E1001",
        "FY2026",
        "client-retention",
        "retention",
    )
    assert len(adjusted.event_hash) == 64
    assert {entry.actor for entry in trail} == {"hr:priya", "manager:ravi"}


def test_a_target_revision_shows_the_target_in_force_before_and_after(
    own_app: LedgerApp, reader: Reader
) -> None:
    open_cycle(own_app)
    ana = seat(own_app, "E1001")
    own_app.revise_target(
        HR,
        ana.employee_id,
        ana.cycle_id,
        "retention",
        TargetSpec(Decimal(80), threshold=Decimal(40)),
        effective_from=ana.quarter(2),
        reason="market contraction",
    )
    own_app.adjust_target(
        HR,
        ana.employee_id,
        ana.cycle_id,
        "retention",
        TargetSpec(Decimal("70.5")),
        period=ana.quarter(3),
        reason="a key account left",
    )
    project(own_app)

    revised = only(reader, "Plan.TargetRevised")
    adjusted = only(reader, "Plan.TargetAdjusted")

    assert revised.period == "FY2026-Q2"
    assert revised.changes == {
        "target": FieldChange("90", "80"),
        "threshold": FieldChange(None, "40"),
        "stretch": FieldChange(None, None),
    }
    assert adjusted.period == "FY2026-Q3"
    assert adjusted.changes == {
        "target": FieldChange("80", "70.5"),
        "threshold": FieldChange("40", None),
        "stretch": FieldChange(None, None),
    }
    assert adjusted.changes["target"].as_json() == {"from": "80", "to": "70.5"}


def test_a_measurement_correction_shows_the_value_before_and_after(
    own_app: LedgerApp, reader: Reader
) -> None:
    open_cycle(own_app)
    ana = seat(own_app, "E1001")
    measurement_id = measure(own_app, ana, "87", date(2026, 8, 15))
    own_app.correct_measurement(
        MANAGER, measurement_id, value=Decimal("92.5"), reason="late renewals counted"
    )
    project(own_app, page_size=1)

    corrected = only(reader, "MeasurementLog.MeasurementCorrected")

    assert corrected.changes == {"value": FieldChange("87", "92.5")}
    assert (corrected.actor, corrected.reason) == ("manager:ravi", "late renewals counted")
    assert (corrected.measurement_id, corrected.kpi_id, corrected.kra_id) == (
        measurement_id,
        "retention",
        "client-retention",
    )
    assert (corrected.period, corrected.effective_date) == ("FY2026-Q2", date(2026, 8, 15))


def test_the_trail_is_filtered_and_paged_by_position(own_app: LedgerApp, reader: Reader) -> None:
    open_cycle(own_app)
    ana, ravi = seat(own_app, "E1001"), seat(own_app, "E1002")
    for day in range(5):
        measure(own_app, ana, "87", date(2026, 5, 1) + timedelta(days=day))
        measure(own_app, ravi, "91", date(2026, 5, 1) + timedelta(days=day))
    project(own_app)
    ana_measured = AuditFilter(
        employee_id="E1001", kpi_id="retention", event_type="MeasurementLog.MeasurementRecorded"
    )
    expected = entries(reader, ana_measured)

    pages, after = [], None
    while True:
        page = audit_trail(reader, ana_measured, after=after, limit=2)
        pages.append(page.items)
        after = page.next
        if after is None:
            break

    assert [len(items) for items in pages] == [2, 2, 1]
    assert [entry for items in pages for entry in items] == expected
    assert {entry.employee_id for entry in expected} == {"E1001"}
    assert entries(reader, AuditFilter(actor="nobody")) == []


def test_the_trail_pages_newest_first_as_the_reverse_of_oldest_first(
    own_app: LedgerApp, reader: Reader
) -> None:
    open_cycle(own_app)
    ana, ravi = seat(own_app, "E1001"), seat(own_app, "E1002")
    for day in range(3):
        measure(own_app, ana, "87", date(2026, 5, 1) + timedelta(days=day))
        measure(own_app, ravi, "91", date(2026, 5, 1) + timedelta(days=day))
    project(own_app)
    of_ana = AuditFilter(employee_id="E1001")
    expected = list(reversed(entries(reader, of_ana)))

    pages, before = [], None
    while True:
        page = audit_trail_newest_first(reader, of_ana, before=before, limit=3)
        pages.append(page.items)
        before = page.next
        if before is None:
            break

    assert [entry for items in pages for entry in items] == expected
    assert all(len(items) == 3 for items in pages[:-1])
    assert len(pages) > 1
    assert "MeasurementLog.MeasurementRecorded" in event_types_of(reader, "E1001")
    assert event_types_of(reader, "E1001") == sorted({entry.event_type for entry in expected})
    assert event_types_of(reader, "E9999") == []


def test_the_trail_is_filtered_by_recorded_time_from_inclusive_to_exclusive(
    own_app: LedgerApp, reader: Reader
) -> None:
    open_cycle(own_app)
    ana = seat(own_app, "E1001")
    for value in ("87", "88", "89"):
        measure(own_app, ana, value)
    project(own_app)
    measured = entries(reader, AuditFilter(event_type="MeasurementLog.MeasurementRecorded"))
    first, last = measured[0], measured[-1]

    window = AuditFilter(recorded_from=first.recorded_at, recorded_to=last.recorded_at)

    positions = [entry.position for entry in entries(reader, window)]
    assert first.position in positions
    assert last.position not in positions


def test_a_stream_of_the_trail_stops_at_its_position(own_app: LedgerApp, reader: Reader) -> None:
    open_cycle(own_app)
    ana = seat(own_app, "E1001")
    measure(own_app, ana, "87")
    upto = own_app.head_position()
    measure(own_app, ana, "88")
    project(own_app)

    streamed = list(stream_audit_trail(reader, upto, AuditFilter(employee_id="E1001"), batch=3))

    assert [entry.position for entry in streamed] == [
        entry.position
        for entry in entries(reader, AuditFilter(employee_id="E1001"))
        if entry.position <= upto
    ]
    with pytest.raises(ViewBehind):
        stream_audit_trail(reader, own_app.head_position() + 1)


def test_granting_and_revoking_a_token_are_in_the_trail_without_its_hash(
    own_app: LedgerApp, reader: Reader
) -> None:
    own_app.grant_token(
        HR, "0123456789abcdef", name="auditor-1", role=Role.AUDITOR, employee_id=None,
        digest="ab" * 32,
    )  # fmt: skip
    own_app.revoke_token(HR, "0123456789abcdef", reason="left the audit firm")
    project(own_app)

    granted = only(reader, "AccessToken.Granted")
    revoked = only(reader, "AccessToken.Revoked")

    assert granted.changes == {
        "token_id": FieldChange(None, "0123456789abcdef"),
        "name": FieldChange(None, "auditor-1"),
        "role": FieldChange(None, "auditor"),
    }
    assert (revoked.reason, revoked.changes) == (
        "left the audit firm",
        {"revoked": FieldChange(False, True)},
    )


def test_a_recorded_measurement_shows_its_value_source_and_note_from_null(
    own_app: LedgerApp, reader: Reader
) -> None:
    open_cycle(own_app)
    ana = seat(own_app, "E1001")
    note = 'renewals "Q2"\tback\\slash, línea\nnext'
    own_app.record_measurement(
        HR,
        ana.employee_id,
        ana.cycle_id,
        "retention",
        value=Decimal("87.50"),
        effective_date=date(2026, 8, 15),
        source="crm export",
        note=note,
    )
    project(own_app)

    recorded = only(reader, "MeasurementLog.MeasurementRecorded")

    assert recorded.changes == {
        "value": FieldChange(None, "87.50"),
        "source": FieldChange(None, "crm export"),
        "note": FieldChange(None, note),
    }


def test_a_rebuilt_trail_has_the_key_and_indexes_of_a_new_one(
    own_app: LedgerApp, conninfo: str, reader: Reader
) -> None:
    open_cycle(own_app)
    measure(own_app, seat(own_app, "E1001"), "87")
    with Worker(own_app, [AuditTrailView(History.of(own_app))]):
        assert wait_for(conninfo, "audit_trail", own_app.head_position(), timeout=30)
    new = indexes_of(reader, "audit_trail")

    project(own_app, [AuditTrailView(History.of(own_app))])

    assert indexes_of(reader, "audit_trail") == new
    assert ("audit_trail_pkey", 'PRIMARY KEY ("position")') in constraints_of(reader)


def indexes_of(reader: Reader, table: str) -> list[tuple[object, ...]]:
    return reader.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'projections'"
        " AND tablename = %s ORDER BY 1",
        (table,),
    ).fetchall()


def constraints_of(reader: Reader) -> list[tuple[object, ...]]:
    return reader.execute(
        "SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = 'projections.audit_trail'::regclass"
    ).fetchall()
