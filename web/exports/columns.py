"""The columns of an export: a name, a kind that says how its values are written, and where
a row keeps the value.

Every kind renders to a JSON-ready value first; each file format writes that value its own
way (CSV: text, null as empty; JSON Lines: as is). The workbook types its cells from the
value as the row keeps it (``Column.raw``): numbers, dates and instants stay what they are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from ledger.store.chain import STAMP_FORMAT

Json = None | bool | int | str | list["Json"] | dict[str, "Json"]
"""A value as JSON has it: decimals and instants are already text."""


class Kind(Enum):
    """How a column's values are written."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    """Plain notation, exactly the digits stored (``90.00`` stays ``90.00``), as text."""
    DATETIME = "datetime"
    """ISO 8601 in UTC with microseconds: ``2026-07-01T09:00:00.000000Z``."""
    DATE = "date"
    BOOLEAN = "boolean"
    JSON = "json"
    """A document: nested in JSON Lines, its canonical JSON text in CSV and XLSX."""


@dataclass(frozen=True)
class Column:
    """One column; ``get`` takes its value from a row (default: the attribute or key
    ``name``)."""

    name: str
    kind: Kind = Kind.TEXT
    get: Callable[[Any], object] | None = None

    def raw(self, row: object) -> object:
        """The value as the row keeps it."""
        return self.get(row) if self.get is not None else field_of(row, self.name)

    def value(self, row: object) -> Json:
        return rendered(self.kind, self.raw(row), self.name)


def field_of(row: object, name: str) -> object:
    if isinstance(row, Mapping):
        return row[name]
    return getattr(row, name)


def rendered(kind: Kind, value: object, name: str = "value") -> Json:
    """``value`` as a column of ``kind`` writes it; None stays None."""
    if value is None:
        return None
    if kind is Kind.JSON:
        return json_ready(value)
    if kind is Kind.TEXT and isinstance(value, str):
        return value
    if kind is Kind.INTEGER and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind is Kind.BOOLEAN and isinstance(value, bool):
        return value
    if kind is Kind.DECIMAL and isinstance(value, (Decimal, int, str)):
        return decimal_text(value)
    if kind is Kind.DATETIME and isinstance(value, datetime):
        return instant_text(value)
    if kind is Kind.DATE and isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"column {name} ({kind.value}) cannot hold {type(value).__name__} {value!r}")


def decimal_text(value: Decimal | int | str) -> str:
    """Text as stored is kept; a Decimal is written in plain notation with all its digits."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise TypeError(f"a decimal cannot be {value!r}")
    return format(Decimal(value), "f")


def instant_text(value: datetime) -> str:
    if value.tzinfo is None:
        raise TypeError(f"an instant needs a time zone: {value!r}")
    return value.astimezone(UTC).strftime(STAMP_FORMAT)


def json_ready(value: object) -> Json:
    """Mappings (keys sorted), sequences, decimals, instants and dates as JSON has them."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, datetime):
        return instant_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): json_ready(value[key]) for key in sorted(value, key=str)}
    if isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        return [json_ready(item) for item in value]
    raise TypeError(f"{type(value).__name__} has no JSON form: {value!r}")
