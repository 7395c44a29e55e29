"""The API served by waitress in a thread of the test process, on a real loopback socket."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ledger.application import LedgerApp
from ledger.config import Settings
from web import create_app
from web.serving.server import ApiServer


@contextmanager
def served(ledger: LedgerApp, settings: Settings, *, threads: int = 2) -> Iterator[str]:
    """The server's base URL while the block runs; the server is closed and joined after."""
    server = ApiServer(create_app(settings, ledger=ledger), port=0, threads=threads)
    thread = threading.Thread(target=server.run, name="api-server", daemon=True)
    thread.start()
    try:
        yield server.url
    finally:
        server.close()
        thread.join()
