"""The canonical bytes of a scorecard and the hash over them.

Canonical JSON: the scorecard without ``position``, ``as_of`` and ``hash``; keys
sorted; separators ``,`` and ``:``; UTF-8; every decimal as a string with exactly two
places (half up); enums as their values; None as null; tuples as lists.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import TYPE_CHECKING

from ledger.scoring.precision import reported

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    from ledger.scoring.scorecard import Scorecard

UNHASHED_FIELDS = frozenset({"position", "as_of"})


def canonical_json(card: Scorecard) -> bytes:
    return canonical_of(record(card))


def scorecard_hash(card: Scorecard) -> str:
    return hash_of(record(card))


def canonical_of(fields: dict[str, object]) -> bytes:
    """The canonical bytes of a scorecard given as its ``record``."""
    hashed = {key: value for key, value in fields.items() if key not in UNHASHED_FIELDS}
    text = json.dumps(hashed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def hash_of(fields: dict[str, object]) -> str:
    """The hash of a scorecard given as its ``record``."""
    return "sha256:" + hashlib.sha256(canonical_of(fields)).hexdigest()


def record(instance: DataclassInstance) -> dict[str, object]:
    """A dataclass instance as a JSON-ready dict of its fields."""
    return {name: plain(getattr(instance, name)) for name in _field_names(type(instance))}


@cache
def _field_names(kind: type[DataclassInstance]) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(kind))


_AS_IS = frozenset({str, int, bool, type(None)})


def plain(value: object) -> object:
    """``value`` as JSON-ready data."""
    if type(value) in _AS_IS:
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return record(value)
    if isinstance(value, (tuple, list)):
        return [plain(item) for item in value]
    if isinstance(value, Decimal):
        return str(reported(value))
    if isinstance(value, Enum):
        return value.value
    return value
