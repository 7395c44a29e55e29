"""How much one import may hold: a file within them cannot exhaust the server."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 32 * MB
    """The file as sent; over the HTTP request limit the API refuses it unread."""
    uncompressed_bytes: int = 256 * MB
    """An XLSX's parts once unzipped, all together: no zip bomb."""
    zip_entries: int = 1000
    rows: int = 250_000
    """Rows of all sheets together, headers not counted."""
    columns: int = 64
    errors: int = 1000
    """Mistakes reported; past that the report says how many more there were not listed."""
    chunk_rows: int = 2000
    """Rows written in one atomic save with its own idempotency key."""


DEFAULT_LIMITS = Limits()
