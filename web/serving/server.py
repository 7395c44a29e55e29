"""Serving the API with waitress: a real WSGI server on a real socket."""

from __future__ import annotations

import errno
import gc
import threading
from collections.abc import Callable
from typing import Any, Protocol, cast

from flask import Flask
from waitress.server import BaseWSGIServer, MultiSocketServer, create_server

from web.serving.channel import QuietChannel

DEFAULT_THREADS = 8
IDENT = "performance-ledger"


class Trigger(Protocol):
    """waitress's trigger: a thunk pulled in runs in the loop's thread (the stubs say int)."""

    def pull_trigger(self, thunk: Callable[[], None] | None = None) -> None: ...


class ApiServer:
    """A server bound to its port at once; ``run()`` serves until ``close()``."""

    def __init__(
        self, app: Flask, host: str = "127.0.0.1", port: int = 0, threads: int = DEFAULT_THREADS
    ) -> None:
        created = create_server(app, host=host, port=port, threads=threads, ident=IDENT)
        assert not isinstance(created, MultiSocketServer)
        created.channel_class = QuietChannel
        self._server: BaseWSGIServer = created
        self.host = host
        self._running = threading.Event()
        self._closing = threading.Event()
        settle_heap()

    @property
    def port(self) -> int:
        """The port bound, the free one chosen when 0 was asked for."""
        return int(self._server.getsockname()[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def run(self) -> None:
        self._running.set()
        try:
            self._server.run()
        except OSError as error:
            # A client's channel closed while the loop polled it, once closing began: the
            # loop has nothing left to serve.
            if not (self._closing.is_set() and error.errno == errno.EBADF):
                raise
        finally:
            self._running.clear()

    def close(self) -> None:
        """Stop accepting and drop every connection still open, so that the loop ends. A
        running server closes in its loop's own thread, which otherwise could poll a socket
        closed under it; one never run closes here."""
        self._closing.set()
        if self._running.is_set():
            cast(Trigger, self._server.trigger).pull_trigger(self._close_all)
        else:
            self._close_all()

    def _close_all(self) -> None:
        self._server.close()
        channels: dict[int, Any] = getattr(self._server, "_map")  # noqa: B009 - not in the stubs
        for channel in list(channels.values()):
            channel.close()


def settle_heap() -> None:
    """Move what is alive before serving into the permanent generation, so that a full
    collection while serving walks what requests create, not the application, its libraries
    and what was loaded at start: measured, a full collection paused every thread for about
    0.1 s before, and none came near that after."""
    gc.collect()
    gc.freeze()


def serve(app: Flask, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve until the process is stopped."""
    server = ApiServer(app, host, port)
    try:
        server.run()
    finally:
        server.close()
