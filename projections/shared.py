"""One read of each new page for the views a worker follows the ledger with.

After each write every view of a worker wakes up and asks for the page after the same
position. The first to ask reads and decodes it, of every topic, and the others take it
from here, each with the events of its own topics. A page that is not full is taken
only while the ledger's head is where it was when the page was read.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace
from threading import Lock
from uuid import UUID

from eventsourcing.persistence import Mapper
from psycopg import Cursor
from psycopg.rows import DictRow

from projections.errors import UnusableEvent
from projections.source import EventSource, Page

KEPT_PAGES = 4
"""Pages kept for the views behind the first: they ask within moments of each other."""


class SharedSource(EventSource):
    """An event source whose recent pages serve every view that asks for them."""

    def __init__(
        self, schema: str, events_table: str, chain_table: str, mapper: Mapper[UUID]
    ) -> None:
        super().__init__(schema, events_table, chain_table, mapper)
        self._pages: OrderedDict[tuple[int, int], Page] = OrderedDict()
        self._lock = Lock()

    def read(
        self, cursor: Cursor[DictRow], after: int, limit: int, topics: Sequence[str] = ()
    ) -> Page:
        """As ``EventSource.read``. An event that cannot be used fails the page read of
        every topic; the view's own topics then decide, as if read for it alone."""
        head = self.head(cursor)
        try:
            page = self._shared(cursor, after, limit, head)
        except UnusableEvent:
            return self.read_upto(cursor, after, limit, topics, head)
        return of_topics(page, topics)

    def _shared(self, cursor: Cursor[DictRow], after: int, limit: int, head: int) -> Page:
        with self._lock:
            page = self._pages.get((after, limit))
            if page is None or not (page.full or page.last_position >= head):
                page = self.read_upto(cursor, after, limit, (), head)
                self._pages[(after, limit)] = page
                while len(self._pages) > KEPT_PAGES:
                    self._pages.popitem(last=False)
            return page


def of_topics(page: Page, topics: Sequence[str]) -> Page:
    """The page with only the events of ``topics`` (empty: all)."""
    if not topics:
        return page
    chosen = frozenset(topics)
    return replace(page, events=tuple(event for event in page.events if event.topic in chosen))
