"""How the pages write values: instants in UTC, scores and deltas with their sign, hashes
short with the whole in a title. Template filters, named in FILTERS."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

MISSING = "—"


def instant(value: str | datetime | None) -> str:
    """``2026-07-01 09:00:00 UTC`` for an ISO 8601 instant; a dash for none."""
    if value is None or value == "":
        return MISSING
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def number(value: str | Decimal | int | None) -> str:
    """A number as the ledger stored it, exactly; a dash for none."""
    if value is None or value == "":
        return MISSING
    return str(value)


def delta(value: str | Decimal | None) -> str:
    """A difference with its sign: ``+5.35``, ``-0.20``, ``0``; a dash for none."""
    if value is None or value == "":
        return MISSING
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if amount > 0:
        return f"+{value}"
    return str(value)


def short_hash(value: str | None, length: int = 12) -> str:
    """``sha256:0a1b2c3d4e5f…`` for a long hash; the whole stays in the page's title text."""
    if not value:
        return MISSING
    algorithm, _, digest = value.rpartition(":")
    prefix = f"{algorithm}:" if algorithm else ""
    return value if len(digest) <= length else f"{prefix}{digest[:length]}…"


FILTERS: dict[str, Callable[..., Any]] = {
    "instant": instant,
    "number": number,
    "delta": delta,
    "short_hash": short_hash,
}
