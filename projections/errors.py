"""The projections' exceptions: one family under one base class."""

from __future__ import annotations


class ProjectionError(Exception):
    """Something went wrong keeping a read model."""


class TrackingConflict(ProjectionError):
    """A view's position moved on under a runner that believed it was the only one."""


class UnusableEvent(ProjectionError):
    """A stored event no view may apply: the view stops at its position."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.position = position

    def __reduce__(self) -> tuple[type[UnusableEvent], tuple[str, int]]:
        """Pickled with its position (a reading process sends it, see ``apart``)."""
        return type(self), (str(self), self.position)


class EventNotDecoded(UnusableEvent):
    """A stored event could not be turned back into a domain event."""


class EventUnverified(UnusableEvent):
    """A stored event whose hash or chain link does not verify, or that has no link."""


class ReaderLost(ProjectionError):
    """The process reading the ledger for a rebuild ended without a page or an error."""


class ViewFailed(ProjectionError):
    """A view's handler raised; the view stops with the error and its position on record."""

    def __init__(self, message: str, position: int | None) -> None:
        super().__init__(message)
        self.position = position


class LeadershipUnavailable(ProjectionError):
    """Another runner holds the view and did not let go in time."""
