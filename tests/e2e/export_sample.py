"""Rows for the export tests, and (run as a module) an export measured for its peak memory.

``python -m tests.e2e.export_sample FORMAT ROWS`` writes an export of ROWS rows to nowhere
and prints, as JSON, the bytes written and how much the process's peak resident memory grew
meanwhile (after a small export has warmed it up).
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from web.exports import Column, ExportHeader, Format, Kind, csv_chunks, jsonl_chunks, write_xlsx

RECORDED_AT = datetime(2026, 7, 1, 9, 30, 15, 123456, tzinfo=UTC)
HEADER = ExportHeader(
    "target-revisions",
    120,
    "ab" * 32,
    RECORDED_AT,
    (("cycle_id", "FY2026"), ("recorded_from", "2026-04-01T00:00:00.000000Z")),
)


@dataclass(frozen=True)
class Row:
    position: int
    recorded_at: datetime
    employee_id: str
    target: Decimal | None
    reason: str | None
    effective_date: date | None
    changes: dict[str, dict[str, str | None]]


COLUMNS = (
    Column("position", Kind.INTEGER),
    Column("recorded_at", Kind.DATETIME),
    Column("employee_id"),
    Column("target", Kind.DECIMAL),
    Column("reason"),
    Column("effective_date", Kind.DATE),
    Column("changes", Kind.JSON),
)

INDIA = timezone(timedelta(hours=5, minutes=30))
AWKWARD = (
    Row(
        1,
        datetime(2026, 7, 1, 14, 30, tzinfo=INDIA),
        "E1001",
        Decimal("90.00"),
        'two key accounts, "moved"\nto a new region',
        date(2026, 6, 30),
        {"target": {"from": "90.00", "to": "85"}},
    ),
    Row(2, RECORDED_AT, "E1002", None, None, None, {}),
    Row(
        3,
        RECORDED_AT,
        "E1003",
        Decimal("1E+2"),
        "=HYPERLINK(1)",
        None,
        {"x": {"from": None, "to": "1"}},
    ),
    Row(4, RECORDED_AT, "E1004", Decimal("-0.000001"), "naïve café ✓ \x01", None, {}),
)


def rows(count: int) -> Iterator[Row]:
    for number in range(count):
        yield Row(
            number,
            RECORDED_AT + timedelta(seconds=number),
            f"E{number:07d}",
            Decimal(number) / 100,
            f"reason number {number}, as given",
            date(2026, 6, 30),
            {"target": {"from": str(number), "to": str(number + 1)}},
        )


def written_bytes(fmt: Format, count: int) -> int:
    if fmt is Format.XLSX:
        with tempfile.TemporaryFile() as out:
            write_xlsx(COLUMNS, rows(count), HEADER, out)
            out.seek(0)
            return sum(entry.file_size for entry in zipfile.ZipFile(out).infolist())
    write = csv_chunks if fmt is Format.CSV else jsonl_chunks
    return sum(len(chunk) for chunk in write(COLUMNS, rows(count), HEADER))


def peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    fmt, count = Format(sys.argv[1]), int(sys.argv[2])
    written_bytes(fmt, 2000)
    before = peak_kib()
    size = written_bytes(fmt, count)
    print(json.dumps({"bytes": size, "grown": (peak_kib() - before) * 1024}))


if __name__ == "__main__":
    main()
