"""Views kept by a long-lived worker process, or by background threads of a server.

Each view runs in a thread of its own under its own leadership, so a view that fails
stops alone and the others carry on. Following the ledger, they share each new page read
(see ``shared``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from threading import Event, Lock, Thread
from time import monotonic
from uuid import UUID

from eventsourcing.application import Application

from projections.connection import conninfo_of
from projections.runner import Outcome, Runner, RunnerOptions
from projections.schema import init_projections
from projections.shared import SharedSource
from projections.source import ledger_recorder
from projections.view import View

log = logging.getLogger(__name__)


class Worker:
    """Starts a runner thread per view; stops them all, gracefully, on ``stop()``.

    ``stop_event``, when given, is set by ``stop()`` and also once every runner has
    ended (each stopped or failed), so a process can simply wait on it.
    """

    def __init__(
        self,
        app: Application[UUID],
        views: Sequence[View],
        options: RunnerOptions | None = None,
        *,
        stop_event: Event | None = None,
    ) -> None:
        names = [view.name for view in views]
        if len(set(names)) != len(names):
            raise ValueError(f"views of one worker need names of their own: {names}")
        self._conninfo = conninfo_of(ledger_recorder(app).datastore)
        shared = SharedSource.of(app)
        self._runners = [Runner.of(app, view, options, following=shared) for view in views]
        self._stop = stop_event or Event()
        self._threads: list[Thread] = []
        self._lock = Lock()
        self.outcomes: dict[str, Outcome] = {}

    def start(self, *, daemon: bool = False) -> None:
        """Daemon threads suit a server that runs the views in-process."""
        init_projections(self._conninfo)
        for runner in self._runners:
            thread = Thread(
                target=self._run, args=(runner,), name=f"view {runner.view.name}", daemon=daemon
            )
            self._threads.append(thread)
            thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Ask every runner to stop; wait for them, ``timeout`` seconds in all when given."""
        self._stop.set()
        deadline = None if timeout is None else monotonic() + timeout
        for thread in self._threads:
            thread.join(None if deadline is None else max(0.0, deadline - monotonic()))

    def __enter__(self) -> Worker:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self, runner: Runner) -> None:
        try:
            outcome = runner.run(self._stop)
        except Exception:
            log.exception("view %s: runner crashed", runner.view.name)
            outcome = "failed"
        with self._lock:
            self.outcomes[runner.view.name] = outcome
            if len(self.outcomes) == len(self._runners):
                self._stop.set()


def run_worker(
    app: Application[UUID],
    views: Sequence[View],
    stop: Event,
    options: RunnerOptions | None = None,
) -> dict[str, Outcome]:
    """Keep ``views`` until ``stop`` is set (by a signal handler, say) or all have ended."""
    worker = Worker(app, views, options, stop_event=stop)
    worker.start()
    stop.wait()
    worker.stop()
    return worker.outcomes
