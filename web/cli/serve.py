"""``ledger serve``: the API on a production-grade WSGI server, with the read models kept in
background threads, and optionally the demo organisation."""

from __future__ import annotations

import time

import click

from ledger.application import LedgerApp
from ledger.bootstrap import open_ledger
from ledger.config import Settings
from ledger.evidence.anchoring import Anchorer
from ledger.evidence.signing import read_public_key
from projections import Worker, init_projections
from projections.catalog import all_views
from web.demo import load_demo
from web.demo.organisation import FIRST_MANAGER
from web.demo.tokens import DemoToken, demo_tokens, tokens_path
from web.serving.factory import create_app
from web.serving.server import ApiServer
from web.serving.stopping import StopSignals

VIEWS_STOP_SECONDS = 10


def demo_tokens_of(ledger: LedgerApp, settings: Settings) -> list[DemoToken]:
    """Load the demo organisation into an empty ledger; its tokens, kept from the last start
    where they still work."""
    if not ledger.has_employee(FIRST_MANAGER):
        load_whole_demo(ledger)
    return demo_tokens(ledger, settings.data_dir)


def load_whole_demo(ledger: LedgerApp) -> None:
    """A stop while loading leaves part of the demo, which a later start would take for the
    whole of it: say so."""
    click.echo("loading the demo organisation", err=True)
    started = time.monotonic()
    try:
        summary = load_demo(ledger)
    except SystemExit:
        click.echo(
            "demo organisation part-loaded: start on an empty ledger for all of it", err=True
        )
        raise
    seconds = time.monotonic() - started
    click.echo(
        f"demo organisation loaded: {summary.head} events, its history up to"
        f" {summary.today.isoformat()}, in {seconds:.1f} s",
        err=True,
    )


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@click.option(
    "--demo",
    is_flag=True,
    help="Load the demo organisation; print a token per role, the same on every start.",
)
@click.option(
    "--projections/--no-projections",
    "keep_views",
    default=True,
    show_default=True,
    help="Keep the read models in background threads of this process.",
)
@click.pass_obj
def serve(
    settings: Settings, host: str, port: int, threads: int, demo: bool, keep_views: bool
) -> None:
    """Serve the API until SIGTERM or SIGINT (Ctrl-C). Without LEDGER_DATABASE_URL an
    embedded PostgreSQL starts in LEDGER_DATA_DIR, and stops with the server; at scale, run
    `gunicorn 'web:create_app()'` and `ledger projections run`."""
    with StopSignals() as signals, open_ledger(settings) as ledger:
        init_projections(ledger.records.datastore)
        worker = Worker(ledger, all_views(ledger))
        if keep_views:
            worker.start(daemon=True)
        anchorer = Anchorer(ledger.tree, settings)
        anchorer.start()
        try:
            with signals.breakable():
                serve_until_stopped(ledger, settings, host, port, threads, demo)
        finally:
            if signals.received is not None:
                click.echo(f"stopping on {signals.received.name}", err=True)
            anchorer.stop()
            worker.stop(timeout=VIEWS_STOP_SECONDS)


def serve_until_stopped(
    ledger: LedgerApp, settings: Settings, host: str, port: int, threads: int, demo: bool
) -> None:
    tokens = demo_tokens_of(ledger, settings) if demo else []
    server = ApiServer(create_app(settings, ledger=ledger), host, port, threads)
    click.echo(f"Performance Ledger at {server.url}/api/v1  (docs: {server.url}/docs)")
    click.echo(signing_line(settings))
    if settings.anchor_dir is not None:
        click.echo(f"anchoring signed tree heads in {settings.anchor_dir}")
    if tokens:
        click.echo(f"demo tokens, kept in {tokens_path(settings.data_dir)}:")
    for token in tokens:
        click.echo(token.line())
    try:
        server.run()
    finally:
        server.close()


def signing_line(settings: Settings) -> str:
    """Which key signs tree heads and digests, and its public key to keep elsewhere."""
    if settings.signing_key is None:
        return "tree heads and digests are unsigned: set LEDGER_SIGNING_KEY to a key file"
    public = read_public_key(settings.signing_key)
    return f"signing with {settings.signing_key}: public key {public}"
