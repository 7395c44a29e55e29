"""An export as an HTTP response: CSV and JSON Lines stream row by row as they are read;
XLSX is written to a spooled temporary file first, then streamed with its length.

With proofs, the response is the zip ``proven`` writes (spooled first, then streamed with
its length). Every response names the export's position and chain hash in ``X-Ledger-Position`` and
``X-Ledger-Chain-Hash`` (and when that position was recorded in ``X-Ledger-Recorded-At``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from tempfile import SpooledTemporaryFile
from typing import IO, Any

from flask import Response
from marshmallow import fields, validate

from ledger.application import LedgerApp
from ledger.config import Settings
from web.exports.columns import Column
from web.exports.comma_separated import csv_chunks
from web.exports.formats import MEDIA_TYPES, Format
from web.exports.header import ExportHeader
from web.exports.json_lines import jsonl_chunks
from web.exports.proven import proven_file_name, write_proven
from web.exports.workbook import write_xlsx

ZIP = "application/zip"
SPOOL_BYTES = 8 << 20
READ_BYTES = 64 * 1024
HEADERS_DOC = {
    "X-Ledger-Position": {
        "description": "the ledger position the export was taken at",
        "schema": {"type": "integer"},
    },
    "X-Ledger-Chain-Hash": {
        "description": "the chain hash at that position (hex)",
        "schema": {"type": "string"},
    },
    "X-Ledger-Recorded-At": {
        "description": "when that position was recorded (empty for an empty ledger)",
        "schema": {"type": "string"},
    },
}


def export_response(
    fmt: Format, columns: Sequence[Column], rows: Iterable[object], header: ExportHeader
) -> Response:
    """The export as a download. The first row is read before answering, so a failure to
    read the rows becomes a problem response instead of a truncated file."""
    headers = ledger_headers(header)
    headers["Content-Disposition"] = f'attachment; filename="{file_name(fmt, header)}"'
    if fmt is Format.XLSX:
        spooled = spooled_xlsx(columns, rows, header)
        headers["Content-Length"] = str(spooled.seek(0, 2))
        spooled.seek(0)
        return Response(read_out(spooled), mimetype=fmt.media_type, headers=headers)
    source = iter(rows)
    first = next(source, None)
    primed = source if first is None else chain([first], source)
    write = csv_chunks if fmt is Format.CSV else jsonl_chunks
    body = closing(write(columns, primed, header), source)
    mimetype = f"{fmt.media_type}; charset=utf-8"
    return Response(body, content_type=mimetype, headers=headers)


def proven_response(
    app: LedgerApp,
    settings: Settings,
    fmt: Format,
    columns: Sequence[Column],
    rows: Iterable[object],
    header: ExportHeader,
) -> Response:
    """The export with its proofs, as one zip to download."""
    headers = ledger_headers(header)
    headers["Content-Disposition"] = f'attachment; filename="{proven_file_name(fmt, header)}"'
    spooled: IO[bytes] = SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    try:
        write_proven(app, settings, fmt, columns, rows, header, spooled)
    except BaseException:
        spooled.close()
        raise
    headers["Content-Length"] = str(spooled.seek(0, 2))
    spooled.seek(0)
    return Response(read_out(spooled), mimetype=ZIP, headers=headers)


def ledger_headers(header: ExportHeader) -> dict[str, str]:
    return {
        "X-Ledger-Position": str(header.position),
        "X-Ledger-Chain-Hash": header.chain_hash,
        "X-Ledger-Recorded-At": header.recorded_at_text or "",
    }


def file_name(fmt: Format, header: ExportHeader) -> str:
    return f"{header.kind}-{header.position}.{fmt.extension}"


def spooled_xlsx(
    columns: Sequence[Column], rows: Iterable[object], header: ExportHeader
) -> IO[bytes]:
    spooled: IO[bytes] = SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    try:
        write_xlsx(columns, rows, header, spooled)
    except BaseException:
        spooled.close()
        raise
    return spooled


def read_out(file: IO[bytes]) -> Iterator[bytes]:
    with file:
        while chunk := file.read(READ_BYTES):
            yield chunk


def closing(chunks: Iterator[bytes], rows: Iterator[object]) -> Iterator[bytes]:
    """The chunks; the rows' source is closed when the response ends, even half sent."""
    try:
        yield from chunks
    finally:
        close = getattr(rows, "close", None)
        if callable(close):
            close()


def format_field(**kwargs: Any) -> fields.String:
    """The ``format`` query parameter of an export."""
    return fields.String(
        load_default=Format.CSV.value,
        validate=validate.OneOf([fmt.value for fmt in Format]),
        metadata={"description": "csv (default), jsonl or xlsx"},
        **kwargs,
    )


def proofs_field(**kwargs: Any) -> fields.Boolean:
    """The ``proofs`` query parameter of an export."""
    return fields.Boolean(
        load_default=False,
        metadata={
            "description": (
                "true: a zip of the export (unchanged), the signed tree head at its position"
                " and each row's inclusion proof; check it with `ledger verify-export`"
            )
        },
        **kwargs,
    )


def export_doc() -> dict[str, Any]:
    """The OpenAPI description of an export's 200, for ``Blueprint.doc``."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "responses": {
            "200": {
                "description": (
                    "the export; its position and chain hash in the headers and, in CSV"
                    " and JSON Lines, in the last two columns of every row; with proofs,"
                    " a zip of the export and its proofs"
                ),
                "content": dict.fromkeys([*MEDIA_TYPES.values(), ZIP], binary),
                "headers": HEADERS_DOC,
            }
        }
    }
