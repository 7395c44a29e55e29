"""Values as JSON documents: decimals as exact strings, dates ISO 8601, enums by value."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum

Json = None | bool | int | str | list["Json"] | dict[str, "Json"]


def plain(value: object) -> Json:
    """``value`` as JSON-ready data; a decimal keeps every digit it was recorded with."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return instant(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return plain(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return {field.name: plain(getattr(value, field.name)) for field in fields}
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    raise TypeError(f"no JSON form for {type(value).__name__}")


def dumps(value: object) -> str:
    """The JSON text of ``value``, keys sorted, compact: the same value, the same text."""
    return compact(plain(value))


def compact(document: Json | Mapping[str, object]) -> str:
    """The JSON text of a document that is JSON-ready already."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def instant(value: datetime) -> str:
    """An instant in UTC, ISO 8601: the same text whatever the session's time zone."""
    return value.astimezone(UTC).isoformat()
