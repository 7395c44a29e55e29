"""``ledger projections run|rebuild|status``: the read models from the command line."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from threading import Event

import click
from tqdm import tqdm

from ledger.application import LedgerApp
from ledger.bootstrap import open_ledger
from ledger.config import Settings
from projections import View, rebuild_views, request_rebuild, run_worker
from projections import view_status as read_status
from projections.catalog import all_views
from web.serving.stopping import StopSignals


def chosen_views(app: LedgerApp, names: Sequence[str]) -> list[View]:
    views = all_views(app)
    if not names:
        return views
    known = {view.name: view for view in views}
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise click.BadParameter(
            f"unknown view(s) {', '.join(unknown)}; known: {', '.join(known)}", param_hint="NAME"
        )
    return [known[name] for name in names]


@click.group()
def projections() -> None:
    """Read models rebuilt from the ledger's events."""


@projections.command("run")
@click.argument("names", nargs=-1)
@click.pass_obj
def run(settings: Settings, names: tuple[str, ...]) -> None:
    """Keep the views (default: all) up to date until stopped (SIGINT or SIGTERM).

    One runner per view is active across all processes: a second worker waits and takes
    over when the first one dies.
    """
    stop = Event()
    with StopSignals(stop), open_ledger(settings) as ledger:
        views = chosen_views(ledger, names)
        click.echo(f"keeping {', '.join(view.name for view in views)}", err=True)
        outcomes = run_worker(ledger, views, stop)
    failed = sorted(name for name, outcome in outcomes.items() if outcome == "failed")
    if failed:
        click.echo(f"failed: {', '.join(failed)} (see `ledger projections status`)", err=True)
        sys.exit(1)


@projections.command("rebuild")
@click.argument("names", nargs=-1)
@click.pass_obj
def rebuild(settings: Settings, names: tuple[str, ...]) -> None:
    """Rebuild the views (default: all) from the first event, into shadow tables swapped in
    at the end; readers keep the old rows meanwhile. The views are rebuilt together, from
    one read of the ledger. A view held by a running worker is handed to that worker."""
    with open_ledger(settings) as ledger:
        rebuild_together(ledger, chosen_views(ledger, names))


def rebuild_together(ledger: LedgerApp, views: Sequence[View]) -> None:
    """One bar for them all: the events behind the view furthest behind."""
    click.echo(f"rebuilding {', '.join(view.name for view in views)}", err=True)
    with tqdm(desc="rebuild", unit="event", unit_scale=True) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        held = rebuild_views(ledger, views, progress=progress)
        for name in held:
            request_rebuild(ledger.records.datastore, name)
            bar.write(f"{name}: a running worker holds it and was asked to rebuild it")


@projections.command("status")
@click.pass_obj
def status(settings: Settings) -> None:
    """Each view's position, the ledger's head, lag, version, state and last error."""
    with open_ledger(settings) as ledger:
        rows = read_status(ledger, all_views(ledger))
    click.echo(f"{'view':<18} {'position':>9} {'head':>9} {'lag':>7} {'version':>8}  status")
    for row in rows:
        version = f"{row.version}/{row.code_version}"
        click.echo(
            f"{row.name:<18} {row.position:>9} {row.head:>9} {row.lag:>7} {version:>8}"
            f"  {row.status}"
        )
        if row.error:
            click.echo(f"{'':<18} failed at position {row.error_position}: {row.error}")
