"""A server's anchoring: a signed tree head written out every N events or T minutes."""

from __future__ import annotations

import logging
import threading
import time

from ledger.config import Settings
from ledger.evidence.anchors import Anchor, AnchorStore
from ledger.evidence.tree_head import SignedTreeHead
from ledger.store.tree import MerkleTree

logger = logging.getLogger(__name__)

POLL_SECONDS = 5.0


def anchor_now(tree: MerkleTree, settings: Settings) -> Anchor | None:
    """Write the current signed tree head to the anchor directory (None without one)."""
    if settings.anchor_dir is None:
        return None
    head = SignedTreeHead.of(tree.head()).signed(settings)
    return AnchorStore(settings.anchor_dir).write(head)


class Anchorer:
    """Anchors in a thread of its own while the server runs."""

    def __init__(self, tree: MerkleTree, settings: Settings) -> None:
        self._tree = tree
        self._settings = settings
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="anchoring", daemon=True)
        self._anchored = (-1, time.monotonic())

    def start(self) -> None:
        if self._settings.anchor_dir is not None:
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._maybe_anchor()
            except Exception as error:  # the next round tries again; the server keeps serving
                logger.warning("anchoring failed: %s", error)
            self._stop.wait(POLL_SECONDS)

    def _maybe_anchor(self) -> None:
        size, when = self._anchored
        current = self._tree.size()
        if current in (0, size):
            return
        due_by_count = current - max(size, 0) >= self._settings.anchor_every
        due_by_time = time.monotonic() - when >= self._settings.anchor_minutes * 60
        if size < 0 or due_by_count or due_by_time:
            anchor_now(self._tree, self._settings)
            self._anchored = (current, time.monotonic())
