"""Every ``ledger`` command refuses a wrong or missing master key in one line, writing nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger.application import LedgerApp
from ledger.store.database import DatabaseAddress
from ledger.store.master_key import generate_master_key_file
from tests.integration.personal_story import told
from tests.integration.support import run_ledger

COMMANDS = [
    ("head",),
    ("verify",),
    ("serve", "--port", "0"),
    ("erase", "--employee", "E1", "--reason", "left", "--legal-basis", "GDPR Art. 17(1)(a)"),
    ("erase", "--due", "--dry-run"),
    ("keys", "rotate"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: "-".join(command[:2]))
def test_a_wrong_master_key_is_refused_in_one_line_and_nothing_is_written(
    own_app: LedgerApp, fresh_database: DatabaseAddress, tmp_path: Path, command: tuple[str, ...]
) -> None:
    told(own_app)
    head = own_app.head_position()
    other = tmp_path / "other-key"
    generate_master_key_file(other)

    env = {"LEDGER_MASTER_KEY": str(other), "LEDGER_RETENTION_DAYS": "30"}
    result = run_ledger(fresh_database, *command, env=env)

    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Error: the master key given is not the one this ledger's data keys are wrapped"
        " with; nothing was read or written"
    ]
    assert "Traceback" not in result.stdout
    assert own_app.head_position() == head


@pytest.mark.parametrize("command", COMMANDS[:2], ids=lambda command: command[0])
def test_a_missing_master_key_file_is_refused_in_one_line(
    own_app: LedgerApp, fresh_database: DatabaseAddress, tmp_path: Path, command: tuple[str, ...]
) -> None:
    told(own_app)
    missing = tmp_path / "no-such-key"

    result = run_ledger(fresh_database, *command, env={"LEDGER_MASTER_KEY": str(missing)})

    assert result.returncode != 0
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: the master key file {missing} cannot be read")
