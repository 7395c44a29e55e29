"""Reviews in the demo: managers finalise their reports' reviews once a period has ended;
HR's calibration panel moves a rating now and then, and reopens a review with a reason."""

from __future__ import annotations

from collections.abc import Iterable

from ledger.application import LedgerApp
from web.demo.organisation import HR, Person
from web.demo.results import manager_of

RAISING = (
    "calibration panel: key client escalation handled outside the KPIs",
    "calibration panel: covered a colleague's accounts for six weeks",
    "calibration panel: led the incident review the KPIs do not measure",
)
MODERATING = "calibration panel: ratings moderated to the department's agreed distribution"
HIGHEST_RATING = 5


def finalize_all(app: LedgerApp, people: Iterable[Person], period: str, comments: str) -> None:
    for person in people:
        app.finalize_review(manager_of(person), person.employee_id, period, comments=comments)


def calibrate(app: LedgerApp, employee_id: str, period: str, turn: int) -> None:
    """HR's panel moves the computed rating by one: up, with one of the reasons in turn, or
    down to moderate a rating already at the top (or when ``turn`` says so)."""
    rating = app.scorecard(employee_id, period).rating
    if rating is None:
        return
    if rating < HIGHEST_RATING and turn % 4 != 3:
        reason = RAISING[turn % len(RAISING)]
        app.calibrate_review(HR, employee_id, period, rating=rating + 1, reason=reason)
    elif rating > 1:
        app.calibrate_review(HR, employee_id, period, rating=rating - 1, reason=MODERATING)


def reopen(app: LedgerApp, employee_id: str, period: str, reason: str) -> None:
    app.reopen_review(HR, employee_id, period, reason=reason)


def refinalize(app: LedgerApp, person: Person, period: str, why: str) -> None:
    """Finalises a reopened review again; a calibration of the revision before still stands
    where the new computed rating falls short of it."""
    before = app.review(person.employee_id, period).revisions[-1]
    comments = f"review {period} finalised again: {why}"
    app.finalize_review(manager_of(person), person.employee_id, period, comments=comments)
    computed = app.review(person.employee_id, period).revisions[-1].computed_rating
    if before.calibration_reason and before.final_rating and (computed or 0) < before.final_rating:
        reason = f"calibration panel: its rating of revision {before.revision} stands"
        app.calibrate_review(
            HR, person.employee_id, period, rating=before.final_rating, reason=reason
        )
