"""One read of the ledger for many views: each page read and decoded once, handed to all.

The feed reads on a session of its own, in a thread of its own, and puts every page in
each view's lane. A lane holds a few pages at most, so the slowest view sets the pace
and the pages in memory stay few whatever the length of the ledger.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from queue import Empty, Full, Queue
from threading import Event

from projections.apart import pages_apart
from projections.connection import connect
from projections.source import EventSource, Page
from projections.view import View

LANE_PAGES = 2
"""Pages waiting for a view beyond the one it is applying."""

_WAKE = 0.1


@dataclass(frozen=True)
class Failure:
    """The feed could not go on: every view waiting on it stops with this error."""

    error: Exception


Item = Page | Failure


@dataclass
class Lane:
    """The pages on their way to one view; closed once the view takes no more."""

    pages: Queue[Item] = field(default_factory=lambda: Queue(LANE_PAGES))
    closed: Event = field(default_factory=Event)

    def put(self, item: Item, stop: Event) -> None:
        """Wait for room, unless the view or everything stops meanwhile."""
        while not (self.closed.is_set() or stop.is_set()):
            try:
                self.pages.put(item, timeout=_WAKE)
                return
            except Full:
                continue

    def get(self, stop: Event) -> Item | None:
        """The next page, or None once stopped."""
        while not stop.is_set():
            try:
                return self.pages.get(timeout=_WAKE)
            except Empty:
                continue
        return None


def topics_of(views: Iterable[View]) -> tuple[str, ...]:
    """The topics that serve every view: all of them (empty) if one view reads all."""
    chosen: dict[str, None] = {}
    for view in views:
        if not view.topics:
            return ()
        chosen.update(dict.fromkeys(view.topics))
    return tuple(chosen)


class Feed:
    """Reads the pages after a position up to the ledger's head, for the lanes given: in
    its own thread, or ``apart``, in a process of its own (see ``apart``)."""

    def __init__(
        self,
        conninfo: str,
        source: EventSource,
        topics: Sequence[str],
        page_size: int,
        stop: Event,
        apart: bool = False,
    ) -> None:
        self.conninfo = conninfo
        self.source = source
        self.topics = tuple(topics)
        self.page_size = page_size
        self.stop = stop
        self.apart = apart

    def run(self, after: int, lanes: Sequence[Lane]) -> None:
        """Feed the lanes until a page finds the head, every lane is closed, or stopped."""
        pages = self._read_apart(after) if self.apart else self._read_here(after)
        with closing(pages):
            for page in pages:
                _deliver(lanes, page, self.stop)
                if not page.full or self.stop.is_set():
                    return
                if all(lane.closed.is_set() for lane in lanes):
                    return

    def run_or_fail(self, after: int, lanes: Sequence[Lane]) -> None:
        """``run``, telling every lane when reading fails (an event that does not verify, say)."""
        try:
            self.run(after, lanes)
        except Exception as error:
            _deliver(lanes, Failure(error), self.stop)

    def _read_here(self, after: int) -> Generator[Page, None, None]:
        with connect(self.conninfo, "projections feed") as conn:
            while True:
                page = self.source.read(conn.cursor(), after, self.page_size, self.topics)
                yield page
                if not page.full:
                    return
                after = page.last_position

    def _read_apart(self, after: int) -> Generator[Page, None, None]:
        names, size = self.source.names, self.page_size
        pages = pages_apart(self.conninfo, names, self.topics, size, after, self.stop)
        with closing(pages):
            for verified in pages:
                yield self.source.page_of(verified)


def _deliver(lanes: Sequence[Lane], item: Item, stop: Event) -> None:
    for lane in lanes:
        lane.put(item, stop)
