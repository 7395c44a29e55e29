"""Fields shared by the API's schemas: numbers, keys, periods and texts as the ledger takes them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError, fields, validate

from ledger.domain.checks import NAME_MAX_LENGTH, TEXT_MAX_LENGTH, check_instant
from ledger.errors import InvalidInput
from ledger.ids import KEY_PATTERN, KEY_RULE
from ledger.values import MAX_FRACTION_DIGITS, MAX_INTEGER_DIGITS, check_decimal

DECIMAL_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")
DECIMAL_RULE = (
    f"a finite decimal, as a number or a string, with at most {MAX_INTEGER_DIGITS} digits "
    f"before the point and {MAX_FRACTION_DIGITS} after it"
)
QUARTER_PATTERN = rf"^{KEY_PATTERN.pattern}-Q[1-4]$"


class Number(fields.Field[Decimal]):
    """A decimal accepted as a JSON number or a string; NaN, Infinity and excess digits refused."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, Decimal, str, float)):
            raise ValidationError(DECIMAL_RULE)
        if isinstance(value, str) and not DECIMAL_TEXT.fullmatch(value):
            raise ValidationError(DECIMAL_RULE)
        try:
            number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
            check_decimal(number, attr or "value")
        except (InvalidInput, ArithmeticError):
            raise ValidationError(DECIMAL_RULE) from None
        return number

    def _serialize(self, value: Decimal | None, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else format(value, "f")


class Instant(fields.AwareDateTime):
    """An ISO 8601 instant with a time zone, given in UTC; refused when UTC cannot hold it."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> datetime:
        instant = super()._deserialize(value, attr, data, **kwargs)
        try:
            return check_instant(instant, attr or "instant")
        except InvalidInput as exc:
            raise ValidationError(exc.fields.get(attr or "instant", exc.message)) from None


class DecimalText(fields.Field[Decimal]):
    """A decimal in a response: always a string in plain notation."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is None:
            return None
        return format(Decimal(value), "f")


def key_field(**kwargs: Any) -> fields.String:
    """A natural key such as ``E1001`` or ``client-retention``."""
    return fields.String(
        validate=validate.Regexp(f"^{KEY_PATTERN.pattern}$", error=KEY_RULE), **kwargs
    )


def quarter_field(**kwargs: Any) -> fields.String:
    """A quarter of a cycle: ``FY2026-Q3``."""
    return fields.String(
        validate=validate.Regexp(QUARTER_PATTERN, error="must be <cycle_id>-Q1 .. -Q4"), **kwargs
    )


def short_text(**kwargs: Any) -> fields.String:
    """A short text: a name, a title, a label."""
    return fields.String(validate=validate.Length(max=NAME_MAX_LENGTH), **kwargs)


def long_text(**kwargs: Any) -> fields.String:
    """A longer text: a description, a reason, a note."""
    return fields.String(validate=validate.Length(max=TEXT_MAX_LENGTH), **kwargs)


def reason_field(**kwargs: Any) -> fields.String:
    """Why something in force changes; required by the ledger once a plan is active."""
    kwargs.setdefault("load_default", None)
    kwargs.setdefault("metadata", {"description": "why; required for changes already in force"})
    return long_text(allow_none=True, **kwargs)


NUMBER_PROPERTIES = {
    "oneOf": [
        {"type": "string", "pattern": f"^{DECIMAL_TEXT.pattern}$", "maxLength": 40},
        {"type": "number"},
    ],
    "description": DECIMAL_RULE,
}
DECIMAL_TEXT_PROPERTIES = {"type": "string", "description": "a decimal in plain notation"}


def openapi_properties(converter: Any, field: fields.Field[Any], **kwargs: Any) -> dict[str, Any]:
    """How apispec documents the fields above (registered as a converter's attribute function)."""
    if isinstance(field, Number):
        return dict(NUMBER_PROPERTIES)
    if isinstance(field, DecimalText):
        return dict(DECIMAL_TEXT_PROPERTIES)
    return {}
