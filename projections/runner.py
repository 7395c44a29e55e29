"""A view's runner: lead it, build or rebuild it, catch up page by page, then follow.

LISTEN on the ledger's channel only wakes the runner up; the events table is the truth,
read again at least every ``poll_interval`` seconds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from threading import Event
from time import monotonic
from typing import Literal
from uuid import UUID

import psycopg
from eventsourcing.application import Application
from psycopg import sql

from projections import tracking
from projections.connection import Connection, conninfo_of
from projections.errors import ViewFailed
from projections.leadership import Leadership
from projections.page import Target, apply_next_page, describe
from projections.rebuild import Progress, ensure, rebuild
from projections.source import EventSource, ledger_recorder
from projections.view import LIVE, View, check_view

log = logging.getLogger(__name__)

Outcome = Literal["stopped", "failed"]

_STOP_CHECK = 0.1


@dataclass(frozen=True)
class RunnerOptions:
    page_size: int = 2000
    poll_interval: float = 1.0
    gather: float = 0.02
    """After a wake-up, how long more events may arrive before the page is read: under a
    stream of writes one page takes many events, rather than one page each."""
    leadership_poll: float = 1.0
    reconnect_delay: float = 1.0

    def __post_init__(self) -> None:
        if self.page_size < 1:
            raise ValueError("page_size must be at least 1")
        if self.gather < 0:
            raise ValueError("gather must not be negative")


class Runner:
    """Keeps one view, while this runner holds its leadership."""

    def __init__(
        self,
        source: EventSource,
        view: View,
        conninfo: str,
        channel: str,
        options: RunnerOptions | None = None,
        progress: Progress | None = None,
        following: EventSource | None = None,
    ) -> None:
        """``following``, when given, reads the pages once the view is built (the runners
        of a worker share one: see ``shared``); ``source`` reads for rebuilds."""
        check_view(view)
        self.source = source
        self.following = following or source
        self.view = view
        self.options = options or RunnerOptions()
        self.progress = progress
        self.leadership = Leadership(conninfo, view.name, self.options.leadership_poll)
        self._listen = sql.SQL("LISTEN {}").format(sql.Identifier(channel))
        self._target = Target(view.name, LIVE, view.version)

    @classmethod
    def of(
        cls,
        app: Application[UUID],
        view: View,
        options: RunnerOptions | None = None,
        progress: Progress | None = None,
        following: EventSource | None = None,
    ) -> Runner:
        recorder = ledger_recorder(app)
        conninfo = conninfo_of(recorder.datastore)
        source = EventSource.of(app)
        channel = recorder.channel_name
        return cls(source, view, conninfo, channel, options, progress, following)

    def run(self, stop: Event) -> Outcome:
        """Lead the view until ``stop`` is set or its handler fails; wait to lead first."""
        while not stop.is_set():
            conn = self.leadership.acquire(stop)
            if conn is None:
                break
            try:
                with conn:
                    return self._lead(conn, stop)
            except psycopg.Error as error:
                log.warning("view %s: session lost, reconnecting: %s", self.view.name, error)
                stop.wait(self.options.reconnect_delay)
        return "stopped"

    def _lead(self, conn: Connection, stop: Event) -> Outcome:
        log.info("view %s: leading", self.view.name)
        conn.execute(self._listen)
        try:
            self._follow(conn, stop)
        except Exception as error:
            if conn.broken:
                raise
            self._record(conn, error)
            return "failed"
        with conn.transaction():
            tracking.set_status(conn.cursor(), self.view.name, "stopped")
        return "stopped"

    def _record(self, conn: Connection, error: Exception) -> None:
        """On record in a transaction of its own, the failed one being rolled back."""
        failure = error if isinstance(error, ViewFailed) else ViewFailed(describe(error), None)
        log.error("view %s failed at position %s: %s", self.view.name, failure.position, failure)
        with conn.transaction():
            tracking.record_failure(conn.cursor(), self.view.name, str(failure), failure.position)

    def _follow(self, conn: Connection, stop: Event) -> None:
        ready = ensure(conn, self.view)
        if ready:
            self._warm(conn)
        known: int | None = None
        while not stop.is_set():
            if not ready:
                if not self._rebuild(conn, stop):
                    return
                ready, known = True, None
            _drain(conn)
            result = apply_next_page(
                conn, self.following, self.view, self._target, self.options.page_size, known
            )
            ready = not result.stale
            known = result.position if ready else None
            if result.caught_up and ready:
                self._wait(conn, stop)

    def _warm(self, conn: Connection) -> None:
        """Let the view load ahead, at its position, what its first pages will need."""
        with conn.transaction():
            cursor = conn.cursor()
            row = tracking.read(cursor, self.view.name)
            if row is not None:
                self.view.warm(cursor, row.position)

    def _rebuild(self, conn: Connection, stop: Event) -> bool:
        log.info("view %s: rebuilding at version %s", self.view.name, self.view.version)
        size = self.options.page_size
        return rebuild(
            conn, self.source, self.view, page_size=size, progress=self.progress, stop=stop
        )

    def _wait(self, conn: Connection, stop: Event) -> None:
        """Until the ledger notifies, ``poll_interval`` passes, or the runner is stopped."""
        deadline = monotonic() + self.options.poll_interval
        while not stop.is_set():
            remaining = deadline - monotonic()
            if remaining <= 0:
                return
            for _ in conn.notifies(timeout=min(remaining, _STOP_CHECK), stop_after=1):
                stop.wait(self.options.gather)
                return


def _drain(conn: Connection) -> None:
    """Forget wake-ups already received: the page about to be read covers them."""
    for _ in conn.notifies(timeout=0):
        pass
