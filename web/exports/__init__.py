"""Exports of rows as CSV, JSON Lines and XLSX, each naming the ledger position it was taken
at and the chain hash there, byte for byte the same when taken again at that position, and
each opening cleanly where people open it: header first, cells typed, formulas inert; on
request with each row's inclusion proof beside it, checkable offline."""

from web.exports.columns import Column, Json, Kind
from web.exports.comma_separated import csv_chunks
from web.exports.formats import Format
from web.exports.header import ExportHeader, export_header
from web.exports.inert import unquoted
from web.exports.json_lines import jsonl_chunks
from web.exports.layouts import AUDIT_COLUMNS, REGISTER_COLUMNS
from web.exports.proven import ProvenExport, write_export, write_proven
from web.exports.reading import UnreadableExport
from web.exports.response import (
    export_doc,
    export_response,
    format_field,
    proofs_field,
    proven_response,
)
from web.exports.verification import ExportCheck, verify_export
from web.exports.workbook import write_xlsx

__all__ = [
    "AUDIT_COLUMNS",
    "REGISTER_COLUMNS",
    "Column",
    "ExportCheck",
    "ExportHeader",
    "Format",
    "Json",
    "Kind",
    "ProvenExport",
    "UnreadableExport",
    "csv_chunks",
    "export_doc",
    "export_header",
    "export_response",
    "format_field",
    "jsonl_chunks",
    "proofs_field",
    "proven_response",
    "unquoted",
    "verify_export",
    "write_export",
    "write_proven",
    "write_xlsx",
]
