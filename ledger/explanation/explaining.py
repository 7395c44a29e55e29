"""Explaining a change of a scorecard event by event, and restating a finalised review."""

from __future__ import annotations

from ledger.application import LedgerApp
from ledger.errors import InvalidInput, NotFound
from ledger.explanation import (
    Explanation,
    Point,
    Replay,
    Restatement,
    Revision,
    Side,
    Subject,
    compare,
    resolve_point,
    stored_events,
    waterfall,
)

__all__ = ["Explanation", "Point", "Restatement", "Revision", "explain", "restate"]


def explain(app: LedgerApp, employee_id: str, period_id: str, frm: Point, to: Point) -> Explanation:
    """Both scorecards, their differences, and every event between ``frm`` and ``to`` that
    touches the employee's plan, measurements, cycle policy or review, each with the score
    after it.

    Raises InvalidInput for a malformed point or one after the other, NotFound for an
    unknown review revision or when the plan does not exist at ``to``.
    """
    subject = Subject.of(employee_id, period_id)
    start = resolve_point(app, subject, frm, "from")
    end = resolve_point(app, subject, to, "to")
    if start > end:
        message = f"must not lie after to (position {start} is after {end})"
        raise InvalidInput(f"from {message}", {"from": message})
    after = Replay.at(app, subject, end).scorecard(end)
    if after is None:
        raise NotFound(
            f"no plan of employee {subject.employee_id} for cycle {subject.cycle_id}"
            f" at position {end}"
        )
    replay = Replay.at(app, subject, start)
    before = replay.scorecard(start)
    entries = stored_events(app.records, subject.originator_ids, start, end)
    steps = waterfall(replay, entries, app.mapper.to_domain_event, before)
    return Explanation(
        employee_id=subject.employee_id,
        period=subject.period.id,
        frm=Side(start, before),
        to=Side(end, after),
        comparison=compare(before, after),
        steps=tuple(steps),
    )


def restate(
    app: LedgerApp, employee_id: str, period_id: str, revision: int, position: int | None = None
) -> Restatement:
    """Revision ``revision`` reproduced from the versions it pinned, beside the same period
    scored from the knowledge at ``position`` (default: the latest).

    Raises NotFound for an unknown review or revision, InvalidInput for a bad position.
    """
    subject = Subject.of(employee_id, period_id)
    reproduction = app.reproduce(subject.employee_id, subject.period.id, revision)
    today = app.scorecard(subject.employee_id, subject.period.id, position=position)
    finalized = reproduction.scorecard
    assert today.position is not None
    return Restatement(
        employee_id=subject.employee_id,
        period=subject.period.id,
        revision=reproduction.revision,
        matches=reproduction.matches,
        frm=Side(reproduction.revision.position, finalized),
        to=Side(today.position, today),
        comparison=compare(finalized, today),
    )
