"""Queries of the read models: typed rows for the API, never a write."""

from projections.queries.audit import AuditEntry, AuditFilter, FieldChange, audit_trail
from projections.queries.employees import EmployeeRow, employee, employees
from projections.queries.plans import PeriodTarget, PlanKpi, PlanKra, PlanRow, plan
from projections.queries.reading import Listing, Source
from projections.queries.register import RegisterFilter, TargetRevisionRow, target_revisions
from projections.queries.reviews import ReviewRevisionRow, ReviewRow, review
from projections.queries.scorecards import ScorecardRow, scorecard, scorecards
from projections.queries.streams import ViewBehind, stream_audit_trail, stream_target_revisions

__all__ = [
    "AuditEntry",
    "AuditFilter",
    "EmployeeRow",
    "FieldChange",
    "Listing",
    "PeriodTarget",
    "PlanKpi",
    "PlanKra",
    "PlanRow",
    "RegisterFilter",
    "ReviewRevisionRow",
    "ReviewRow",
    "ScorecardRow",
    "Source",
    "TargetRevisionRow",
    "ViewBehind",
    "audit_trail",
    "employee",
    "employees",
    "plan",
    "review",
    "scorecard",
    "scorecards",
    "stream_audit_trail",
    "stream_target_revisions",
    "target_revisions",
]
