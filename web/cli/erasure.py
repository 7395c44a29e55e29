"""``ledger erase`` and ``ledger keys``: erasing personal data, rotating the master key."""

from __future__ import annotations

import os
import signal
from datetime import UTC, datetime

import click

from ledger.bootstrap import open_ledger
from ledger.commands import Context
from ledger.config import Settings
from ledger.store.master_key import generate_master_key_file, load_master_key
from ledger.store.rotation import install_next_key, next_key_path
from web.cli.refusals import refusals_as_errors

ERASE_ACTOR = "hr:cli"
DUE_REASON = "retention period after leaving is over"


@click.command()
@click.option("--employee", "employee_id", help="The employee whose personal data to erase.")
@click.option("--due", is_flag=True, help="Erase everyone past the retention period.")
@click.option("--dry-run", is_flag=True, help="With --due: list who would be erased.")
@click.option("--reason", help="Why (with --due: the retention period by default).")
@click.option("--legal-basis", help="The law that requires it, e.g. 'GDPR Art. 17(1)(a)'.")
@click.option("--actor", default=ERASE_ACTOR, show_default=True, help="Who erases.")
@click.pass_obj
def erase(
    settings: Settings,
    employee_id: str | None,
    due: bool,
    dry_run: bool,
    reason: str | None,
    legal_basis: str | None,
    actor: str,
) -> None:
    """Erase an employee's personal data: one event, and their data key destroyed with it."""
    if (employee_id is None) == (not due):
        raise click.UsageError("name one --employee, or --due")
    if due and settings.retention_days is None:
        raise click.UsageError("--due needs a retention period (LEDGER_RETENTION_DAYS)")
    if not dry_run and not legal_basis:
        raise click.UsageError("--legal-basis is required")
    ctx = Context(actor=actor)
    with refusals_as_errors(), open_ledger(settings) as ledger:
        if employee_id is not None:
            written = ledger.erase_employee(
                ctx, employee_id, reason=reason, legal_basis=legal_basis
            )
            click.echo(f"erased {employee_id} at position {written.position}")
            return
        assert settings.retention_days is not None
        today = datetime.now(UTC).date()
        for due_id, left_on in ledger.erasures_due(today, settings.retention_days):
            if dry_run:
                click.echo(f"due {due_id} (left {left_on.isoformat()})")
                continue
            written = ledger.erase_employee(
                ctx, due_id, reason=reason or DUE_REASON, legal_basis=legal_basis
            )
            click.echo(f"erased {due_id} (left {left_on.isoformat()}) at {written.position}")


@click.group()
def keys() -> None:
    """The master key that wraps the employees' data keys."""


@keys.command("rotate")
@click.pass_obj
def keys_rotate(settings: Settings) -> None:
    """Wrap every data key with a new master key (nothing is re-encrypted); the old key is
    kept beside the new one as ``<file>.previous`` until you remove it."""
    if settings.master_key is None:
        raise click.UsageError("no master key is configured (LEDGER_MASTER_KEY)")
    current = settings.master_key
    fresh = next_key_path(current)
    with refusals_as_errors(), open_ledger(settings) as ledger:
        old = load_master_key(current)
        new = load_master_key(fresh) if fresh.exists() else generate_master_key_file(fresh)
        count = ledger.keyring.keys.rewrap(old, new)
        crash_point(settings, "rotation-committed")
    previous = install_next_key(current)
    click.echo(f"{count} data keys rewrapped; the previous master key is in {previous}")


def crash_point(settings: Settings, point: str) -> None:
    """Die here, as a kill would, when a recovery test asks for it (never otherwise)."""
    if settings.crash_at == point:
        os.kill(os.getpid(), signal.SIGKILL)


def register(main: click.Group) -> None:
    main.add_command(erase)
    main.add_command(keys)
