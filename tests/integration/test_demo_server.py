"""``ledger serve --demo`` started again on the same data prints the same tokens."""

from __future__ import annotations

import stat
from pathlib import Path

import httpx

from ledger.store.database import DatabaseAddress
from tests.demo_server import demo_server
from web.demo.tokens import tokens_path


def test_a_restart_on_the_same_data_prints_the_same_tokens(
    fresh_database: DatabaseAddress, tmp_path: Path
) -> None:
    with demo_server(fresh_database, tmp_path) as first:
        pass
    with demo_server(fresh_database, tmp_path) as second:
        answer = httpx.get(
            f"http://{second.address}/api/v1/employees/E1030",
            headers={"Authorization": f"Bearer {first.tokens['employee']}"},
            timeout=30,
        )
    assert second.lines == first.lines
    assert answer.status_code == 200
    assert "manager:M103, " in first.lines["manager"]
    assert "employee:E1030, " in first.lines["employee"]
    assert stat.S_IMODE(tokens_path(tmp_path).stat().st_mode) == 0o600
