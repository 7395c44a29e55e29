"""``ledger tokens``: create, list and revoke, as a separate process against a real database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.domain.access import AccessToken, Role, token_hash
from ledger.store.database import DatabaseAddress

LEDGER = str(Path(sys.executable).with_name("ledger"))


def run_ledger(address: DatabaseAddress, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LEDGER_DATABASE_URL": address.url()}
    return subprocess.run(
        [LEDGER, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_tokens_are_created_listed_and_revoked_from_the_command_line(
    fresh_database: DatabaseAddress, settings: Settings
) -> None:
    created = run_ledger(fresh_database, "tokens", "create", "--role", "hr", "--name", "priya")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip().splitlines()[-1]
    app = LedgerApp(fresh_database, settings)
    try:
        principal = app.principal(token)
        assert principal is not None
        assert (principal.role, principal.actor) == (Role.HR, "hr:priya")
        granted = app.access_token(principal.token_id)
        assert granted.granted_by == "admin:cli"
        assert granted.token_hash == token_hash(token)

        listed = run_ledger(fresh_database, "tokens", "list")
        assert listed.returncode == 0, listed.stderr
        assert principal.token_id in listed.stdout
        assert "hr:priya" in listed.stdout
        assert token not in listed.stdout
        assert token_hash(token) not in listed.stdout

        revoked = run_ledger(
            fresh_database, "tokens", "revoke", principal.token_id, "--reason", "rotated"
        )
        assert revoked.returncode == 0, revoked.stderr
        assert app.repository.get(AccessToken.create_id(principal.token_id)).is_revoked
        assert "revoked: rotated" in run_ledger(fresh_database, "tokens", "list").stdout
    finally:
        app.close()


def test_a_manager_token_names_the_managers_employee_id(fresh_database: DatabaseAddress) -> None:
    refused = run_ledger(fresh_database, "tokens", "create", "--role", "manager", "--name", "ravi")
    assert refused.returncode != 0
    assert "employee" in refused.stderr + refused.stdout
