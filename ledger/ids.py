"""Identifiers: natural keys chosen by clients, and the aggregate ids derived from them."""

from __future__ import annotations

import re
from uuid import NAMESPACE_URL, UUID, uuid5

from ledger.errors import InvalidInput

NAMESPACE = uuid5(NAMESPACE_URL, "https://performance-ledger.org/ids")

KEY_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
KEY_RULE = "1 to 64 characters: letters, digits, '_', '.' or '-', starting with a letter or digit"


def check_key(value: str, field: str) -> str:
    """The natural key itself, or an InvalidInput naming the field."""
    if not isinstance(value, str) or not KEY_PATTERN.fullmatch(value):
        raise InvalidInput(f"{field} {value!r} is not a valid key: {KEY_RULE}", {field: KEY_RULE})
    return value


def _uuid(kind: str, *parts: str) -> UUID:
    return uuid5(NAMESPACE, f"{kind}:{'/'.join(parts)}")


def employee_uuid(employee_id: str) -> UUID:
    return _uuid("employee", employee_id)


def cycle_uuid(cycle_id: str) -> UUID:
    return _uuid("cycle", cycle_id)


def plan_uuid(employee_id: str, cycle_id: str) -> UUID:
    return _uuid("plan", employee_id, cycle_id)


def measurement_log_uuid(employee_id: str, cycle_id: str) -> UUID:
    return _uuid("measurement-log", employee_id, cycle_id)


def review_uuid(employee_id: str, period_id: str) -> UUID:
    return _uuid("review", employee_id, period_id)


def measurement_id(employee_id: str, cycle_id: str, number: int) -> str:
    """The id of the ``number``-th measurement (1, 2, ...) in a measurement log."""
    return f"{employee_id}:{cycle_id}:{number}"


def parse_measurement_id(value: str) -> tuple[str, str]:
    """``E1001:FY2026:7`` -> ``("E1001", "FY2026")``; InvalidInput when malformed."""
    parts = value.split(":") if isinstance(value, str) else []
    if (
        len(parts) != 3
        or not KEY_PATTERN.fullmatch(parts[0])
        or not KEY_PATTERN.fullmatch(parts[1])
        or not re.fullmatch(r"[1-9][0-9]{0,9}", parts[2])
    ):
        message = "not a measurement id (<employee_id>:<cycle_id>:<number>)"
        raise InvalidInput(f"{value!r} is {message}", {"measurement_id": message})
    return parts[0], parts[1]


def measurement_number(value: str) -> int | None:
    """``E1001:FY2026:7`` -> 7; None when the id does not end in a number."""
    _, _, number = value.rpartition(":")
    return int(number) if number.isdigit() and number.isascii() else None
