"""Rates through the ledger: recorded as numerators and denominators, scored as the ratio
of a period's sums, corrected, explained and reproduced."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ledger.application import LedgerApp
from ledger.errors import InvalidInput, RuleViolated
from ledger.explanation.explaining import Revision, explain
from ledger.values import Aggregation
from tests.integration.support import CONVERSION, HR, Seat, seat_with_active_plan

D = Decimal
MONTHS = [
    (date(2026, 4, 30), "80", "1000"),
    (date(2026, 5, 31), "1", "100"),
    (date(2026, 6, 30), "120", "4000"),
]
"""8%, 1% and 3%: their mean is 4%, the quarter's rate 201 / 5100 = 3.94%."""


def rate(app: LedgerApp, seat: Seat, day: date, numerator: str, denominator: str) -> str:
    written = app.record_measurement(
        HR,
        seat.employee_id,
        seat.cycle_id,
        "retention",
        numerator=D(numerator),
        denominator=D(denominator),
        effective_date=day,
    )
    return written.ids["measurement_id"]


@pytest.fixture
def seat(app: LedgerApp) -> Seat:
    return seat_with_active_plan(app, CONVERSION)


def test_a_quarter_of_months_with_different_volumes_scores_the_ratio_of_its_sums(
    app: LedgerApp, seat: Seat
) -> None:
    for day, numerator, denominator in MONTHS:
        rate(app, seat, day, numerator, denominator)

    card = app.scorecard(seat.employee_id, seat.q1)

    [kpi] = card.kras[0].kpis
    assert (kpi.aggregation, kpi.actual, kpi.achievement) == (
        Aggregation.RATIO,
        D("3.94"),
        D("78.82"),
    )
    assert (card.score, card.rating) == (D("78.82"), 2)


def test_a_zero_denominator_sum_leaves_the_kpi_unscored(app: LedgerApp, seat: Seat) -> None:
    rate(app, seat, date(2026, 4, 30), "0", "0")

    card = app.scorecard(seat.employee_id, seat.q1)

    [kpi] = card.kras[0].kpis
    assert (kpi.actual, kpi.achievement, kpi.measurement_count) == (None, None, 1)
    assert card.score is None


def test_a_correction_of_both_parts_moves_the_score_and_the_explanation_names_it(
    app: LedgerApp, seat: Seat
) -> None:
    ids = [rate(app, seat, day, numerator, denominator) for day, numerator, denominator in MONTHS]
    app.finalize_review(HR, seat.employee_id, seat.q1)
    app.reopen_review(HR, seat.employee_id, seat.q1, reason="May's visitors were bots")
    corrected = app.correct_measurement(
        HR, ids[1], numerator=D(1), denominator=D(0), reason="May's visitors were bots"
    )
    app.finalize_review(HR, seat.employee_id, seat.q1)

    explanation = explain(app, seat.employee_id, seat.q1, Revision(1), Revision(2))

    [moving] = explanation.moving_steps
    assert (moving.position, moving.event_type, moving.period) == (
        corrected.position,
        "MeasurementLog.MeasurementCorrected",
        seat.q1,
    )
    # 201 conversions over 5000 visitors: 4.02%, 80.40% of the target
    assert (moving.score, moving.score_delta) == (D("80.40"), D("1.58"))
    for revision in (1, 2):
        assert app.reproduce(seat.employee_id, seat.q1, revision).matches


def test_a_rate_with_a_value_or_without_a_part_is_refused_and_writes_nothing(
    app: LedgerApp, seat: Seat
) -> None:
    head = app.head_position()
    attempts: list[dict[str, Any]] = [
        {"value": D(4)},
        {"numerator": D(4)},
        {"numerator": D(4), "denominator": D(-100)},
    ]
    for parts in attempts:
        with pytest.raises(InvalidInput):
            app.record_measurement(
                HR,
                seat.employee_id,
                seat.cycle_id,
                "retention",
                effective_date=date(2026, 4, 30),
                **parts,
            )
    measurement_id = rate(app, seat, date(2026, 4, 30), "80", "1000")
    written = app.head_position()
    with pytest.raises(InvalidInput):
        app.correct_measurement(HR, measurement_id, value=D(8), reason="as a value")
    with pytest.raises(RuleViolated):
        app.correct_measurement(
            HR, measurement_id, numerator=D(80), denominator=D(1000), reason="the same"
        )
    assert app.head_position() == written > head
