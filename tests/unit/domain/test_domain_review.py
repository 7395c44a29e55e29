from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.application import Application

from ledger.domain import Review
from ledger.errors import InvalidInput, LedgerError, RuleViolated
from ledger.ids import review_uuid

ACTOR = "manager:meera"
HASH = "sha256:" + "ab" * 32
RATINGS = (1, 2, 3, 4, 5)


def finalize(review: Review, **overrides: Any) -> int:
    arguments: dict[str, Any] = {
        "plan_active": True,
        "plan_version": 7,
        "measurements_version": 4,
        "cycle_version": 1,
        "position": 120,
        "score": Decimal("96.67"),
        "computed_rating": 3,
        "scorecard_hash": HASH,
        "comments": "steady quarter",
        "actor": ACTOR,
    }
    return review.finalize(**(arguments | overrides))


@pytest.fixture
def review(store: Application[UUID]) -> Review:
    review = Review.open("E1001", "FY2026-Q3", actor=ACTOR)
    store.save(review)
    return review


@pytest.fixture
def finalized(store: Application[UUID], review: Review) -> Review:
    finalize(review)
    store.save(review)
    return review


@pytest.fixture
def reopened(store: Application[UUID], finalized: Review) -> Review:
    finalized.reopen(reason="late correction", actor=ACTOR)
    store.save(finalized)
    return finalized


def test_a_review_opens_for_a_quarter_or_a_whole_cycle() -> None:
    quarter = Review.open("E1001", "FY2026-Q3", actor=ACTOR)
    whole = Review.open("E1001", "FY2026", actor=ACTOR)

    (opened,) = quarter.collect_events()
    assert isinstance(opened, Review.Opened)
    assert (opened.employee_id, opened.cycle_id, opened.period_id) == (
        "E1001",
        "FY2026",
        "FY2026-Q3",
    )
    assert quarter.id == review_uuid("E1001", "FY2026-Q3")
    assert quarter.status == "open"
    assert quarter.revisions == ()
    assert (whole.cycle_id, whole.period_id) == ("FY2026", "FY2026")


@pytest.mark.parametrize(("employee_id", "period"), [("E 1", "FY2026-Q3"), ("E1", "FY 2026-Q1")])
def test_a_review_of_malformed_keys_is_refused(employee_id: str, period: str) -> None:
    with pytest.raises(InvalidInput):
        Review.open(employee_id, period, actor=ACTOR)


def test_the_first_finalisation_is_revision_1_with_the_versions_it_was_scored_from(
    review: Review,
) -> None:
    assert finalize(review) == 1

    (event,) = review.collect_events()
    assert isinstance(event, Review.Finalized)
    assert (event.revision, event.plan_version, event.measurements_version) == (1, 7, 4)
    assert (event.cycle_version, event.position, event.score) == (1, 120, Decimal("96.67"))
    assert (event.computed_rating, event.scorecard_hash) == (3, HASH)
    assert (event.comments, event.actor) == ("steady quarter", ACTOR)
    assert review.status == "finalized"
    (revision,) = review.revisions
    assert (revision.final_rating, revision.finalized_by, revision.sequence) == (3, ACTOR, 2)


def test_a_review_without_measurements_or_score_can_be_finalised(review: Review) -> None:
    finalize(review, measurements_version=None, score=None, computed_rating=None)
    (revision,) = review.revisions
    assert (revision.measurements_version, revision.score, revision.final_rating) == (
        None,
        None,
        None,
    )


def test_a_measurements_version_of_zero_means_no_log(review: Review) -> None:
    finalize(review, measurements_version=0)
    assert review.revisions[0].measurements_version is None


def test_a_calibration_sets_the_final_rating_with_a_reason(finalized: Review) -> None:
    finalized.calibrate(4, ratings=RATINGS, reason="led the region's turnaround", actor="hr:priya")

    (calibrated,) = finalized.collect_events()
    assert isinstance(calibrated, Review.Calibrated)
    assert (calibrated.revision, calibrated.rating) == (1, 4)
    assert calibrated.reason == "led the region's turnaround"
    (revision,) = finalized.revisions
    assert (revision.computed_rating, revision.final_rating) == (3, 4)
    assert (revision.calibration_reason, revision.calibrated_by) == (
        "led the region's turnaround",
        "hr:priya",
    )
    assert finalized.status == "finalized"


def test_a_calibration_may_return_to_the_computed_rating(finalized: Review) -> None:
    finalized.calibrate(4, ratings=RATINGS, reason="up", actor=ACTOR)
    finalized.calibrate(3, ratings=RATINGS, reason="back", actor=ACTOR)
    assert finalized.revisions[0].final_rating == 3


def test_a_reopened_review_is_finalised_again_as_the_next_revision(finalized: Review) -> None:
    finalized.reopen(reason="late measurement correction", actor="hr:priya")
    assert finalized.status == "open"

    assert finalize(finalized, score=Decimal("102.35"), computed_rating=4) == 2

    reopened, refinalized = finalized.collect_events()
    assert isinstance(reopened, Review.Reopened)
    assert (reopened.revision, reopened.reason) == (1, "late measurement correction")
    assert isinstance(refinalized, Review.Finalized)
    assert refinalized.revision == 2
    first, second = finalized.revisions
    assert (first.reopen_reason, first.reopened_by) == ("late measurement correction", "hr:priya")
    assert (second.revision, second.final_rating, second.reopen_reason) == (2, 4, None)
    assert finalized.current == second


FINALIZE_REFUSALS: list[Any] = [
    pytest.param({"plan_active": False}, RuleViolated, id="a plan that is not active"),
    pytest.param({"plan_version": 0}, InvalidInput, id="a plan version of zero"),
    pytest.param({"cycle_version": True}, InvalidInput, id="a cycle version that is a bool"),
    pytest.param({"position": -1}, InvalidInput, id="a negative position"),
    pytest.param({"measurements_version": -1}, InvalidInput, id="a negative log version"),
    pytest.param({"score": None}, InvalidInput, id="a rating without a score"),
    pytest.param({"computed_rating": None}, InvalidInput, id="a score without a rating"),
    pytest.param({"score": Decimal("NaN")}, InvalidInput, id="a score that is not a number"),
    pytest.param({"computed_rating": "3"}, InvalidInput, id="a rating that is not an integer"),
    pytest.param({"scorecard_hash": "ab" * 32}, InvalidInput, id="a hash without its algorithm"),
    pytest.param({"scorecard_hash": "sha256:xyz"}, InvalidInput, id="a malformed hash"),
    pytest.param({"actor": " "}, InvalidInput, id="no actor"),
]


@pytest.mark.parametrize(("overrides", "error"), FINALIZE_REFUSALS)
def test_a_refused_finalisation_raises_its_error_and_records_nothing(
    review: Review, overrides: dict[str, Any], error: type[LedgerError]
) -> None:
    with pytest.raises(error):
        finalize(review, **overrides)
    assert review.collect_events() == []
    assert review.status == "open"


STATE_REFUSALS: list[Any] = [
    pytest.param("finalized", finalize, RuleViolated, id="finalising twice"),
    pytest.param(
        "review",
        lambda r: r.calibrate(4, ratings=RATINGS, reason="r", actor=ACTOR),
        RuleViolated,
        id="calibrating an open review",
    ),
    pytest.param(
        "reopened",
        lambda r: r.calibrate(4, ratings=RATINGS, reason="r", actor=ACTOR),
        RuleViolated,
        id="calibrating a reopened review",
    ),
    pytest.param(
        "review",
        lambda r: r.reopen(reason="r", actor=ACTOR),
        RuleViolated,
        id="reopening an open review",
    ),
    pytest.param(
        "reopened",
        lambda r: r.reopen(reason="twice", actor=ACTOR),
        RuleViolated,
        id="reopening twice",
    ),
    pytest.param(
        "finalized",
        lambda r: r.reopen(reason=None, actor=ACTOR),
        InvalidInput,
        id="reopening without a reason",
    ),
    pytest.param(
        "finalized",
        lambda r: r.calibrate(4, ratings=RATINGS, reason=" ", actor=ACTOR),
        InvalidInput,
        id="calibrating without a reason",
    ),
    pytest.param(
        "finalized",
        lambda r: r.calibrate(3, ratings=RATINGS, reason="same", actor=ACTOR),
        RuleViolated,
        id="calibrating to the final rating",
    ),
    pytest.param(
        "finalized",
        lambda r: r.calibrate(6, ratings=RATINGS, reason="off the scale", actor=ACTOR),
        InvalidInput,
        id="calibrating to a rating outside the scale",
    ),
    pytest.param(
        "finalized",
        lambda r: r.calibrate(True, ratings=RATINGS, reason="r", actor=ACTOR),
        InvalidInput,
        id="calibrating to a rating that is a bool",
    ),
]


@pytest.mark.parametrize(("state", "command", "error"), STATE_REFUSALS)
def test_a_review_command_out_of_turn_raises_its_error_and_records_nothing(
    request: pytest.FixtureRequest,
    state: str,
    command: Callable[[Review], object],
    error: type[LedgerError],
) -> None:
    review: Review = request.getfixturevalue(state)
    version = review.version
    with pytest.raises(error):
        command(review)
    assert review.collect_events() == []
    assert review.version == version


def test_a_review_survives_storage_and_earlier_versions_stay_readable(
    store: Application[UUID], finalized: Review
) -> None:
    finalized.calibrate(4, ratings=RATINGS, reason="turnaround", actor=ACTOR)
    finalized.reopen(reason="correction", actor=ACTOR)
    finalize(finalized, measurements_version=None, score=None, computed_rating=None)
    store.save(finalized)

    assert store.repository.get(finalized.id) == finalized
    first: Review = store.repository.get(finalized.id, version=2)
    assert first.status == "finalized"
    assert first.revisions[0].final_rating == 3
