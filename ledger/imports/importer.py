"""An import from start to end: read the file, check every row, then write it in chunks."""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from ledger.app.base import LedgerBase
from ledger.imports.claims import written_chunks
from ledger.imports.columns import ORDER, SHEETS
from ledger.imports.delimited import read_csv
from ledger.imports.limits import DEFAULT_LIMITS, Limits
from ledger.imports.planning import Chunk, Planner, State, ids_needed, plan_rows
from ledger.imports.provenance import Origin
from ledger.imports.report import CellError, FileRefused, ImportReport, Refusal, Status
from ledger.imports.rows import Record, header_errors, read_records, sheet_errors
from ledger.imports.tables import Table
from ledger.imports.workbook import CellsRefused, read_workbook
from ledger.imports.writing import write_chunks
from ledger.store.database import EVENTS_TABLE

Progress = Callable[[int, int], None]
IGNORED_SHEETS = ("instructions", "lists")
"""Sheets of the template that hold no rows to import."""


@dataclass(frozen=True)
class ImportFile:
    """A file to import: its bytes, its name, and for a CSV the sheet it holds."""

    data: bytes
    name: str
    kind: str | None = None
    """None for an XLSX workbook; the sheet name for a CSV file."""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class ImportOptions:
    actor: str
    dry_run: bool = False
    limits: Limits = DEFAULT_LIMITS
    progress: Progress | None = None
    """Told (done, total) as rows are checked, then written: each row counts twice."""
    chunk_written: Callable[[int], None] | None = None
    """Told the number of each chunk once it is in the ledger."""


def import_id_of(file_sha256: str) -> str:
    """An import is its file's: the same file is the same import, however often it is sent."""
    return f"import-{file_sha256[:16]}"


def run_import(app: LedgerBase, file: ImportFile, options: ImportOptions) -> ImportReport:
    """Reads, checks and (unless a dry run) writes the file; the report says how it went."""
    with collector_paused():
        return _imported(app, file, options)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for the import.

    An import makes hundreds of thousands of objects that live until it ends (rows, events,
    their stored forms) and almost no cycles; the collector would walk them all again and
    again as they pile up, for a third of the import's time. Reference counting still frees
    what is dropped; cycles wait for the collector's next run after the import.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _imported(app: LedgerBase, file: ImportFile, options: ImportOptions) -> ImportReport:
    sha = file.sha256
    base = ImportReport(import_id_of(sha), sha, options.dry_run, Status.INVALID, 0, 0)
    base = _with(base, file_name=file.name, position=app.head_position())
    try:
        tables = read_tables(file, options.limits)
        records, errors = typed_records(tables, options.limits)
    except CellsRefused as refused:
        return _with(base, errors=refused.errors)
    except FileRefused as refused:
        return _with(base, errors=(refused.error,), refusal=refused.refusal)
    sheets = {table.name: len(table.rows) for table in tables}
    base = _with(base, rows=len(records), sheets=sheets)
    if errors and not records:
        return _with(base, errors=tuple(errors[: options.limits.errors]))
    return _checked_and_written(app, file, options, base, records, errors)


def read_tables(file: ImportFile, limits: Limits) -> list[Table]:
    if len(file.data) > limits.file_bytes:
        message = f"the file is over the limit of {limits.file_bytes // (1 << 20)} MB"
        raise FileRefused(CellError(message), Refusal.TOO_LARGE)
    if file.kind is not None:
        if file.kind not in SHEETS:
            message = f"unknown kind {file.kind!r}: a CSV holds one of {', '.join(SHEETS)}"
            raise FileRefused(CellError(message, sheet=file.kind))
        return [read_csv(file.data, file.kind)]
    tables, others = read_workbook(file.data, limits, tuple(SHEETS))
    unknown = sheet_errors([name for name in others if name not in IGNORED_SHEETS], list(SHEETS))
    if unknown:
        raise CellsRefused(unknown)
    if not tables:
        message = f"the workbook has none of the sheets {', '.join(SHEETS)}"
        raise FileRefused(CellError(message))
    return tables


def typed_records(tables: Sequence[Table], limits: Limits) -> tuple[list[Record], list[CellError]]:
    """Every sheet's rows in the order they are applied, and the mistakes of their cells."""
    total = sum(len(table.rows) for table in tables)
    if total > limits.rows:
        message = f"the file has {total} rows, over the limit of {limits.rows}"
        raise FileRefused(CellError(message), Refusal.TOO_LARGE)
    by_name = {table.name: table for table in tables}
    records: list[Record] = []
    errors: list[CellError] = []
    for name in ORDER:
        table = by_name.get(name)
        if table is None:
            continue
        sheet = SHEETS[name]
        if len(table.header) > limits.columns:
            errors.append(CellError(f"over {limits.columns} columns", sheet=name, row=1))
            continue
        wrong_header = header_errors(sheet, table)
        if wrong_header:
            errors.extend(wrong_header)
            continue
        sheet_records, cell_errors = read_records(sheet, table)
        records.extend(sheet_records)
        errors.extend(cell_errors)
    return records, errors


def _checked_and_written(
    app: LedgerBase,
    file: ImportFile,
    options: ImportOptions,
    base: ImportReport,
    records: list[Record],
    cell_errors: list[CellError],
) -> ImportReport:
    limits = options.limits
    chunks = -(-len(records) // limits.chunk_rows)
    done = written_chunks(app.records, EVENTS_TABLE, base.file_sha256, chunks)
    already = sum(chunk.rows for chunk in done.values())
    flawed = {(error.sheet, error.row) for error in cell_errors}
    usable = [r for r in records if (r.sheet, r.number) not in flawed]
    origin = Origin(base.import_id, file.name, base.file_sha256)
    state = State(app.latest(*ids_needed(usable)))
    planner = Planner(state, options.actor, origin, records)
    to_write = len(records) - already
    steps = to_write if options.dry_run else 2 * to_write
    progress = options.progress or (lambda done, total: None)
    planned = plan_rows(
        planner,
        records,
        limits.chunk_rows,
        set(done),
        limits.errors,
        flawed,
        lambda rows: progress(rows, steps),
    )
    errors = sorted([*cell_errors, *planned.errors], key=_place)
    base = _with(base, already_imported=already)
    if errors:
        return _with(base, errors=tuple(errors[: limits.errors]))
    progress(to_write, steps)
    if options.dry_run:
        return _with(base, status=Status.VALID, events=planned.events)
    return _written(app, options, base, planned.chunks, to_write)


def _written(
    app: LedgerBase,
    options: ImportOptions,
    base: ImportReport,
    chunks: list[Chunk],
    to_write: int,
) -> ImportReport:
    rows = 0

    def written(chunk: Chunk) -> None:
        """Progress counts each row twice: once checked, once written."""
        nonlocal rows
        rows += chunk.rows
        if options.progress is not None:
            options.progress(to_write + rows, 2 * to_write)
        if options.chunk_written is not None:
            options.chunk_written(chunk.number)

    saved = write_chunks(app, chunks, base.file_sha256, written)
    position = saved.position if saved.position is not None else app.head_position()
    if saved.stopped is not None:
        stopped = (CellError(saved.stopped),)
        return _with(
            base, status=Status.PARTIAL, events=saved.events, position=position, errors=stopped
        )
    return _with(base, status=Status.COMPLETE, events=saved.events, position=position)


def _place(error: CellError) -> tuple[int, int]:
    sheet = ORDER.index(error.sheet) if error.sheet in ORDER else -1
    return sheet, error.row or 0


def _with(report: ImportReport, **changes: Any) -> ImportReport:
    return replace(report, **changes)
