"""The ``ledger`` command."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from tqdm import tqdm

from ledger.bootstrap import open_ledger
from ledger.commands import Context
from ledger.config import Settings
from ledger.domain.access import Role
from ledger.evidence.anchoring import anchor_now
from ledger.evidence.anchors import check_latest
from ledger.store.master_key import MasterKeyError
from ledger.store.provision import database_address, init_schema
from projections import init_projections
from web.cli.audit import export, verify_digest_command
from web.cli.audit import register as register_audit_commands
from web.cli.erasure import register as register_erasure_commands
from web.cli.exports import export_audit, export_register, verify_export_command
from web.cli.imports import import_file
from web.cli.projections import projections
from web.cli.refusals import refusals_as_errors
from web.cli.serve import serve
from web.cli.tree import tree

CLI_ACTOR = "admin:cli"


class LedgerCommands(click.Group):
    """Every command refuses a missing or wrong master key in one line, before it reads or
    writes anything (the application checks the key as it opens)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except MasterKeyError as refused:
            raise click.ClickException(refused.message) from None


@click.group(cls=LedgerCommands)
@click.pass_context
def main(context: click.Context) -> None:
    """Performance Ledger: an event-sourced ledger of KRAs, KPIs, targets and reviews."""
    context.obj = Settings.from_env()


@main.group()
def db() -> None:
    """The database."""


@db.command("init")
@click.pass_obj
def db_init(settings: Settings) -> None:
    """Create the ledger's tables, chain and guards (safe to run again)."""
    with database_address(settings) as address:
        init_schema(address, settings)
        init_projections(address.conninfo())
    click.echo(f"ledger schema ready in database {address.dbname!r} on {address.host}")


@main.command()
@click.pass_obj
def head(settings: Settings) -> None:
    """Print the chain head: position, chain hash and recorded time."""
    with open_ledger(settings) as ledger:
        link = ledger.head()
    click.echo(f"position {link.position}")
    click.echo(f"chain_hash {link.chain_hash.hex()}")
    click.echo(f"recorded_at {link.recorded_at.isoformat() if link.recorded_at else '-'}")


@main.command()
@click.option(
    "--digest",
    "digest_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Prove the ledger unchanged up to this digest (from `ledger digest`).",
)
@click.pass_context
def verify(context: click.Context, digest_file: Path | None) -> None:
    """Recompute every event and chain hash; name the first position that disagrees."""
    if digest_file is not None:
        context.invoke(verify_digest_command, digest_file=digest_file)
        return
    settings: Settings = context.obj
    with open_ledger(settings) as ledger, tqdm(unit="event", desc="verify") as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        result = ledger.verify(progress=progress)
        anchor = check_latest(ledger.records, ledger.tree, settings) if result.ok else None
    if not result.ok:
        click.echo(
            f"TAMPERED at position {result.first_bad_position}: {result.problem}"
            f" ({result.checked} events verified before it)",
            err=True,
        )
        sys.exit(1)
    click.echo(f"ok: {result.checked} events, chain hash {result.chain_hash.hex()}")
    if anchor is None:
        click.echo("no anchor to check against (LEDGER_ANCHOR_DIR holds none)")
    elif anchor.ok:
        click.echo(f"ok: extends anchor {anchor.name} ({anchor.tree_size} events)")
    else:
        click.echo(f"TAMPERED: {anchor.problem}", err=True)
        sys.exit(1)


@main.command()
@click.pass_obj
def anchor(settings: Settings) -> None:
    """Write the signed tree head to LEDGER_ANCHOR_DIR now (a server also does so itself)."""
    with refusals_as_errors(), open_ledger(settings) as ledger:
        written = anchor_now(ledger.tree, settings)
    if written is None:
        raise click.ClickException("no anchor directory: set LEDGER_ANCHOR_DIR")
    click.echo(f"anchored {written.head.tree_size} events in {written.name}")


@main.group()
def tokens() -> None:
    """Bearer tokens of the API: granted and revoked as events in the ledger."""


@tokens.command("create")
@click.option("--role", required=True, type=click.Choice([role.value for role in Role]))
@click.option("--name", required=True, help="Who holds it; events they cause say ROLE:NAME.")
@click.option("--employee", "employee_id", help="The holder's employee id (manager, employee).")
@click.option("--actor", default=CLI_ACTOR, show_default=True, help="Who grants it.")
@click.pass_obj
def tokens_create(
    settings: Settings, role: str, name: str, employee_id: str | None, actor: str
) -> None:
    """Grant a new token and print it, alone on the last line: it is shown only this once."""
    with open_ledger(settings) as ledger, refusals_as_errors():
        issued = ledger.issue_token(Context(actor), name=name, role=role, employee_id=employee_id)
    click.echo(f"token {issued.token_id} for {role}:{name} at position {issued.written.position}")
    click.echo(issued.token)


@tokens.command("revoke")
@click.argument("token_id")
@click.option("--reason", required=True, help="Why it is revoked.")
@click.option("--actor", default=CLI_ACTOR, show_default=True, help="Who revokes it.")
@click.pass_obj
def tokens_revoke(settings: Settings, token_id: str, reason: str, actor: str) -> None:
    """Revoke a token; every process serving the API refuses it from now on."""
    with open_ledger(settings) as ledger, refusals_as_errors():
        written = ledger.revoke_token(Context(actor), token_id, reason=reason)
    click.echo(f"token {token_id} revoked at position {written.position}")


@tokens.command("list")
@click.pass_obj
def tokens_list(settings: Settings) -> None:
    """Every token granted, with its holder and state (never the token or its hash)."""
    with open_ledger(settings) as ledger:
        entries = ledger.tokens()
    for entry in entries:
        state = f"revoked: {entry.revoked_reason}" if entry.revoked else "active"
        click.echo(
            f"{entry.token_id}  {entry.role.value}:{entry.name}"
            f"  employee={entry.employee_id or '-'}  granted_by={entry.granted_by}"
            f"  granted_at={entry.granted_at.isoformat()}  {state}"
        )


main.add_command(projections)
main.add_command(tree)
main.add_command(serve)
main.add_command(import_file)
main.add_command(verify_export_command)
register_audit_commands(main)
register_erasure_commands(main)
export.add_command(export_register)
export.add_command(export_audit)
