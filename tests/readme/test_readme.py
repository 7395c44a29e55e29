"""The README's examples work as written: the Python example and the curl tour."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ledger.store.database import DatabaseAddress
from tests.demo_server import DemoServer, demo_server

README = Path(__file__).resolve().parents[2] / "README.md"
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


@pytest.fixture
def demo(fresh_database: DatabaseAddress, tmp_path: Path) -> Iterator[DemoServer]:
    with demo_server(fresh_database, tmp_path) as server:
        yield server


def test_the_curl_tour_runs_as_written_twice_in_a_row(demo: DemoServer, tmp_path: Path) -> None:
    tour = block(r"<!-- tour:start -->\n```bash\n(.*?)```\n<!-- tour:end -->")
    script = "set -euo pipefail\n" + tour.replace(TOUR_PORT, demo.address)
    environ = {key: value for key, value in os.environ.items() if key != "TOKEN"}
    for run in (1, 2):
        result = subprocess.run(
            ["bash", "-c", script],
            env={**environ, "LEDGER_DATA_DIR": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, f"run {run}: {result.stdout}{result.stderr}"
        compact = result.stdout.replace(" ", "")
        assert '"score":"96.67"' in compact
        assert '"score":"102.35"' in compact
        assert "two key accounts moved to a new region" in result.stdout
        assert '"ok":true' in compact
