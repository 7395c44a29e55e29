"""The file formats of an export, their media types and their writers."""

from __future__ import annotations

from enum import Enum


class Format(Enum):
    CSV = "csv"
    JSONL = "jsonl"
    XLSX = "xlsx"

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self]

    @property
    def extension(self) -> str:
        return self.value


MEDIA_TYPES = {
    Format.CSV: "text/csv",
    Format.JSONL: "application/jsonl",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
