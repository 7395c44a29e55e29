"""Checks of the plain values commands carry: actors, names, texts, reasons and instants."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

from ledger.errors import InvalidInput
from ledger.values import check_decimal

NAME_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 2000
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
"""NUL, which PostgreSQL text cannot hold, and lone surrogates, which UTF-8 cannot encode."""
UNSTORABLE_RULE = "must not contain NUL characters or lone surrogates"


def check_text(
    value: str, field: str, *, required: bool = True, max_length: int = NAME_MAX_LENGTH
) -> str:
    """The text without surrounding blanks; InvalidInput when blank (if required) or too long."""
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be text", {field: "must be text"})
    text = value.strip()
    if UNSTORABLE.search(text):
        raise InvalidInput(f"{field} {UNSTORABLE_RULE}", {field: UNSTORABLE_RULE})
    if required and not text:
        raise InvalidInput(f"{field} is required", {field: "required"})
    if len(text) > max_length:
        message = f"at most {max_length} characters"
        raise InvalidInput(f"{field}: {message}", {field: message})
    return text


def check_actor(actor: str) -> str:
    return check_text(actor, "actor")


def check_reason(reason: str | None, *, required: bool) -> str | None:
    """A reason, or None when none was given and none is required."""
    if reason is None or (isinstance(reason, str) and not reason.strip()):
        if required:
            raise InvalidInput("a reason is required", {"reason": "required"})
        return None
    return check_text(reason, "reason", max_length=TEXT_MAX_LENGTH)


def require_reason(reason: str | None) -> str:
    checked = check_reason(reason, required=True)
    assert checked is not None
    return checked


def check_optional_name(value: str | None, field: str) -> str | None:
    """A name that may be left out; blank counts as left out."""
    if value is None:
        return None
    return check_text(value, field, required=False) or None


def check_date(value: date, field: str) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidInput(f"{field} must be a date", {field: "must be a date"})
    return value


def check_number(value: Decimal, field: str) -> Decimal:
    """A Decimal within what the ledger stores (see ``ledger.values.check_decimal``)."""
    if not isinstance(value, Decimal):
        raise InvalidInput(f"{field} must be a number", {field: "must be a number"})
    check_decimal(value, field)
    return value


def check_instant(value: datetime, field: str) -> datetime:
    """The instant in UTC; InvalidInput without a time zone, or when UTC falls outside the
    years 1 to 9999 (``9999-12-31T23:59:59-12:00`` is in the year 10000 there)."""
    if not isinstance(value, datetime) or value.utcoffset() is None:
        message = "must be an instant with a time zone"
        raise InvalidInput(f"{field} {message}", {field: message})
    try:
        return value.astimezone(UTC)
    except OverflowError:
        message = f"must lie between {datetime.min.isoformat()}Z and {datetime.max.isoformat()}Z"
        raise InvalidInput(f"{field} {message}", {field: message}) from None
