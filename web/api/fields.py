"""Fields shared by the API's schemas: numbers, keys, periods and texts as the ledger takes them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError, fields, validate

from ledger.domain.checks import NAME_MAX_LENGTH, TEXT_MAX_LENGTH, UNSTORABLE_RULE, check_instant
from ledger.errors import InvalidInput
from ledger.ids import KEY_PATTERN, KEY_RULE
from ledger.values import MAX_FRACTION_DIGITS, MAX_INTEGER_DIGITS, check_decimal

DECIMAL_TEXT = re.compile(
    rf"-?[0-9]{{1,{MAX_INTEGER_DIGITS}}}(\.[0-9]{{1,{MAX_FRACTION_DIGITS}}})?"
)
DECIMAL_RULE = (
    f"a decimal, as a number or a string in plain notation, with at most {MAX_INTEGER_DIGITS}"
    f" digits before the point and {MAX_FRACTION_DIGITS} after it"
)
KEY = KEY_PATTERN.pattern
QUARTER_PATTERN = rf"^{KEY}-Q[1-4]$"
PERIOD_PATTERN = rf"^{KEY}(-Q[1-4])?$"
PERIOD_RULE = "a quarter of a cycle (<cycle_id>-Q1 .. -Q4), or the cycle id for the whole cycle"
MEASUREMENT_ID_PATTERN = rf"^{KEY}:{KEY}:[1-9][0-9]{{0,9}}$"
BLANKS = r"\u0009-\u000d\u001c-\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
UNSTORABLE = r"\u0000"
"""What PostgreSQL's text cannot hold, as a pattern can say it: NUL. (Surrogates standing
alone are refused too, but a range of them is no pattern every JSON Schema reader takes.)"""
STORABLE = f"[^{UNSTORABLE}]"
NOT_BLANK = f"[^{BLANKS}{UNSTORABLE}]"
"""A character Python's ``str.strip`` keeps, spelled alike for ECMA and Python regexes."""
TEXT_PATTERN = f"^{STORABLE}*$"
NOT_BLANK_TEXT_PATTERN = f"^{STORABLE}*{NOT_BLANK}{STORABLE}*$"


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
    return fields.String(validate=validate.Regexp(f"^{KEY}$", error=KEY_RULE), **kwargs)


def quarter_field(**kwargs: Any) -> fields.String:
    """A quarter of a cycle: ``FY2026-Q3``."""
    return fields.String(
        validate=validate.Regexp(QUARTER_PATTERN, error="must be <cycle_id>-Q1 .. -Q4"), **kwargs
    )


def period_field(**kwargs: Any) -> fields.String:
    """A quarter of a cycle (``FY2026-Q3``) or a whole cycle (``FY2026``)."""
    kwargs.setdefault("metadata", {"description": PERIOD_RULE})
    return fields.String(validate=validate.Regexp(PERIOD_PATTERN, error=PERIOD_RULE), **kwargs)


def short_text(*, blank: bool = True, **kwargs: Any) -> fields.String:
    """A short text: a name, a title, a label; ``blank=False`` when the ledger needs one."""
    return fields.String(validate=text_rules(NAME_MAX_LENGTH, blank=blank), **kwargs)


def long_text(*, blank: bool = True, **kwargs: Any) -> fields.String:
    """A longer text: a description, a reason, a note."""
    return fields.String(validate=text_rules(TEXT_MAX_LENGTH, blank=blank), **kwargs)


def text_rules(max_length: int, *, blank: bool) -> list[validate.Validator]:
    """Its length, and its characters in one pattern (JSON Schema has one per field)."""
    if blank:
        storable = validate.Regexp(TEXT_PATTERN, error=UNSTORABLE_RULE)
        return [validate.Length(max=max_length), storable]
    filled = validate.Regexp(
        NOT_BLANK_TEXT_PATTERN, error=f"required: not blank; {UNSTORABLE_RULE}"
    )
    return [validate.Length(max=max_length), filled]


def reason_field(**kwargs: Any) -> fields.String:
    """Why something in force changes; required by the ledger once a plan is active."""
    kwargs.setdefault("load_default", None)
    kwargs.setdefault("metadata", {"description": "why; required for changes already in force"})
    return long_text(allow_none=True, **kwargs)


def required_reason(**kwargs: Any) -> fields.String:
    """Why; for changes that always need one."""
    kwargs.setdefault("metadata", {"description": "why; required"})
    return long_text(blank=False, required=True, **kwargs)


NUMBER_LIMIT = 10**MAX_INTEGER_DIGITS
NUMBER_PROPERTIES = {
    "oneOf": [
        {"type": "string", "pattern": f"^{DECIMAL_TEXT.pattern}$"},
        {
            "type": "number",
            "minimum": -NUMBER_LIMIT,
            "exclusiveMinimum": True,
            "maximum": NUMBER_LIMIT,
            "exclusiveMaximum": True,
            "multipleOf": 10.0**-MAX_FRACTION_DIGITS,
        },
    ],
    "description": DECIMAL_RULE,
}
DECIMAL_TEXT_PROPERTIES = {"type": "string", "description": "a decimal in plain notation"}


POINT_RULE = (
    "a position (120), an instant with a time zone (2026-07-01T09:00:00Z)"
    " or a revision of the period's review (r2)"
)
REVISION = "(?:[Rr]|[Rr][Ee][Vv]|[Rr][Ee][Vv][Ii][Ss][Ii][Oo][Nn])"
POINT_FORMS = [
    {"type": "string", "pattern": "^[0-9]{1,18}$"},
    {"type": "string", "pattern": f"^{REVISION}[:-]?[1-9][0-9]{{0,8}}$"},
    {"type": "string", "format": "date-time"},
]


def point_field(**kwargs: Any) -> fields.String:
    """One end of an explanation: a position, an instant or a review revision."""
    description = kwargs.pop("description", POINT_RULE)
    metadata = {"description": description, "anyOf": POINT_FORMS}
    return fields.String(validate=validate.Length(1, 64), metadata=metadata, **kwargs)


PATH_PARAMETERS: dict[str, dict[str, Any]] = {
    "employee_id": {"type": "string", "pattern": f"^{KEY}$", "description": KEY_RULE},
    "cycle_id": {"type": "string", "pattern": f"^{KEY}$", "description": KEY_RULE},
    "kra_id": {"type": "string", "pattern": f"^{KEY}$", "description": KEY_RULE},
    "kpi_id": {"type": "string", "pattern": f"^{KEY}$", "description": KEY_RULE},
    "period": {"type": "string", "pattern": PERIOD_PATTERN, "description": PERIOD_RULE},
    "measurement_id": {
        "type": "string",
        "pattern": MEASUREMENT_ID_PATTERN,
        "description": "<employee_id>:<cycle_id>:<number>, as recording it answered",
    },
    "job_id": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
    "token_id": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
}
"""How each path parameter of the API is spelled, by its name in the routes."""


def openapi_properties(converter: Any, field: fields.Field[Any], **kwargs: Any) -> dict[str, Any]:
    """How apispec documents the fields above (registered as a converter's attribute function)."""
    if isinstance(field, Number):
        return dict(NUMBER_PROPERTIES)
    if isinstance(field, DecimalText):
        return dict(DECIMAL_TEXT_PROPERTIES)
    return {}
