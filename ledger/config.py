"""The one place that reads the process environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = Path("var")
EMBEDDED_SIGNING_KEY = "signing-key.pem"
EMBEDDED_ANCHORS = "anchors"
EMBEDDED_MASTER_KEY = "master-key"


@dataclass(frozen=True)
class Settings:
    """Everything the ledger's processes need to know about their surroundings.

    ``database_url`` None means: start the embedded PostgreSQL in ``data_dir``.
    """

    database_url: str | None = None
    data_dir: Path = DEFAULT_DATA_DIR
    signing_key: Path | None = None
    pool_size: int = 5
    max_overflow: int = 10
    aggregate_cache_size: int = 1000
    lock_timeout_seconds: int = 10
    anchor_dir: Path | None = None
    """Where signed tree heads are kept outside the database (None: nowhere)."""
    anchor_every: int = 1000
    """A server anchors once this many events were recorded since its last anchor ..."""
    anchor_minutes: float = 10.0
    """... or once this many minutes passed with any event recorded since."""
    read_wait_seconds: float = 2.0
    """How long a read asked for a position the ledger has not reached waits for it."""
    session_secret: str | None = None
    """Signs the pages' session cookies; None: a new secret per process (sessions end with it)."""
    master_key: Path | None = None
    """The file of the master key wrapping the employees' data keys (None: personal fields
    are stored in clear, and a ledger that seals them already refuses to open)."""
    retention_days: int | None = None
    """How long after leaving an employee's personal data is kept (None: no period)."""
    crash_at: str | None = None
    """For tests of recovery only: the named point at which a command kills itself
    (``LEDGER_TEST_CRASH_AT``; None, the default, never)."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        database_url = env.get("LEDGER_DATABASE_URL") or None
        data_dir = Path(env.get("LEDGER_DATA_DIR") or DEFAULT_DATA_DIR)
        signing_key = env.get("LEDGER_SIGNING_KEY")
        return cls(
            database_url=database_url,
            data_dir=data_dir,
            signing_key=signing_key_path(signing_key, database_url, data_dir),
            anchor_dir=anchor_dir_path(env.get("LEDGER_ANCHOR_DIR"), database_url, data_dir),
            anchor_every=int(env.get("LEDGER_ANCHOR_EVERY") or cls.anchor_every),
            anchor_minutes=float(env.get("LEDGER_ANCHOR_MINUTES") or cls.anchor_minutes),
            pool_size=int(env.get("LEDGER_POOL_SIZE") or cls.pool_size),
            max_overflow=int(env.get("LEDGER_POOL_OVERFLOW") or cls.max_overflow),
            aggregate_cache_size=int(env.get("LEDGER_AGGREGATE_CACHE") or cls.aggregate_cache_size),
            lock_timeout_seconds=int(env.get("LEDGER_LOCK_TIMEOUT") or cls.lock_timeout_seconds),
            read_wait_seconds=float(env.get("LEDGER_READ_WAIT_SECONDS") or cls.read_wait_seconds),
            session_secret=env.get("LEDGER_SESSION_SECRET") or None,
            master_key=master_key_path(env.get("LEDGER_MASTER_KEY"), database_url, data_dir),
            retention_days=retention(env.get("LEDGER_RETENTION_DAYS")),
            crash_at=env.get("LEDGER_TEST_CRASH_AT") or None,
        )


def signing_key_path(named: str | None, database_url: str | None, data_dir: Path) -> Path | None:
    """The key file named; else, for the embedded default, one in its data folder (created on
    first start, so the embedded ledger signs by default); else none."""
    if named:
        return Path(named)
    return data_dir / EMBEDDED_SIGNING_KEY if database_url is None else None


def anchor_dir_path(named: str | None, database_url: str | None, data_dir: Path) -> Path | None:
    """The anchor directory named; else, for the embedded default, one in its data folder
    (better elsewhere: see the README); else none."""
    if named:
        return Path(named)
    return data_dir / EMBEDDED_ANCHORS if database_url is None else None


def master_key_path(named: str | None, database_url: str | None, data_dir: Path) -> Path | None:
    """The key file named; else, for the embedded default, one beside its signing key
    (created on first start); else none."""
    if named:
        return Path(named)
    return data_dir / EMBEDDED_MASTER_KEY if database_url is None else None


def retention(days: str | None) -> int | None:
    """``LEDGER_RETENTION_DAYS``: whole days after leaving, or None when unset."""
    return int(days) if days else None


def test_database_url() -> str | None:
    """The PostgreSQL server the test suite and the benchmark should use, if named."""
    return os.environ.get("LEDGER_TEST_DATABASE_URL") or None


def test_server_embedded() -> bool:
    """``LEDGER_TEST_SERVER=embedded`` skips looking for a local server (as on a bare machine)."""
    return os.environ.get("LEDGER_TEST_SERVER") == "embedded"
