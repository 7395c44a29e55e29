"""``ledger serve --demo`` in a process of its own, on a database and data folder the test
names: its address and the token lines it printed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ledger.store.database import DatabaseAddress

LEDGER = str(Path(sys.executable).with_name("ledger"))
ROLES = frozenset({"admin", "hr", "manager", "employee", "auditor"})


@dataclass(frozen=True)
class DemoServer:
    address: str
    """host:port"""
    lines: dict[str, str]
    """Each role's printed line: role, token, and the principal it acts as."""

    @property
    def tokens(self) -> dict[str, str]:
        return {role: line.split()[1] for role, line in self.lines.items()}


def environment(database: DatabaseAddress, data_dir: Path) -> dict[str, str]:
    return {**os.environ, "LEDGER_DATABASE_URL": database.url(), "LEDGER_DATA_DIR": str(data_dir)}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def demo_server(database: DatabaseAddress, data_dir: Path) -> Iterator[DemoServer]:
    """The server once it printed a token line per role; stopped after the block."""
    port = free_port()
    server = subprocess.Popen(
        [LEDGER, "serve", "--demo", "--port", str(port)],
        env=environment(database, data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        lines: dict[str, str] = {}
        for line in server.stdout:
            words = line.split()
            if len(words) >= 2 and words[0] in ROLES and words[1].startswith("pl_"):
                lines[words[0]] = line.rstrip("\n")
            if set(lines) == ROLES:
                break
        assert set(lines) == ROLES, f"the server printed tokens for {sorted(lines)} only"
        yield DemoServer(f"127.0.0.1:{port}", lines)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()
