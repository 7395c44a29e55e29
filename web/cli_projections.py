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
from projections import LeadershipUnavailable, View, rebuild_view, request_rebuild, run_worker
from projections import view_status as read_status
from projections.catalog import all_views
from web.stopping import StopSignals


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
    at the end; readers keep the old rows meanwhile. A view held by a running worker is
    handed to that worker."""
    with open_ledger(settings) as ledger:
        for view in chosen_views(ledger, names):
            rebuild_one(ledger, view)


def rebuild_one(ledger: LedgerApp, view: View) -> None:
    with tqdm(desc=view.name, unit="event", unit_scale=True) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            rebuild_view(ledger, view, progress=progress)
        except LeadershipUnavailable:
            request_rebuild(ledger.records.datastore, view.name)
            bar.write(f"{view.name}: a running worker holds it and was asked to rebuild it")


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
