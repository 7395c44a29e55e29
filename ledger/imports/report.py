"""What an import answers: its report, and the mistakes it found, each with its cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Status(Enum):
    VALID = "valid"
    """A dry run that found no mistake: importing the file would write ``events``."""
    COMPLETE = "complete"
    """Every row of the file is in the ledger (written now or by an earlier import)."""
    PARTIAL = "partial"
    """Some chunks were written and then the import stopped: importing again finishes it."""
    INVALID = "invalid"
    """Mistakes were found and nothing was written."""


class Refusal(Enum):
    """Why a file was refused as a whole, when it was."""

    UNREADABLE = "unreadable"
    TOO_LARGE = "too-large"


@dataclass(frozen=True)
class CellError:
    """One mistake: where it is, as the spreadsheet numbers it, and what is wrong.

    ``row`` is the spreadsheet's own row number (the header is row 1); ``sheet``, ``row``
    and ``column`` are None when the mistake is the file's as a whole.
    """

    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


class FileRefused(Exception):
    """The file cannot be imported at all: it is no spreadsheet, or over a limit."""

    def __init__(self, error: CellError, refusal: Refusal = Refusal.UNREADABLE) -> None:
        super().__init__(error.message)
        self.error = error
        self.refusal = refusal


@dataclass(frozen=True)
class ImportReport:
    import_id: str
    file_sha256: str
    dry_run: bool
    status: Status
    rows: int
    """Rows the file holds, headers not counted."""
    events: int
    """Events written by this import (by a dry run: that it would write)."""
    errors: tuple[CellError, ...] = ()
    position: int = 0
    """The ledger's position after the import: its last event's, or the head's."""
    already_imported: int = 0
    """Rows found in the ledger from an earlier import of the same file, not written again."""
    refusal: Refusal | None = None
    file_name: str = ""
    sheets: dict[str, int] = field(default_factory=dict)
    """Rows per sheet."""

    def as_json(self) -> dict[str, object]:
        return {
            "import_id": self.import_id,
            "file_name": self.file_name,
            "file_sha256": self.file_sha256,
            "dry_run": self.dry_run,
            "status": self.status.value,
            "rows": self.rows,
            "sheets": dict(self.sheets),
            "events": self.events,
            "already_imported": self.already_imported,
            "errors": [error.as_json() for error in self.errors],
            "position": self.position,
        }
