"""The projections' exceptions: one family under one base class."""

from __future__ import annotations


class ProjectionError(Exception):
    """Something went wrong keeping a read model."""


class TrackingConflict(ProjectionError):
    """A view's position moved on under a runner that believed it was the only one."""


class EventNotDecoded(ProjectionError):
    """A stored event could not be turned back into a domain event."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.position = position


class ViewFailed(ProjectionError):
    """A view's handler raised; the view stops with the error and its position on record."""

    def __init__(self, message: str, position: int | None) -> None:
        super().__init__(message)
        self.position = position


class LeadershipUnavailable(ProjectionError):
    """Another runner holds the view and did not let go in time."""
