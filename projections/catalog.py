"""Every read model of the ledger, built for one application."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import Application

from projections.view import View
from projections.views import (
    AuditTrailView,
    EmployeesView,
    History,
    PlansView,
    ReviewsView,
    ScorecardsView,
    TargetRevisionsView,
)


def all_views(app: Application[UUID], capacity: int | None = None) -> list[View]:
    """The views, each keeping up to ``capacity`` events' worth of aggregate states (by
    default, as many as each view needs to keep)."""
    history = History.of(app)
    held = {} if capacity is None else {"capacity": capacity}
    return [
        EmployeesView(),
        PlansView(history, **held),
        ScorecardsView(history, capacity, capacity) if capacity else ScorecardsView(history),
        AuditTrailView(history, **held),
        TargetRevisionsView(history, **held),
        ReviewsView(),
    ]
