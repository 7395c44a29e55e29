"""Read models rebuilt from the ledger's events, their runner and their queries."""

from projections.errors import (
    EventNotDecoded,
    EventUnverified,
    LeadershipUnavailable,
    ProjectionError,
    TrackingConflict,
    ViewFailed,
)
from projections.rebuild import Progress, rebuild, rebuild_view, rebuild_views, request_rebuild
from projections.runner import Outcome, Runner, RunnerOptions
from projections.schema import CHANNEL, SCHEMA, init_projections
from projections.source import EventSource, Page
from projections.status import ViewStatus, view_status
from projections.view import LIVE, SHADOW, PositionedEvent, Statement, TableNames, View
from projections.waiting import Waiter, wait_for
from projections.worker import Worker, run_worker

__all__ = [
    "CHANNEL",
    "LIVE",
    "SCHEMA",
    "SHADOW",
    "EventNotDecoded",
    "EventSource",
    "EventUnverified",
    "LeadershipUnavailable",
    "Outcome",
    "Page",
    "PositionedEvent",
    "Progress",
    "ProjectionError",
    "Runner",
    "RunnerOptions",
    "Statement",
    "TableNames",
    "TrackingConflict",
    "View",
    "ViewFailed",
    "ViewStatus",
    "Waiter",
    "Worker",
    "init_projections",
    "rebuild",
    "rebuild_view",
    "rebuild_views",
    "request_rebuild",
    "run_worker",
    "view_status",
    "wait_for",
]
