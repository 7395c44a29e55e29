"""Spreadsheets in: employees, plans, targets and measurements from XLSX or CSV files,
checked whole before anything is written, each event with its provenance."""

from __future__ import annotations

from ledger.imports.columns import SHEETS, Column, Kind, Sheet
from ledger.imports.importer import ImportFile, ImportOptions, import_id_of, run_import
from ledger.imports.limits import DEFAULT_LIMITS, Limits
from ledger.imports.provenance import provenance_of
from ledger.imports.report import CellError, ImportReport, Refusal, Status

__all__ = [
    "DEFAULT_LIMITS",
    "SHEETS",
    "CellError",
    "Column",
    "ImportFile",
    "ImportOptions",
    "ImportReport",
    "Kind",
    "Limits",
    "Refusal",
    "Sheet",
    "Status",
    "import_id_of",
    "provenance_of",
    "run_import",
]
