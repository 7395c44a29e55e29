"""A revocation holds in every process: two `ledger serve` processes on one database, a token
revoked through one and refused by the other on its very next request."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg

from ledger.store.database import DatabaseAddress
from tests.integration.support import run_ledger
from tests.integration.test_shutdown import LEDGER, ROOT, eventually, free_port

PROFILE = {"name": "Ana Rao", "department": "Sales", "role": "Sales Executive"}


@contextmanager
def ledger_serve(database: DatabaseAddress, data_dir: Path, log: Path) -> Iterator[str]:
    """``ledger serve`` on ``database`` in a process of its own, until the block ends; its URL."""
    port = free_port()
    env = {**os.environ, "LEDGER_DATABASE_URL": database.url(), "LEDGER_DATA_DIR": str(data_dir)}
    with log.open("ab") as output:
        process = subprocess.Popen(
            [LEDGER, "serve", "--port", str(port), "--no-projections"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=output,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/api/v1"

    def healthy() -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
        except httpx.TransportError:
            return process.poll() is not None

    try:
        assert eventually(healthy)
        assert process.poll() is None, log.read_text()
        yield url
    finally:
        process.terminate()
        process.wait(timeout=60)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_revoked_through_one_server_process_is_refused_by_another_on_its_next_request(
    fresh_database: DatabaseAddress, tmp_path: Path
) -> None:
    granted = run_ledger(fresh_database, "tokens", "create", "--role", "admin", "--name", "ops")
    assert granted.returncode == 0, granted.stderr
    admin = bearer(granted.stdout.strip().splitlines()[-1])
    with (
        ledger_serve(fresh_database, tmp_path / "one", tmp_path / "one.log") as one,
        ledger_serve(fresh_database, tmp_path / "two", tmp_path / "two.log") as two,
    ):
        issued = httpx.post(
            f"{one}/tokens", json={"name": "temp", "role": "hr"}, headers=admin, timeout=30
        )
        assert issued.status_code == 201, issued.text
        hr = bearer(issued.json()["token"])
        first = httpx.put(f"{two}/employees/E-kept", json=PROFILE, headers=hr, timeout=30)
        assert first.status_code == 201, first.text  # the other process knows the token now
        head = httpx.get(f"{two}/ledger/head", headers=admin, timeout=30).json()["position"]

        revoked = httpx.request(
            "DELETE",
            f"{one}/tokens/{issued.json()['token_id']}",
            json={"reason": "rotated"},
            headers=admin,
            timeout=30,
        )
        assert revoked.status_code == 200, revoked.text

        write = httpx.put(f"{two}/employees/E-refused", json=PROFILE, headers=hr, timeout=30)
        read = httpx.get(f"{two}/employees/E-kept", headers=hr, timeout=30)
        unknown = httpx.get(f"{two}/employees/E-refused", headers=admin, timeout=30)

    assert write.status_code == 401, write.text
    assert write.headers["content-type"].startswith("application/problem+json")
    assert read.status_code == 401, read.text
    assert unknown.status_code == 404
    with psycopg.connect(fresh_database.conninfo()) as conn:
        row = conn.execute(
            "SELECT count(*) FROM ledger_events WHERE notification_id > %s", (head,)
        ).fetchone()
    assert row == (1,)  # the revocation alone: the refused write recorded nothing
