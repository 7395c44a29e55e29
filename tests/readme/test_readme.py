"""The README's examples work as written: the Python example and the curl tour."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ledger.store.database import DatabaseAddress

README = Path(__file__).resolve().parents[2] / "README.md"
LEDGER = str(Path(sys.executable).with_name("ledger"))
TOUR_PORT = "127.0.0.1:8000"


def block(pattern: str) -> str:
    match = re.search(pattern, README.read_text(), re.DOTALL)
    assert match is not None, f"README has no block matching {pattern!r}"
    return match.group(1)


def environment(address: DatabaseAddress) -> dict[str, str]:
    return {**os.environ, "LEDGER_DATABASE_URL": address.url()}


def test_the_python_example_runs_as_written(fresh_database: DatabaseAddress) -> None:
    example = block(r"## Recording and scoring, in Python\n\n```python\n(.*?)```")
    result = subprocess.run(
        [sys.executable, "-c", example],
        env=environment(fresh_database),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def demo_server(fresh_database: DatabaseAddress) -> Iterator[tuple[str, dict[str, str]]]:
    """``ledger serve --demo`` in a process of its own: its address and the tokens it printed."""
    port = free_port()
    server = subprocess.Popen(
        [LEDGER, "serve", "--demo", "--port", str(port)],
        env=environment(fresh_database),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        tokens: dict[str, str] = {}
        assert server.stdout is not None
        for line in server.stdout:
            role, _, token = line.strip().partition(" ")
            if token.strip().startswith("pl_"):
                tokens[role] = token.strip()
            if len(tokens) == 5:
                break
        assert set(tokens) == {"admin", "hr", "manager", "employee", "auditor"}
        yield f"127.0.0.1:{port}", tokens
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()


def test_the_curl_tour_runs_as_written(demo_server: tuple[str, dict[str, str]]) -> None:
    address, tokens = demo_server
    tour = block(r"<!-- tour:start -->\n```sh\n(.*?)```\n<!-- tour:end -->")
    script = "set -euo pipefail\n" + tour.replace(TOUR_PORT, address)
    result = subprocess.run(
        ["bash", "-c", script],
        env={**os.environ, "TOKEN": tokens["hr"]},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"score":"96.67"' in result.stdout.replace(" ", "")
    assert '"score":"102.35"' in result.stdout.replace(" ", "")
    assert "two key accounts moved to a new region" in result.stdout
    assert '"ok":true' in result.stdout.replace(" ", "")
