"""Every read model of the ledger, built for one application."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import Application

from projections.view import View
from projections.views import (
    DEFAULT_CAPACITY,
    AuditTrailView,
    EmployeesView,
    History,
    PlansView,
    ReviewsView,
    ScorecardsView,
    TargetRevisionsView,
)


def all_views(app: Application[UUID], capacity: int = DEFAULT_CAPACITY) -> list[View]:
    """The views, each keeping up to ``capacity`` events' worth of aggregate states."""
    history = History.of(app)
    return [
        EmployeesView(),
        PlansView(history, capacity),
        ScorecardsView(history, capacity),
        AuditTrailView(history, capacity),
        TargetRevisionsView(history, capacity),
        ReviewsView(),
    ]
