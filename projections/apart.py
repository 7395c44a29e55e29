"""The feed's reading in a process of its own, for a long rebuild.

Reading and verifying the ledger is a third of a rebuild's work in Python. In a process
of its own it runs on a core of its own, beside the views' threads; pages come over a
pipe as the rows it read and verified (see ``Verified``), and become events here. The
reading process reads on its own session, up to the ledger's head as it finds it page
after page, as the feed's thread would; its pipe holds about a page, so it reads ahead
of the slowest view by no more than that. An error in it (an event that does not verify,
a lost connection) is raised here, and it ends with the feed: stopped, it is stopped.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Generator, Sequence
from contextlib import suppress
from multiprocessing.connection import Connection as Pipe
from threading import Event

from projections.connection import connect
from projections.errors import ProjectionError, ReaderLost
from projections.source import Verified, VerifiedReader

_WAKE = 0.1
_ENDED = 5.0
"""Seconds a reading process that has ended (or been stopped) is given to exit."""


def pages_apart(
    conninfo: str,
    names: tuple[str, str, str],
    topics: Sequence[str],
    page_size: int,
    after: int,
    stop: Event,
) -> Generator[Verified, None, None]:
    """The verified pages after ``after`` up to the head, read by a process of their own;
    ends early once ``stop`` is set."""
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    arguments = (sending, conninfo, names, tuple(topics), page_size, after)
    process = context.Process(target=read_pages, args=arguments, name="projections reader")
    process.daemon = True
    process.start()
    sending.close()
    try:
        while not stop.is_set():
            if not receiving.poll(_WAKE):
                continue
            page = _received(receiving)
            yield page
            if not page.full:
                return
    finally:
        receiving.close()
        process.join(_ENDED)
        if process.is_alive():
            process.terminate()
            process.join()


def _received(receiving: Pipe) -> Verified:
    try:
        kind, payload = pickle.loads(receiving.recv_bytes())
    except EOFError:
        raise ReaderLost("the process reading the ledger ended without a word") from None
    if kind == "failed":
        raise payload
    assert isinstance(payload, Verified)
    return payload


def read_pages(
    sending: Pipe,
    conninfo: str,
    names: tuple[str, str, str],
    topics: tuple[str, ...],
    page_size: int,
    after: int,
) -> None:
    """In the reading process: send every verified page after ``after`` up to the head,
    or the error that stopped it; end quietly once nobody listens."""
    reader = VerifiedReader(*names)
    try:
        with connect(conninfo, "projections reader") as conn:
            while True:
                page = reader.read_verified(conn.cursor(), after, page_size, topics)
                sending.send_bytes(pickle.dumps(("page", page), pickle.HIGHEST_PROTOCOL))
                if not page.full:
                    return
                after = page.last_position
    except (BrokenPipeError, KeyboardInterrupt):
        return
    except Exception as error:
        _send_failure(sending, error)
    finally:
        sending.close()


def _send_failure(sending: Pipe, error: Exception) -> None:
    """Send the error as it is when it travels, as its text otherwise."""
    try:
        message = pickle.dumps(("failed", error), pickle.HIGHEST_PROTOCOL)
        pickle.loads(message)
    except Exception:
        said = ProjectionError(f"reading the ledger failed: {type(error).__name__}: {error}")
        message = pickle.dumps(("failed", said), pickle.HIGHEST_PROTOCOL)
    with suppress(BrokenPipeError):
        sending.send_bytes(message)
