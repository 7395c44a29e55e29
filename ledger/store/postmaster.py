"""Whether to believe what a data folder's ``postmaster.pid`` says.

pgserver takes the server for running when the pid in ``postmaster.pid`` exists, and two
kinds of leftover fool that test. A postmaster killed outright stays a zombie until its
parent reaps it: it is waited for. A pid taken since by another process (after a restart,
say) is no postgres of this folder: the file is removed, and postgres starts afresh. A file
naming a process that is gone is left to postgres, which removes it itself once it has
checked that none of the dead server's processes still holds its shared memory.
"""

from __future__ import annotations

import time
from pathlib import Path

import psutil

PID_FILE = "postmaster.pid"
REAPING_SECONDS = 10.0
REAPING_POLL = 0.05


def settle_pid_file(pgdata: Path) -> None:
    pid_file = pgdata / PID_FILE
    pid = postmaster_pid(pid_file)
    if pid is None:
        return
    await_reaping(pid)
    if running(pid) and not serves(pid, pgdata):
        pid_file.unlink(missing_ok=True)


def postmaster_pid(pid_file: Path) -> int | None:
    try:
        return int(pid_file.read_text().split("\n", 1)[0])
    except (FileNotFoundError, ValueError):
        return None


def running(pid: int) -> bool:
    """Whether ``pid`` names a process that has not ended (a zombie has)."""
    return state(pid) not in (None, psutil.STATUS_ZOMBIE)


def await_reaping(pid: int) -> None:
    """Until a zombie ``pid`` is gone, or ``REAPING_SECONDS`` have passed."""
    deadline = time.monotonic() + REAPING_SECONDS
    while state(pid) == psutil.STATUS_ZOMBIE and time.monotonic() < deadline:
        time.sleep(REAPING_POLL)


def state(pid: int) -> str | None:
    """The process's status, None when there is none (or ``pid`` is a standalone
    backend's, negative, as written while initdb runs)."""
    if pid <= 0:
        return None
    try:
        return str(psutil.Process(pid).status())
    except psutil.NoSuchProcess:
        return None


def serves(pid: int, pgdata: Path) -> bool:
    """Whether ``pid`` is a postgres server of ``pgdata`` (assumed so when not ours to see)."""
    try:
        process = psutil.Process(pid)
        return process.name() == "postgres" and str(pgdata) in process.cmdline()
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True
