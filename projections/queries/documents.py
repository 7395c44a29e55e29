"""Reading back the JSON documents the views store: decimals from their strings."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ledger.values import TargetSpec


def loaded(value: Any) -> Any:
    """A jsonb value as Python data, whether the driver parsed it already or not."""
    return json.loads(value) if isinstance(value, str) else value


def decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def required_decimal(value: str) -> Decimal:
    return Decimal(value)


def spec(document: dict[str, Any]) -> TargetSpec:
    return TargetSpec(
        required_decimal(document["target"]),
        decimal(document["threshold"]),
        decimal(document["stretch"]),
    )
