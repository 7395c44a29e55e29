"""Values as JSON documents: decimals as exact strings, dates ISO 8601, enums by value."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
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


quoted: Callable[[str], str] = json.encoder.encode_basestring
"""The JSON text of a text, as ``compact`` writes it."""


def value_text(value: Json) -> str:
    """The JSON text of one JSON-ready value: texts and nulls without the general encoder."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return quoted(value)
    return compact(value)


def changes_text(changes: Mapping[str, Mapping[str, Json]]) -> str:
    """The JSON text of changes ``{field: {"from": ..., "to": ...}}``, as ``compact`` has it.

    The audit trail writes one per event: built directly, it costs a fraction of the
    general encoder's time.
    """
    fields = [f"{quoted(name)}:{_change_text(change)}" for name, change in sorted(changes.items())]
    return "{" + ",".join(fields) + "}"


def _change_text(change: Mapping[str, Json]) -> str:
    if len(change) != 2 or "from" not in change or "to" not in change:
        return compact(change)
    return f'{{"from":{value_text(change["from"])},"to":{value_text(change["to"])}}}'


def instant(value: datetime) -> str:
    """An instant in UTC, ISO 8601: the same text whatever the session's time zone."""
    return value.astimezone(UTC).isoformat()
