"""A sheet as a reader found it: its header and its rows, numbered as the spreadsheet does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ledger.imports.cells import Raw


@dataclass(frozen=True)
class Table:
    name: str
    header: tuple[Raw, ...]
    rows: Sequence[tuple[int, Sequence[Raw]]]
    """(row number, cells in header order); blank rows left out."""
    header_row: int = 1
