"""Plans, measurements and scorecards through the application, on a real PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ledger.app.measuring import Reading
from ledger.application import LedgerApp
from ledger.commands import Context
from ledger.domain import KraDefinition, Profile, Weights
from ledger.errors import InvalidInput, NotFound, RuleViolated, StaleVersion
from ledger.values import TargetSpec
from tests.integration.support import HR, RETENTION, measure, new_id, seat_with_active_plan


def test_the_worked_example_scores_96_67_then_102_35_after_the_adjustment(app: LedgerApp) -> None:
    seat = seat_with_active_plan(app)
    measure(app, seat, "87")
    before = app.scorecard(seat.employee_id, seat.q1)
    assert before.score == Decimal("96.67")
    assert (before.rating, before.rating_label) == (3, "Meets expectations")
    assert before.complete
    assert before.kras[0].kpis[0].achievement == Decimal("96.67")
    manager = Context(actor="manager:ravi")
    app.adjust_target(
        manager,
        seat.employee_id,
        seat.cycle_id,
        "retention",
        TargetSpec(Decimal(85)),
        period=seat.q1,
        reason="two key accounts moved to a new region",
        approved_by="hr:priya",
    )
    after = app.scorecard(seat.employee_id, seat.q1)
    assert after.score == Decimal("102.35")
    assert after.rating == 4
    assert after.kras[0].kpis[0].target == Decimal(85)
    assert after.position is not None
    assert before.position is not None
    assert after.position > before.position


def test_a_scorecard_as_of_a_position_before_a_correction_shows_the_old_value(
    app: LedgerApp,
) -> None:
    seat = seat_with_active_plan(app)
    measurement_id = measure(app, seat, "87")
    before = app.scorecard(seat.employee_id, seat.q1)
    app.correct_measurement(HR, measurement_id, value=Decimal(92), reason="late renewals counted")
    corrected = app.scorecard(seat.employee_id, seat.q1)
    assert corrected.kras[0].kpis[0].actual == Decimal(92)
    assert before.position is not None
    again = app.scorecard(seat.employee_id, seat.q1, position=before.position)
    assert again.kras[0].kpis[0].actual == Decimal(87)
    assert again.hash == before.hash
    assert again.position == before.position


def test_a_scorecard_as_of_an_instant_resolves_to_the_last_position_recorded_by_then(
    app: LedgerApp,
) -> None:
    seat = seat_with_active_plan(app)
    measure(app, seat, "87")
    instant = datetime.now(UTC)
    head = app.head_position()
    measure(app, seat, "95", date(2026, 6, 30))
    card = app.scorecard(seat.employee_id, seat.q1, as_of=instant)
    assert card.position == head
    assert card.kras[0].kpis[0].actual == Decimal(87)


def test_a_voided_measurement_leaves_the_kpi_unscored(app: LedgerApp) -> None:
    seat = seat_with_active_plan(app)
    measurement_id = measure(app, seat, "87")
    app.void_measurement(HR, measurement_id, reason="entered for the wrong employee")
    card = app.scorecard(seat.employee_id, seat.q1)
    assert card.score is None
    assert not card.complete
    assert app.measurement_log(seat.employee_id, seat.cycle_id) is not None


def test_a_target_revision_applies_from_its_period_onward(app: LedgerApp) -> None:
    seat = seat_with_active_plan(app)
    measure(app, seat, "87", date(2026, 6, 30))
    measure(app, seat, "87", date(2026, 9, 30))
    app.revise_target(
        HR,
        seat.employee_id,
        seat.cycle_id,
        "retention",
        TargetSpec(Decimal(80)),
        effective_from=f"{seat.cycle_id}-Q2",
        reason="market contraction",
    )
    assert app.scorecard(seat.employee_id, seat.q1).score == Decimal("96.67")
    assert app.scorecard(seat.employee_id, f"{seat.cycle_id}-Q2").score == Decimal("108.75")


def test_measurements_are_refused_outside_the_cycle_and_for_unknown_kpis(app: LedgerApp) -> None:
    seat = seat_with_active_plan(app)
    head = app.head()
    with pytest.raises(InvalidInput):
        measure(app, seat, "87", date(2027, 4, 1))
    with pytest.raises(NotFound):
        app.record_measurement(
            HR,
            seat.employee_id,
            seat.cycle_id,
            "nope",
            value=Decimal(1),
            effective_date=date(2026, 6, 1),
        )
    assert app.head() == head


def test_a_report_of_several_measurements_is_recorded_in_one_write(app: LedgerApp) -> None:
    seat = seat_with_active_plan(app)
    readings = [
        Reading("retention", Decimal(85), date(2026, 5, 31), "CRM export"),
        Reading("retention", Decimal(87), date(2026, 6, 30), "CRM export"),
    ]
    written = app.record_report(HR, seat.employee_id, seat.cycle_id, readings)
    log = app.measurement_log(seat.employee_id, seat.cycle_id)
    assert log is not None
    assert [m.value for m in log.measurements] == [85, 87]
    assert written.position == app.head_position()
    assert app.scorecard(seat.employee_id, seat.q1).score == Decimal("96.67")


def test_a_report_with_one_bad_reading_records_none_of_them(app: LedgerApp) -> None:
    seat = seat_with_active_plan(app)
    head = app.head()
    readings = [
        Reading("retention", Decimal(87), date(2026, 6, 30)),
        Reading("retention", Decimal(88), date(2027, 4, 1)),
    ]
    with pytest.raises(InvalidInput):
        app.record_report(HR, seat.employee_id, seat.cycle_id, readings)
    assert app.head() == head
    assert app.measurement_log(seat.employee_id, seat.cycle_id) is None


def test_measurements_are_refused_against_a_draft_plan(app: LedgerApp) -> None:
    employee_id, cycle_id = new_id("E"), new_id("FY")
    app.register_employee(HR, employee_id, Profile("Ana Rao", "Sales", "Sales Executive"))
    app.open_cycle(HR, cycle_id, name="FY", start_date=date(2026, 4, 1))
    app.draft_plan(HR, employee_id, cycle_id)
    app.define_kra(HR, employee_id, cycle_id, "k", KraDefinition("K", Decimal(100)))
    app.define_kpi(HR, employee_id, cycle_id, "retention", "k", RETENTION)
    head = app.head()
    with pytest.raises(RuleViolated):
        app.record_measurement(
            HR,
            employee_id,
            cycle_id,
            "retention",
            value=Decimal(1),
            effective_date=date(2026, 6, 1),
        )
    assert app.head() == head


def test_activation_is_refused_while_weights_do_not_sum_to_100(app: LedgerApp) -> None:
    employee_id, cycle_id = new_id("E"), new_id("FY")
    app.register_employee(HR, employee_id, Profile("Ana Rao", "Sales", "Sales Executive"))
    app.open_cycle(HR, cycle_id, name="FY", start_date=date(2026, 4, 1))
    app.draft_plan(HR, employee_id, cycle_id)
    app.define_kra(HR, employee_id, cycle_id, "k", KraDefinition("K", Decimal(60)))
    app.define_kpi(HR, employee_id, cycle_id, "retention", "k", RETENTION)
    head = app.head()
    with pytest.raises(RuleViolated):
        app.activate_plan(HR, employee_id, cycle_id)
    assert app.head() == head
    app.reweight(
        HR, employee_id, cycle_id, Weights({"k": Decimal(100)}, {"retention": Decimal(100)})
    )
    app.activate_plan(HR, employee_id, cycle_id)
    assert app.plan(employee_id, cycle_id).is_active


def test_a_stale_expected_version_is_refused(app: LedgerApp) -> None:
    seat = seat_with_active_plan(app)
    version = app.plan(seat.employee_id, seat.cycle_id).version
    stale = Context(actor="hr:priya", expected_version=version - 1)
    head = app.head()
    with pytest.raises(StaleVersion):
        app.revise_target(
            stale,
            seat.employee_id,
            seat.cycle_id,
            "retention",
            TargetSpec(Decimal(80)),
            effective_from=seat.q1,
            reason="x",
        )
    assert app.head() == head


def test_a_review_reproduces_after_targets_measurements_and_policy_change(app: LedgerApp) -> None:
    seat = seat_with_active_plan(app)
    measurement_id = measure(app, seat, "87")
    app.finalize_review(HR, seat.employee_id, seat.q1, comments="solid quarter")
    app.calibrate_review(HR, seat.employee_id, seat.q1, rating=4, reason="key account saved")
    app.reopen_review(HR, seat.employee_id, seat.q1, reason="late data")
    app.correct_measurement(HR, measurement_id, value=Decimal(99), reason="late renewals")
    app.adjust_target(
        HR,
        seat.employee_id,
        seat.cycle_id,
        "retention",
        TargetSpec(Decimal(85)),
        period=seat.q1,
        reason="region moved",
    )
    app.revise_policy(HR, seat.cycle_id, achievement_cap=Decimal(110), reason="tighter cap")
    app.finalize_review(HR, seat.employee_id, seat.q1)
    review = app.review(seat.employee_id, seat.q1)
    assert [r.revision for r in review.revisions] == [1, 2]
    assert review.revisions[0].final_rating == 4
    first = app.reproduce(seat.employee_id, seat.q1, 1)
    second = app.reproduce(seat.employee_id, seat.q1, 2)
    assert first.matches
    assert second.matches
    assert first.scorecard.score == Decimal("96.67")
    assert second.scorecard.score == Decimal("110.00")
