"""``ledger import FILE``: a spreadsheet checked whole, then written, with a progress bar."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import click
from tqdm import tqdm

from ledger.bootstrap import open_ledger
from ledger.config import Settings
from ledger.imports import SHEETS, ImportFile, ImportOptions, ImportReport, Status, run_import

IMPORT_ACTOR = "admin:cli"


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and write nothing.")
@click.option(
    "--kind",
    type=click.Choice(list(SHEETS)),
    help="The sheet a CSV file holds (default: its name, as in measurements.csv).",
)
@click.option("--actor", default=IMPORT_ACTOR, show_default=True, help="Who the events name.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--kill-after-chunks", type=int, hidden=True, help="Die by SIGKILL after N chunks.")
@click.pass_obj
def import_file(
    settings: Settings,
    file: Path,
    dry_run: bool,
    kind: str | None,
    actor: str,
    as_json: bool,
    kill_after_chunks: int | None,
) -> None:
    """Import employees, plans, targets and measurements from an XLSX or CSV FILE.

    Every row is checked first; if any is wrong, each mistake is listed with its sheet,
    row and column, and nothing is written. Importing the same file again writes nothing
    twice, and finishes an import that was interrupted.
    """
    data = file.read_bytes()
    if kind is None and file.suffix.lower() == ".csv":
        kind = file.stem.lower()
        if kind not in SHEETS:
            raise click.UsageError(
                f"name the sheet the CSV holds with --kind ({', '.join(SHEETS)})"
            )
    written = 0

    def chunk_written(_: int) -> None:
        nonlocal written
        written += 1
        if kill_after_chunks is not None and written >= kill_after_chunks:
            os.kill(os.getpid(), signal.SIGKILL)

    with open_ledger(settings) as ledger, tqdm(unit="row", desc="import", disable=as_json) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        options = ImportOptions(
            actor, dry_run=dry_run, progress=progress, chunk_written=chunk_written
        )
        report = run_import(ledger, ImportFile(data, file.name, kind), options)
    if as_json:
        click.echo(json.dumps(report.as_json(), indent=2))
    else:
        tell(report)
    if report.status in (Status.INVALID, Status.PARTIAL):
        sys.exit(1)


def tell(report: ImportReport) -> None:
    for error in report.errors:
        place = ":".join(str(part) for part in (error.sheet, error.row, error.column) if part)
        value = "" if error.value is None else f" (value {error.value!r})"
        click.echo(f"{place or 'file'}: {error.message}{value}", err=True)
    summary = {
        Status.VALID: f"valid: {report.rows} rows would write {report.events} events",
        Status.COMPLETE: f"complete: {report.events} events written",
        Status.PARTIAL: f"partial: {report.events} events written; import the file again",
        Status.INVALID: f"invalid: {len(report.errors)} mistakes, nothing written",
    }[report.status]
    if report.already_imported:
        summary += f"; {report.already_imported} rows were imported before"
    click.echo(f"{summary} (import {report.import_id}, position {report.position})")
