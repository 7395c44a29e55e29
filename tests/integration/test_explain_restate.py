"""Restating a finalised review: reproduced exactly, beside today's knowledge."""

from __future__ import annotations

from decimal import Decimal

from ledger.application import LedgerApp
from ledger.explanation.explaining import Revision, explain, restate
from ledger.values import RatingBand, TargetSpec
from tests.integration.support import HR, Seat, recorded, seat_with_active_plan

STRICTER_SCALE = (
    RatingBand(Decimal(0), 1, "Unsatisfactory"),
    RatingBand(Decimal(60), 2, "Needs improvement"),
    RatingBand(Decimal(80), 3, "Meets expectations"),
    RatingBand(Decimal(120), 4, "Exceeds expectations"),
    RatingBand(Decimal(140), 5, "Outstanding"),
)


def finalised_then_changed(app: LedgerApp) -> Seat:
    """Revision 1 at 96.67; then target 80, measurement 92 and a stricter scale: 115.00, 3."""
    seat = seat_with_active_plan(app)
    measurement_id = recorded(app, seat, 87).ids["measurement_id"]
    app.finalize_review(HR, seat.employee_id, seat.q1)
    app.revise_target(
        HR,
        seat.employee_id,
        seat.cycle_id,
        "retention",
        TargetSpec(Decimal(80)),
        effective_from=seat.q1,
        reason="the market shrank",
    )
    app.correct_measurement(HR, measurement_id, value=Decimal(92), reason="late renewals")
    app.revise_policy(HR, seat.cycle_id, rating_scale=STRICTER_SCALE, reason="policy review")
    return seat


def test_a_restated_revision_reproduces_and_shows_the_score_under_todays_knowledge(
    app: LedgerApp,
) -> None:
    seat = finalised_then_changed(app)

    restatement = restate(app, seat.employee_id, seat.q1, 1)

    assert restatement.matches
    assert restatement.frm.scorecard is not None
    assert restatement.to.scorecard is not None
    assert restatement.frm.scorecard.hash == restatement.revision.scorecard_hash
    assert (restatement.frm.scorecard.score, restatement.frm.scorecard.rating) == (
        Decimal("96.67"),
        3,
    )
    assert (restatement.to.scorecard.score, restatement.to.scorecard.rating) == (
        Decimal("115.00"),
        3,
    )
    assert restatement.comparison.overall.difference == Decimal("18.33")
    shape = restatement.to_dict()
    assert (shape["revision"], shape["matches"]) == (1, True)
    assert shape["kpis"] == [
        {
            "kpi_id": "retention",
            "kra_id": "client-retention",
            "name": "retain existing clients",
            "achievement_from": "96.67",
            "achievement_to": "115.00",
            "difference": "18.33",
        }
    ]


def test_every_revision_reproduces_after_targets_measurements_and_scale_change(
    app: LedgerApp,
) -> None:
    seat = finalised_then_changed(app)
    app.reopen_review(HR, seat.employee_id, seat.q1, reason="targets were revised")
    app.finalize_review(HR, seat.employee_id, seat.q1)
    app.calibrate_review(HR, seat.employee_id, seat.q1, rating=4, reason="panel decision")
    app.revise_policy(HR, seat.cycle_id, achievement_cap=Decimal(110), reason="cap lowered")

    for revision in (1, 2):
        assert app.reproduce(seat.employee_id, seat.q1, revision).matches
        assert restate(app, seat.employee_id, seat.q1, revision).matches
    restated = restate(app, seat.employee_id, seat.q1, 2)
    assert restated.to.scorecard is not None
    assert restated.to.scorecard.score == Decimal("110.00")
    assert (restated.revision.computed_rating, restated.revision.final_rating) == (3, 4)

    explanation = explain(app, seat.employee_id, seat.q1, Revision(1), Revision(2))
    assert [step.event_type for step in explanation.steps] == [
        "Review.Opened",
        "Review.Finalized",
        "Plan.TargetRevised",
        "MeasurementLog.MeasurementCorrected",
        "ReviewCycle.PolicyRevised",
        "Review.Reopened",
    ]
    assert [str(step.score) for step in explanation.steps] == [
        "96.67",
        "96.67",
        "108.75",
        "115.00",
        "115.00",
        "115.00",
    ]
    assert [step.rating for step in explanation.steps] == [3, 3, 4, 4, 3, 3]


def test_restating_at_a_position_uses_the_knowledge_recorded_by_then(app: LedgerApp) -> None:
    seat = seat_with_active_plan(app)
    recorded(app, seat, 87)
    finalized = app.finalize_review(HR, seat.employee_id, seat.q1).position
    app.revise_target(
        HR,
        seat.employee_id,
        seat.cycle_id,
        "retention",
        TargetSpec(Decimal(80)),
        effective_from=seat.q1,
        reason="the market shrank",
    )

    then = restate(app, seat.employee_id, seat.q1, 1, position=finalized)

    assert then.to.position == finalized
    assert then.to.scorecard is not None
    assert then.to.scorecard.score == Decimal("96.67")
    assert then.comparison.overall.difference == Decimal("0.00")
