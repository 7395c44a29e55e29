"""Explaining a scorecard's change between positions, instants and review revisions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ledger.application import LedgerApp
from ledger.commands import Context
from ledger.errors import InvalidInput, NotFound
from ledger.explanation import parse_point
from ledger.explanation.explaining import Revision, explain
from ledger.values import TargetSpec
from tests.integration.support import Seat, recorded, seat_with_active_plan

MANAGER = Context(actor="manager:ravi")
HR = Context(actor="hr:priya")
REGION_MOVE = "two key accounts moved to a new region"


def measure(app: LedgerApp, seat: Seat, value: str) -> int:
    written = recorded(app, seat, value)
    return written.position


def adjust_to_85(app: LedgerApp, seat: Seat) -> int:
    written = app.adjust_target(
        MANAGER,
        seat.employee_id,
        seat.cycle_id,
        "retention",
        TargetSpec(Decimal(85)),
        period=seat.q1,
        reason=REGION_MOVE,
        approved_by="hr:priya",
    )
    return written.position


def test_the_worked_example_names_the_adjustment_its_actor_and_its_reason(
    app: LedgerApp,
) -> None:
    seat = seat_with_active_plan(app)
    measured = measure(app, seat, "87")
    adjusted = adjust_to_85(app, seat)

    explanation = explain(app, seat.employee_id, seat.q1, measured, adjusted)

    assert explanation.frm.scorecard is not None
    assert explanation.to.scorecard is not None
    assert (explanation.frm.scorecard.score, explanation.frm.scorecard.rating) == (
        Decimal("96.67"),
        3,
    )
    assert (explanation.to.scorecard.score, explanation.to.scorecard.rating) == (
        Decimal("102.35"),
        4,
    )
    [step] = explanation.steps
    assert step.position == adjusted
    assert step.event_type == "Plan.TargetAdjusted"
    assert (step.actor, step.reason, step.approved_by) == ("manager:ravi", REGION_MOVE, "hr:priya")
    assert (step.score, step.rating) == (Decimal("102.35"), 4)
    assert (step.kpi_id, step.period) == ("retention", seat.q1)
    [kpi] = explanation.comparison.kpis
    assert (kpi.kpi_id, kpi.achievement_from, kpi.achievement_to) == (
        "retention",
        Decimal("96.67"),
        Decimal("102.35"),
    )
    assert explanation.comparison.overall.difference == Decimal("5.68")


def test_an_explanation_has_the_shape_of_the_api(app: LedgerApp) -> None:
    seat = seat_with_active_plan(app)
    measured = measure(app, seat, "87")
    adjusted = adjust_to_85(app, seat)

    shape = explain(app, seat.employee_id, seat.q1, measured, adjusted).to_dict()

    assert shape["from"] == {
        "position": measured,
        "score": "96.67",
        "rating": 3,
        "scorecard": app.scorecard(seat.employee_id, seat.q1, position=measured).to_dict(),
    }
    assert shape["to"] == {
        "position": adjusted,
        "score": "102.35",
        "rating": 4,
        "scorecard": app.scorecard(seat.employee_id, seat.q1, position=adjusted).to_dict(),
    }
    assert shape["kpis"] == [
        {
            "kpi_id": "retention",
            "kra_id": "client-retention",
            "name": "retain existing clients",
            "achievement_from": "96.67",
            "achievement_to": "102.35",
            "difference": "5.68",
        }
    ]
    assert shape["kras"] == [
        {
            "kra_id": "client-retention",
            "title": "Client Retention",
            "score_from": "96.67",
            "score_to": "102.35",
            "difference": "5.68",
        }
    ]
    steps = shape["steps"]
    assert isinstance(steps, list)
    [step] = steps
    assert {key: step[key] for key in ("position", "event_type", "actor", "reason")} == {
        "position": adjusted,
        "event_type": "Plan.TargetAdjusted",
        "actor": "manager:ravi",
        "reason": REGION_MOVE,
    }
    assert (step["approved_by"], step["score"], step["rating"]) == ("hr:priya", "102.35", 4)
    assert datetime.fromisoformat(step["recorded_at"]).tzinfo is not None


def test_instants_explain_as_the_positions_recorded_by_then(app: LedgerApp) -> None:
    seat = seat_with_active_plan(app)
    measure(app, seat, "87")
    before_adjustment = datetime.now(UTC)
    adjust_to_85(app, seat)
    after_adjustment = datetime.now(UTC)

    by_instant = explain(app, seat.employee_id, seat.q1, before_adjustment, after_adjustment)
    by_position = explain(
        app,
        seat.employee_id,
        seat.q1,
        app.position_at(before_adjustment),
        app.position_at(after_adjustment),
    )

    assert by_instant == by_position
    assert [step.event_type for step in by_instant.steps] == ["Plan.TargetAdjusted"]


def test_an_explanation_from_before_the_plan_starts_without_a_scorecard(app: LedgerApp) -> None:
    seat = seat_with_active_plan(app)
    measured = measure(app, seat, "87")

    explanation = explain(app, seat.employee_id, seat.q1, 0, measured)

    assert explanation.frm.scorecard is None
    assert explanation.to_dict()["from"] == {
        "position": 0,
        "score": None,
        "rating": None,
        "scorecard": None,
    }
    types = [step.event_type for step in explanation.steps]
    assert types[:2] == ["ReviewCycle.Opened", "Plan.Drafted"]
    assert types[-2:] == ["MeasurementLog.Started", "MeasurementLog.MeasurementRecorded"]
    assert explanation.steps[-1].score == Decimal("96.67")


def test_with_no_event_between_the_points_both_scorecards_are_equal(app: LedgerApp) -> None:
    seat = seat_with_active_plan(app)
    measured = measure(app, seat, "87")
    other = seat_with_active_plan(app)
    later = measure(app, other, "50")

    explanation = explain(app, seat.employee_id, seat.q1, measured, later)

    assert explanation.steps == ()
    assert explanation.frm.scorecard is not None
    assert explanation.to.scorecard is not None
    assert explanation.frm.scorecard.hash == explanation.to.scorecard.hash


def test_review_revisions_explain_from_their_pinned_positions(app: LedgerApp) -> None:
    seat = seat_with_active_plan(app)
    measure(app, seat, "87")
    app.finalize_review(HR, seat.employee_id, seat.q1)
    app.reopen_review(HR, seat.employee_id, seat.q1, reason="the region move was approved late")
    adjust_to_85(app, seat)
    app.finalize_review(HR, seat.employee_id, seat.q1)

    explanation = explain(app, seat.employee_id, seat.q1, Revision(1), Revision(2))

    first, second = app.review(seat.employee_id, seat.q1).revisions
    assert (explanation.frm.position, explanation.to.position) == (first.position, second.position)
    assert explanation.frm.scorecard is not None
    assert explanation.to.scorecard is not None
    assert explanation.frm.scorecard.hash == first.scorecard_hash
    assert explanation.to.scorecard.hash == second.scorecard_hash
    assert [step.event_type for step in explanation.steps] == [
        "Review.Opened",
        "Review.Finalized",
        "Review.Reopened",
        "Plan.TargetAdjusted",
    ]
    assert explanation.steps[2].reason == "the region move was approved late"
    assert explanation.steps[-1].score == Decimal("102.35")


def test_from_after_to_is_refused(app: LedgerApp) -> None:
    seat = seat_with_active_plan(app)
    measured = measure(app, seat, "87")
    with pytest.raises(InvalidInput) as refused:
        explain(app, seat.employee_id, seat.q1, measured, measured - 1)
    assert "from" in refused.value.fields


def test_an_unknown_revision_or_a_position_beyond_the_head_is_refused(app: LedgerApp) -> None:
    seat = seat_with_active_plan(app)
    measured = measure(app, seat, "87")
    with pytest.raises(NotFound):
        explain(app, seat.employee_id, seat.q1, Revision(1), measured)
    with pytest.raises(InvalidInput) as refused:
        explain(app, seat.employee_id, seat.q1, measured, app.head_position() + 10)
    assert "to" in refused.value.fields


def test_a_plan_that_does_not_exist_at_the_later_point_is_not_found(app: LedgerApp) -> None:
    seat = seat_with_active_plan(app)
    with pytest.raises(NotFound):
        explain(app, seat.employee_id, seat.q1, 0, 0)


def test_points_parse_as_positions_revisions_and_instants() -> None:
    assert parse_point("120", "from") == 120
    assert parse_point("r2", "from") == Revision(2)
    assert parse_point("revision:3", "from") == Revision(3)
    assert parse_point("2026-07-01T09:00:00Z", "to") == datetime(2026, 7, 1, 9, tzinfo=UTC)
    assert parse_point("2026-07-01T09:00:00+05:30", "to") == datetime(2026, 7, 1, 3, 30, tzinfo=UTC)
    for text in ("2026-07-01T09:00:00", "yesterday", "r0", "-3"):
        with pytest.raises(InvalidInput) as refused:
            parse_point(text, "to")
        assert "to" in refused.value.fields


def test_measurements_of_other_quarters_between_two_revisions_leave_the_score_unmoved(
    app: LedgerApp,
) -> None:
    seat = seat_with_active_plan(app)
    measure(app, seat, "87")
    app.finalize_review(HR, seat.employee_id, seat.q1)
    app.reopen_review(HR, seat.employee_id, seat.q1, reason="June's figure was restated")
    q2 = recorded(app, seat, "95", date(2026, 8, 15))
    q1 = recorded(app, seat, "92", date(2026, 6, 30))
    corrected = app.correct_measurement(
        HR, q2.ids["measurement_id"], value=Decimal(97), reason="restated"
    )
    voided = app.void_measurement(HR, q2.ids["measurement_id"], reason="duplicate")
    q3 = recorded(app, seat, "80", date(2026, 11, 2))
    app.finalize_review(HR, seat.employee_id, seat.q1)

    explanation = explain(app, seat.employee_id, seat.q1, Revision(1), Revision(2))

    measured = [step for step in explanation.steps if step.event_type.startswith("Measurement")]
    assert [(step.position, step.period, step.moved) for step in measured] == [
        (q2.position, f"{seat.cycle_id}-Q2", False),
        (q1.position, seat.q1, True),
        (corrected.position, f"{seat.cycle_id}-Q2", False),
        (voided.position, f"{seat.cycle_id}-Q2", False),
        (q3.position, f"{seat.cycle_id}-Q3", False),
    ]
    [moving] = explanation.moving_steps
    assert (moving.score, moving.score_delta) == (Decimal("102.22"), Decimal("5.55"))
    assert (explanation.steps_moved, explanation.steps_unchanged) == (1, 7)
    reviewed = [step for step in explanation.steps if step.event_type.startswith("Review")]
    assert {step.period for step in reviewed} == {seat.q1}
    assert not any(step.moved for step in reviewed)


def test_a_correction_concerns_the_quarter_of_the_measurement_it_corrects(
    app: LedgerApp,
) -> None:
    seat = seat_with_active_plan(app)
    start = app.head_position()
    measurement_id = recorded(app, seat, "70", date(2027, 1, 5)).ids["measurement_id"]
    app.correct_measurement(HR, measurement_id, value=Decimal(71), reason="restated")

    explanation = explain(app, seat.employee_id, f"{seat.cycle_id}", start, app.head_position())

    periods = [(step.event_type, step.period) for step in explanation.steps if step.measurement_id]
    assert periods == [
        ("MeasurementLog.MeasurementRecorded", f"{seat.cycle_id}-Q4"),
        ("MeasurementLog.MeasurementCorrected", f"{seat.cycle_id}-Q4"),
    ]
    assert all(step.moved for step in explanation.steps if step.measurement_id)


def test_moving_steps_alone_carry_the_counts_of_every_step(app: LedgerApp) -> None:
    seat = seat_with_active_plan(app)
    start = measure(app, seat, "87")
    recorded(app, seat, "60", date(2026, 7, 1))
    adjusted = adjust_to_85(app, seat)

    shape = explain(app, seat.employee_id, seat.q1, start, adjusted).to_dict(moved_only=True)

    steps = shape["steps"]
    assert isinstance(steps, list)
    assert [(step["position"], step["moved"], step["score_delta"]) for step in steps] == [
        (adjusted, True, "5.68")
    ]
    assert (shape["steps_moved"], shape["steps_unchanged"]) == (1, 1)
