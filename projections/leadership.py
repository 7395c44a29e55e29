"""One active runner per view, across processes and machines: a session advisory lock.

The lock lives as long as the session that took it. When the process holding it dies,
its connection drops, PostgreSQL releases the lock, and a waiting runner takes over.
"""

from __future__ import annotations

import logging
import os
import socket
from threading import Event
from time import monotonic

import psycopg
from psycopg import sql

from projections.connection import Connection, connect
from projections.schema import advisory_key

log = logging.getLogger(__name__)

_TRY_LOCK = sql.SQL("SELECT pg_try_advisory_lock(%s) AS held")
# A backend busy in a long statement notices a vanished client only when it next talks to
# it; checking every second lets a killed leader's lock go soon after its death.
_CHECK_CLIENT = sql.SQL("SET client_connection_check_interval = '1s'")
_CHECKS_CLIENT_SINCE = 140000


class Leadership:
    """Polls for the view's lock on a session of its own, and hands over that session."""

    def __init__(self, conninfo: str, view_name: str, poll_interval: float = 1.0) -> None:
        self.conninfo = conninfo
        self.view_name = view_name
        self.key = advisory_key(view_name)
        self.poll_interval = poll_interval
        self.application_name = f"projections {view_name} {socket.gethostname()}:{os.getpid()}"

    def acquire(self, stop: Event, timeout: float | None = None) -> Connection | None:
        """The session holding the lock, or None once stopped or after ``timeout``.

        Closing the returned session releases the lock.
        """
        deadline = None if timeout is None else monotonic() + timeout
        conn: Connection | None = None
        try:
            while not stop.is_set():
                conn = self._attempt(conn)
                if conn is not None and self._holds(conn):
                    held, conn = conn, None
                    return held
                if deadline is not None and monotonic() >= deadline:
                    return None
                stop.wait(self.poll_interval)
            return None
        finally:
            if conn is not None:
                conn.close()

    def _attempt(self, conn: Connection | None) -> Connection | None:
        if conn is not None and not conn.closed:
            return conn
        try:
            conn = connect(self.conninfo, self.application_name[:63])
            if conn.info.server_version >= _CHECKS_CLIENT_SINCE:
                conn.execute(_CHECK_CLIENT)
        except psycopg.OperationalError as error:
            log.warning("view %s: cannot connect to the database: %s", self.view_name, error)
            return None
        return conn

    def _holds(self, conn: Connection) -> bool:
        try:
            row = conn.execute(_TRY_LOCK, (self.key,)).fetchone()
        except psycopg.OperationalError as error:
            log.warning("view %s: session lost while polling: %s", self.view_name, error)
            conn.close()
            return False
        return bool(row and row["held"])
