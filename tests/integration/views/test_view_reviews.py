"""Reviews with every revision: finalised, calibrated, reopened and finalised again."""

from __future__ import annotations

from decimal import Decimal

import psycopg

from ledger.application import LedgerApp
from projections.queries import review
from tests.integration.views.support import HR, MANAGER, measure, open_cycle, project, seat

Reader = psycopg.Connection[tuple[object, ...]]


def test_a_review_keeps_every_revision_with_its_calibration_and_reopening(
    own_app: LedgerApp, reader: Reader
) -> None:
    open_cycle(own_app)
    ana = seat(own_app, "E1001")
    measurement_id = measure(own_app, ana, "87")
    first = own_app.finalize_review(MANAGER, "E1001", ana.quarter(1), comments="solid").position
    own_app.calibrate_review(HR, "E1001", ana.quarter(1), rating=4, reason="key account saved")
    own_app.reopen_review(HR, "E1001", ana.quarter(1), reason="late data")
    own_app.correct_measurement(HR, measurement_id, value=Decimal(99), reason="late renewals")
    own_app.finalize_review(HR, "E1001", ana.quarter(1))
    project(own_app)

    row = review(reader, "E1001", ana.quarter(1))

    assert row is not None
    head = own_app.head_position()
    assert (row.status, row.cycle_id, row.position) == ("finalized", "FY2026", head)
    one, two = row.revisions
    stored = own_app.review("E1001", ana.quarter(1)).revisions
    assert (one.revision, one.score, one.computed_rating, one.final_rating) == (
        1,
        Decimal("96.67"),
        3,
        4,
    )
    assert (one.finalized_by, one.finalized_position) == ("manager:ravi", first)
    assert one.comments == "solid"
    assert (one.calibration_reason, one.calibrated_by) == ("key account saved", "hr:priya")
    assert (one.reopen_reason, one.reopened_by) == ("late data", "hr:priya")
    assert (two.revision, two.score, two.final_rating, two.reopen_reason) == (
        2,
        Decimal("110.00"),
        4,
        None,
    )
    assert [(r.position, r.scorecard_hash) for r in row.revisions] == [
        (r.position, r.scorecard_hash) for r in stored
    ]
    assert one.recorded_at < two.recorded_at
