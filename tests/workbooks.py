"""Reading exported workbooks in tests, always closing the file behind them."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from openpyxl import load_workbook


def workbook_rows(source: Path | bytes, sheet: int = 0) -> list[list[Any]]:
    """The cell values of one sheet, row by row, with the workbook closed afterwards."""
    stream = source if isinstance(source, Path) else io.BytesIO(source)
    workbook = load_workbook(stream, read_only=True)
    try:
        return [list(row) for row in workbook.worksheets[sheet].iter_rows(values_only=True)]
    finally:
        workbook.close()
