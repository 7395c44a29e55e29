"""One family of errors, each raised on purpose and each with a clear meaning."""

from __future__ import annotations

from collections.abc import Mapping


class LedgerError(Exception):
    """Base of every error the ledger raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(LedgerError):
    """A command's fields are malformed or out of range; nothing was written."""

    def __init__(self, message: str, fields: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.fields: dict[str, str] = dict(fields or {})


class NotFound(LedgerError):
    """The named employee, cycle, plan, KRA, KPI, measurement or review does not exist."""


class AlreadyExists(LedgerError):
    """The thing to be created exists already."""


class RuleViolated(LedgerError):
    """The command breaks a rule of the domain in the current state; nothing was written."""


class Conflict(LedgerError):
    """Another writer changed the same aggregate first; nothing was written."""


class StaleVersion(Conflict):
    """The version the caller expected is no longer the current one."""


class IdempotencyKeyReused(LedgerError):
    """An idempotency key was presented again with a different request."""


class Busy(LedgerError):
    """The event store could not answer in time (its lock stayed held, a connection was lost,
    a transaction could not be serialised); the same command may be tried again, and with the
    same idempotency key it is never written twice."""
