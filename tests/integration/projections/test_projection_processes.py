"""Worker processes: killed mid-page they lose nothing, and a waiting one takes over."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from ledger.application import LedgerApp
from projections import rebuild_view, view_status, wait_for
from tests.integration.projections.event_log import EventLog
from tests.integration.projections.projection_support import (
    assert_exactly_the_ledger,
    contents,
    eventually,
    register,
)

ROOT = Path(__file__).resolve().parents[3]
VIEW = EventLog()


@contextmanager
def worker(conninfo: str, log: Path, *options: str) -> Iterator[subprocess.Popen[bytes]]:
    """A worker process; killed at the end unless the test ended it."""
    command = [sys.executable, "-m", "tests.integration.projections.worker_process", conninfo]
    with log.open("ab") as output:
        process = subprocess.Popen([*command, *options], cwd=ROOT, stdout=output, stderr=output)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def stop(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=30)


def kill(process: subprocess.Popen[bytes]) -> None:
    process.kill()
    process.wait(timeout=30)


def leader(app: LedgerApp) -> str | None:
    [status] = view_status(app, [VIEW])
    return status.leader


def leads(app: LedgerApp, process: subprocess.Popen[bytes]) -> bool:
    return (leader(app) or "").endswith(f":{process.pid}")


def sessions_of(conninfo: str, process: subprocess.Popen[bytes]) -> int:
    with psycopg.connect(conninfo) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE %s",
            (f"projections {VIEW.name} %:{process.pid}",),
        ).fetchone()
    return int(row[0]) if row else 0


def tracked_position(app: LedgerApp) -> int:
    [status] = view_status(app, [VIEW])
    return status.position


def test_a_worker_killed_mid_page_resumes_without_applying_an_event_twice(
    own_app: LedgerApp, conninfo: str, tmp_path: Path
) -> None:
    positions = register(own_app, 400)
    log = tmp_path / "workers.log"
    with worker(conninfo, log, "--page-size", "20", "--delay", "0.2") as slow:
        assert wait_for(conninfo, VIEW.name, positions[60], timeout=60), log.read_text()
        kill(slow)
    reached = tracked_position(own_app)
    assert positions[60] <= reached < positions[-1]
    assert_exactly_the_ledger(contents(conninfo, VIEW.name), conninfo, upto=reached)

    with worker(conninfo, log) as again:
        assert wait_for(conninfo, VIEW.name, positions[-1], timeout=60), log.read_text()
        assert stop(again) == 0

    live = contents(conninfo, VIEW.name)
    assert_exactly_the_ledger(live, conninfo)
    rebuild_view(own_app, VIEW)
    assert contents(conninfo, VIEW.name) == live


def test_a_waiting_worker_takes_over_when_the_active_one_is_killed(
    own_app: LedgerApp, conninfo: str, tmp_path: Path
) -> None:
    log = tmp_path / "workers.log"
    with worker(conninfo, log) as first, worker(conninfo, log) as second:
        assert eventually(lambda: leads(own_app, first) or leads(own_app, second))
        active, standby = (first, second) if leads(own_app, first) else (second, first)
        assert eventually(lambda: sessions_of(conninfo, standby) == 1), log.read_text()
        head = register(own_app, 30)[-1]
        assert wait_for(conninfo, VIEW.name, head, timeout=30), log.read_text()
        assert leads(own_app, active)

        kill(active)
        head = register(own_app, 30)[-1]

        assert wait_for(conninfo, VIEW.name, head, timeout=30), log.read_text()
        assert leads(own_app, standby)
        assert stop(standby) == 0
    assert_exactly_the_ledger(contents(conninfo, VIEW.name), conninfo)
    [status] = view_status(own_app, [VIEW])
    assert (status.status, status.leader) == ("stopped", None)
