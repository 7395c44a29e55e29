"""Views rebuilt together: one feed reads and decodes the ledger once for all of them.

Each view is built by a thread of its own on its own leadership session, its pages and
tracking row in its own transactions, and is swapped in on its own as soon as it has
caught up: views are independent read models, each consistent with its own position,
so none waits for another to swap, and one that fails leaves the others to finish. While
one view waits for the database, the others and the feed carry on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from threading import Event, Lock, Thread
from typing import Literal

from projections.builder import Builder, Progress, unread
from projections.errors import ViewFailed
from projections.feed import Failure, Feed, Lane, topics_of
from projections.view import View

Ending = Literal["swapped", "stopped", "stale"]

APART_FROM = 100_000
"""Events to read from which the feed reads in a process of its own (see ``apart``):
starting one costs an interpreter and its imports; a long rebuild is spared the third of
its Python work that reading and verifying is."""


class Tally:
    """Progress of the slowest view still building: events behind it, of all there are."""

    def __init__(self, builders: Sequence[Builder], total: int, progress: Progress | None) -> None:
        self.building = set(builders)
        self.total = total
        self.progress = progress
        self._lock = Lock()

    def report(self) -> None:
        if self.progress is None:
            return
        with self._lock:
            if self.building:
                done = min(builder.done for builder in self.building)
                self.progress(done, max(self.total, done))

    def leave(self, builder: Builder) -> None:
        with self._lock:
            self.building.discard(builder)


def build_together(
    conninfo: str,
    builders: Sequence[Builder],
    *,
    page_size: int,
    progress: Progress | None = None,
    stop: Event | None = None,
    apart_from: int = APART_FROM,
) -> None:
    """Build and swap in every builder's view; raise the first failure once all have ended.

    A view whose shadow copy was reset meanwhile (a rebuild requested again) begins again
    in a further pass with the others of its kind. With ``apart_from`` events or more to
    read, the feed reads in a process of its own.
    """
    stop = stop or Event()
    failures: list[BaseException] = []
    pending = list(builders)
    passing = Pass(page_size, progress, stop, apart_from)
    while pending and not stop.is_set():
        endings = _one_pass(conninfo, pending, passing, failures)
        pending = [builder for builder in pending if endings.get(builder) == "stale"]
    if failures:
        raise failures[0]


@dataclass(frozen=True)
class Pass:
    """How a pass over the ledger goes: its pages, its progress, when it stops, and from
    how many events to read its feed apart."""

    page_size: int
    progress: Progress | None
    stop: Event
    apart_from: int


def _one_pass(
    conninfo: str,
    builders: Sequence[Builder],
    passing: Pass,
    failures: list[BaseException],
) -> dict[Builder, Ending]:
    for builder in builders:
        builder.begin()
    source, stop = builders[0].source, passing.stop
    tally = Tally(builders, builders[0].total(), passing.progress)
    lanes = [Lane() for _ in builders]
    topics = topics_of(b.view for b in builders)
    apart = tally.total - min(builder.done for builder in builders) >= passing.apart_from
    feed = Feed(conninfo, source, topics, passing.page_size, stop, apart)
    endings: dict[Builder, Ending] = {}
    start = min(builder.position for builder in builders)
    threads = [Thread(target=feed.run_or_fail, args=(start, lanes), name="projections feed")]
    for builder, lane in zip(builders, lanes, strict=True):

        def build(builder: Builder = builder, lane: Lane = lane) -> None:
            try:
                endings[builder] = _build(builder, lane, tally, stop)
            except BaseException as error:
                failures.append(named(error, builder.view))
            finally:
                tally.leave(builder)
                lane.closed.set()

        threads.append(Thread(target=build, name=f"rebuild {builder.view.name}"))
    _run(threads, stop)
    return endings


def _build(builder: Builder, lane: Lane, tally: Tally, stop: Event) -> Ending:
    while True:
        item = lane.get(stop)
        if item is None:
            return "stopped"
        if isinstance(item, Failure):
            raise unread(item.error)
        if builder.apply(item).stale:
            return "stale"
        tally.report()
        if not item.full:
            return "swapped" if builder.finish(stop) else "stopped"
        if stop.is_set():
            return "stopped"


def _run(threads: Sequence[Thread], stop: Event) -> None:
    """Start the threads and wait for them; an interrupt stops them all first."""
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
    except BaseException:
        stop.set()
        for thread in threads:
            thread.join()
        raise


def named(error: BaseException, view: View) -> BaseException:
    """A view's failure, saying which view it is."""
    if not isinstance(error, ViewFailed) or str(error).startswith(f"view {view.name}:"):
        return error
    failure = ViewFailed(f"view {view.name}: {error}", error.position)
    failure.__cause__ = error.__cause__
    return failure
