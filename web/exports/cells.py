"""Values as workbook cells take them: numbers as numbers, dates and instants as dates,
text as text.

A spreadsheet keeps a number as a binary double, exact to 15 significant digits. A decimal
with at most 15 (``85.50``, ``-0.000001``) is a number cell whose format shows the places
it was stored with (``0.00`` for ``85.50``): what is read back is the same number, what is
shown the same digits. A decimal with more (a 30-digit value) is a text cell of all its
digits: exact beats numeric. Instants are dates in UTC shown to the millisecond (a
spreadsheet has no time zones and shows no finer); dates are dates. A date before 1900 or
an instant beyond the spreadsheet's range is text, as the CSV writes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from web.exports.columns import Kind, rendered
from web.exports.comma_separated import canonical, csv_text
from web.exports.inert import begins_like_formula

Value = None | bool | int | float | str | datetime
"""What a cell holds (a date is a datetime at midnight, as a spreadsheet keeps it)."""
NUMBERS = (Kind.DECIMAL, Kind.INTEGER)
EXACT_DIGITS = 15
MAX_PLACES = 30
MAX_ADJUSTED = 307
EARLIEST = date(1900, 1, 1)
INSTANT_FORMAT = "yyyy-mm-dd hh:mm:ss.000"
DATE_FORMAT = "yyyy-mm-dd"
INTEGER_FORMAT = "0"
GENERAL_DIGITS = 11
ESCAPED = re.compile(r"[\x00-\x08\x0b-\x1f]")
"""Control characters XML cannot hold, and carriage return, which XML reads back as a
line feed: all but tab and line feed."""


@dataclass(frozen=True)
class Typed:
    """A cell's value, its number format (None: General), the width of what it shows."""

    value: Value
    number_format: str | None = None
    width: int = 0
    begins_like_formula: bool = False
    """Text a spreadsheet would take for a formula were it typed in."""


def typed(kind: Kind, raw: object, name: str = "value") -> Typed:
    """``raw`` (as the row keeps it) as a cell of a column of ``kind``."""
    if raw is None:
        return Typed(None)
    if kind in NUMBERS and isinstance(raw, (Decimal, int)) and not isinstance(raw, bool):
        return number(Decimal(raw))
    if kind is Kind.DATETIME and isinstance(raw, datetime):
        return instant(raw, name)
    if kind is Kind.DATE and isinstance(raw, date) and not isinstance(raw, datetime):
        return day(raw)
    if kind is Kind.BOOLEAN and isinstance(raw, bool):
        return Typed(raw, width=5)
    value = rendered(kind, raw, name)
    return text(canonical(value) if isinstance(value, (dict, list)) else csv_text(value))


def number(value: Decimal) -> Typed:
    shown = format(value, "f")
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or not exact_as_double(value):
        return text(shown)
    places = max(0, -exponent)
    if places == 0:
        integer = int(value)
        wide = len(str(abs(integer))) > GENERAL_DIGITS
        return Typed(integer, INTEGER_FORMAT if wide else None, len(shown))
    return Typed(float(value), "0." + "0" * places, len(shown))


def exact_as_double(value: Decimal) -> bool:
    """Whether a double holds ``value`` to every digit it has and shows them all."""
    if not value.is_finite():
        return False
    places = max(0, -int(value.as_tuple().exponent))
    significant = len(value.normalize().as_tuple().digits)
    return significant <= EXACT_DIGITS and places <= MAX_PLACES and value.adjusted() <= MAX_ADJUSTED


def instant(value: datetime, name: str) -> Typed:
    try:
        moment = value.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:
        return text(csv_text(rendered(Kind.DATETIME, value, name)))
    if moment.date() < EARLIEST:
        return text(csv_text(rendered(Kind.DATETIME, value, name)))
    return Typed(moment, INSTANT_FORMAT, len(INSTANT_FORMAT))


def day(value: date) -> Typed:
    if value < EARLIEST:
        return text(value.isoformat())
    return Typed(datetime.combine(value, time()), DATE_FORMAT, len(DATE_FORMAT))


def text(value: str) -> Typed:
    """Text as a cell holds it: control characters escaped as OOXML does (``_x0001_``,
    ``_x000D_``), which a spreadsheet reads back as the character."""
    escaped = ESCAPED.sub(_escaped, value)
    width = max((len(line) for line in escaped.splitlines()), default=0)
    return Typed(escaped, width=width, begins_like_formula=begins_like_formula(value))


def _escaped(match: re.Match[str]) -> str:
    return f"_x{ord(match.group()):04X}_"
