"""``ledger export target-revisions|audit``: the register and the trail written to a file,
byte for byte what the API serves for the same options, with a progress bar; with
``--proofs``, the zip of the export and each row's inclusion proof, which
``ledger verify-export`` checks offline."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click
from tqdm import tqdm

from ledger.application import LedgerApp
from ledger.bootstrap import open_ledger
from ledger.config import Settings
from ledger.errors import LedgerError
from ledger.evidence import read_public_key
from projections import wait_for
from projections.queries import (
    AuditFilter,
    RegisterFilter,
    stream_audit_trail,
    stream_target_revisions,
)
from projections.views import AuditTrailView, TargetRevisionsView
from web.exports import (
    AUDIT_COLUMNS,
    REGISTER_COLUMNS,
    Column,
    ExportCheck,
    ExportHeader,
    Format,
    UnreadableExport,
    export_header,
    verify_export,
    write_export,
    write_proven,
)

VIEW_WAIT_SECONDS = 60.0
T = TypeVar("T")


def options(command: Any) -> Any:
    for option in reversed(
        [
            click.option(
                "--format",
                "fmt",
                type=click.Choice([f.value for f in Format]),
                default=Format.CSV.value,
                show_default=True,
            ),
            click.option("--cycle", "cycle_id", help="Only this cycle."),
            click.option("--employee", "employee_id", help="Only this employee."),
            click.option(
                "--from",
                "recorded_from",
                type=click.DateTime(),
                help="Recorded at or after this instant (UTC unless zoned).",
            ),
            click.option(
                "--to", "recorded_to", type=click.DateTime(), help="Recorded before this instant."
            ),
            click.option("--position", type=int, help="As of this position (default: head)."),
            click.option(
                "--proofs",
                is_flag=True,
                help="Write a zip of the export and each row's inclusion proof.",
            ),
            click.option(
                "--wait",
                type=float,
                default=VIEW_WAIT_SECONDS,
                show_default=True,
                help="Seconds to wait for the read model to reach the position.",
            ),
            click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path)),
        ]
    ):
        command = option(command)
    return command


def counted(rows: Iterable[T], bar: tqdm[Any]) -> Iterator[T]:
    for row in rows:
        bar.update(1)
        yield row


def write_file(
    path: Path, fmt: Format, columns: Sequence[Column], rows: Iterable[object], header: ExportHeader
) -> None:
    with path.open("wb") as out:
        write_export(fmt, columns, rows, header, out)


def utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def filters_of(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {
        "cycle_id": kwargs["cycle_id"],
        "employee_id": kwargs["employee_id"],
        "recorded_from": utc(kwargs["recorded_from"]),
        "recorded_to": utc(kwargs["recorded_to"]),
    }


def run_export(settings: Settings, kind: str, kwargs: dict[str, Any]) -> None:
    filters = filters_of(kwargs)
    try:
        with open_ledger(settings) as ledger:
            header = export_header(ledger, kind, kwargs["position"], filters)
            rows = rows_of(ledger, kind, header.position, filters, kwargs["wait"])
            fmt, out = Format(kwargs["fmt"]), kwargs["out"]
            with tqdm(desc=f"export {kind}", unit="row", unit_scale=True) as bar:
                columns = AUDIT_COLUMNS if kind == "audit" else REGISTER_COLUMNS
                if kwargs["proofs"]:
                    with out.open("wb") as file:
                        write_proven(
                            ledger, settings, fmt, columns, counted(rows, bar), header, file
                        )
                else:
                    write_file(out, fmt, columns, counted(rows, bar), header)
    except LedgerError as refusal:
        click.echo(f"error: {refusal.message}", err=True)
        sys.exit(1)
    click.echo(
        f"{kind} at position {header.position}, chain hash {header.chain_hash}, written to {out}"
    )


def rows_of(
    ledger: LedgerApp, kind: str, position: int, filters: dict[str, Any], wait: float
) -> Iterator[Any]:
    view = AuditTrailView.name if kind == "audit" else TargetRevisionsView.name
    datastore = ledger.records.datastore
    if not wait_for(datastore, view, position, wait):
        click.echo(
            f"error: the {view} read model has not reached position {position};"
            " is `ledger projections run` (or `ledger serve`) running?",
            err=True,
        )
        sys.exit(1)
    if kind == "audit":
        return stream_audit_trail(datastore.pool, position, AuditFilter(**filters))
    return stream_target_revisions(datastore.pool, position, RegisterFilter(**filters))


@click.command("target-revisions")
@options
@click.pass_obj
def export_register(settings: Settings, /, **kwargs: Any) -> None:
    """The register of target definitions, revisions, adjustments and removals."""
    run_export(settings, "target-revisions", kwargs)


@click.command("audit")
@options
@click.pass_obj
def export_audit(settings: Settings, /, **kwargs: Any) -> None:
    """The audit trail: one entry per event, with who, when, why and what changed."""
    run_export(settings, "audit", kwargs)


@click.command("verify-export")
@click.argument("export_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--public-key",
    "public_key_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The key the export must be signed by (PEM public or private key, or hex).",
)
def verify_export_command(export_file: Path, public_key_file: Path | None) -> None:
    """Check an export written with proofs, offline: every row against its inclusion proof,
    the proofs against the signed tree head."""
    try:
        trusted = None if public_key_file is None else read_public_key(public_key_file)
        check = verify_export(export_file, trusted)
    except LedgerError as refusal:
        click.echo(f"error: {refusal.message}", err=True)
        sys.exit(2)
    except UnreadableExport as exc:
        click.echo(f"cannot check {export_file}: {exc}", err=True)
        sys.exit(2)
    report(check)


def report(check: ExportCheck) -> None:
    for line in check.lines:
        click.echo(line)
    for problem in check.problems:
        click.echo(problem, err=True)
    if not check.ok:
        click.echo(f"FAILED: {len(check.problems)} problem(s)", err=True)
        sys.exit(1)
    click.echo("ok: every row is proven in the signed tree head")
