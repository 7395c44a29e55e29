"""The ledger's application: every command of the domain and the queries that need no view."""

from __future__ import annotations

from ledger.app.access import AccessCommands
from ledger.app.reviews import Reproduction, ReviewCommands
from ledger.store.database import APPLICATION_NAME

__all__ = ["LedgerApp", "Reproduction"]


class LedgerApp(ReviewCommands, AccessCommands):
    """Commands write events atomically with their chain; queries read recorded time."""

    name = APPLICATION_NAME
