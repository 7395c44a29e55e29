"""The composition root: settings in, a ready application out."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.store.provision import database_address, init_schema


@contextmanager
def open_ledger(settings: Settings) -> Iterator[LedgerApp]:
    """The application on the configured database, or on the embedded one.

    The embedded server is private to the data folder, so its schema is created here, and
    it stops after the application closes, unless another process still uses it; an
    external database gets its schema once, from ``ledger db init``.
    """
    with database_address(settings) as address:
        if settings.database_url is None:
            init_schema(address, settings)
        app = LedgerApp(address, settings)
        try:
            yield app
        finally:
            app.close()
