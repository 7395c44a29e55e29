"""The ledger's read models: one module per view, and what they share."""

from projections.views.audit import AuditTrailView
from projections.views.employees import EmployeesView
from projections.views.history import History
from projections.views.plans import PlansView
from projections.views.register import TargetRevisionsView
from projections.views.reviews import ReviewsView
from projections.views.scorecards import ScorecardsView
from projections.views.states import DEFAULT_CAPACITY, AggregateStates

__all__ = [
    "DEFAULT_CAPACITY",
    "AggregateStates",
    "AuditTrailView",
    "EmployeesView",
    "History",
    "PlansView",
    "ReviewsView",
    "ScorecardsView",
    "TargetRevisionsView",
]
