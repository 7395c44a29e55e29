"""Stopping a long-running command on SIGTERM or SIGINT, as Ctrl-C would, where it is safe.

A command that waits on an event has it set by the first signal. A command that serves
marks the stretches a stop may break into (``breakable``): loading the demo and serving. A
signal outside them, while the embedded server starts or while everything stops, is held
until the next breakable stretch begins, or dropped when none comes, the process being on
its way out already. The stop is ``SystemExit(0)`` raised in the main thread: every ``with``
and ``finally`` on the way out runs in order, waitress's loop takes it as its cue to stop,
and the process exits 0, since the stop asked for is what happened.

Later signals are ignored, so that one stop delivered twice (Ctrl-C in a terminal, and a
wrapper passing it on as SIGTERM) still stops the embedded server; the stop is bounded, and
after a ``kill -9`` the next start adopts the server left running. An error on the way out
after a signal, such as Ctrl-C reaching ``initdb`` in the same process group, is told in one
line, not as a traceback.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from threading import Event
from types import FrameType, TracebackType

import click

SIGNALS = (signal.SIGTERM, signal.SIGINT)

Handler = Callable[[int, FrameType | None], object] | int | signal.Handlers | None


class StopSignals:
    """SIGTERM and SIGINT handled from ``__enter__`` to ``__exit__`` (in the main thread);
    ``stop``, when given, is set by the first, for a process that waits on it instead."""

    def __init__(self, stop: Event | None = None) -> None:
        self.received: signal.Signals | None = None
        self._stop = stop
        self._breakable = False
        self._previous: dict[int, Handler] = {}

    def __enter__(self) -> StopSignals:
        for signum in SIGNALS:
            self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> bool:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        if self.received is None or not isinstance(error, Exception):
            return False
        click.echo(f"stopped on {self.received.name}: {type(error).__name__}: {error}", err=True)
        return True

    @contextmanager
    def breakable(self) -> Iterator[None]:
        """A stretch the first signal stops at once; one held already stops it on entry."""
        if self.received is not None:
            raise SystemExit(0)
        self._breakable = True
        try:
            yield
        finally:
            self._breakable = False

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.received is not None:
            return
        self.received = signal.Signals(signum)
        if self._stop is not None:
            self._stop.set()
        if self._breakable:
            self._breakable = False
            raise SystemExit(0)
