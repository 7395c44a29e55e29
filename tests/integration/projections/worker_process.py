"""A projection worker process for the tests, keeping the test view until SIGTERM.

python -m tests.integration.projections.worker_process CONNINFO [--delay S] [--page-size N]
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path
from threading import Event

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.store.database import DatabaseAddress
from projections import RunnerOptions, run_worker
from tests.integration.projections.event_log import EventLog


def master_key() -> Path | None:
    """The session's master key, which the test process names in the environment."""
    named = os.environ.get("LEDGER_MASTER_KEY")
    return Path(named) if named else None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("conninfo")
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--page-size", type=int, default=50)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    stop = Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    options = RunnerOptions(
        page_size=args.page_size, poll_interval=0.2, leadership_poll=0.05, reconnect_delay=0.1
    )
    app = LedgerApp(
        DatabaseAddress.from_url(args.conninfo), Settings(pool_size=1, master_key=master_key())
    )
    try:
        outcomes = run_worker(app, [EventLog(delay=args.delay)], stop, options)
    finally:
        app.close()
    return 0 if set(outcomes.values()) == {"stopped"} else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
