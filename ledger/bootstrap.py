"""The composition root: settings in, a ready application out."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.evidence.signing import ensure_key_file
from ledger.store.master_key import ensure_master_key_file
from ledger.store.provision import database_address, init_schema


@contextmanager
def open_ledger(settings: Settings) -> Iterator[LedgerApp]:
    """The application on the configured database, or on the embedded one.

    The embedded server is private to the data folder, so its schema (and its signing and
    master keys, if the folder has none yet) is created here, and it stops after the
    application closes, unless another process still uses it; an external database gets its
    schema once, from ``ledger db init``, signs with the key ``LEDGER_SIGNING_KEY`` names
    and seals with the master key ``LEDGER_MASTER_KEY`` names.
    """
    with database_address(settings) as address:
        if settings.database_url is None:
            init_schema(address, settings)
            if settings.signing_key is not None:
                ensure_key_file(settings.signing_key)
            if settings.master_key is not None:
                ensure_master_key_file(settings.master_key)
        app = LedgerApp(address, settings)
        try:
            yield app
        finally:
            app.close()
