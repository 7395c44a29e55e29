"""From what a spreadsheet cell holds to the value a command takes, exactly.

An XLSX number is a binary float: its shortest decimal form is the number the person
typed (``0.1``, never ``0.1000000000000000055``). Dates come as date cells, ISO text or
Excel serial numbers.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

Raw = object
"""What a reader gives for a cell: None, str, int, float, bool, date or datetime."""

NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SERIAL = re.compile(r"\d{1,7}")
EXCEL_EPOCH = date(1899, 12, 30)
LAST_SERIAL = 2_958_465
"""9999-12-31, the last date Excel has."""
DATE_HINT = "write it as 2026-04-30, as a date cell or as an Excel date serial"


class CellValueError(Exception):
    """The cell's content is not a value of its column's kind."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def shown(raw: Raw) -> str | None:
    """The cell's content as the report repeats it."""
    if raw is None:
        return None
    if isinstance(raw, float):
        return _shortest(raw)
    if isinstance(raw, datetime):
        return raw.isoformat(sep=" ")
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw)


def is_blank(raw: Raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def text(raw: Raw) -> str:
    """Text as typed; a number typed in a text column reads as its digits."""
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, bool):
        raise CellValueError("must be text, not TRUE or FALSE")
    if isinstance(raw, int | float):
        return _shortest(float(raw)) if isinstance(raw, float) else str(raw)
    raise CellValueError("must be text")


def number(raw: Raw) -> Decimal:
    """The cell's number; whether the ledger stores so many digits its command checks."""
    if isinstance(raw, bool):
        raise CellValueError("must be a number, not TRUE or FALSE")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(_shortest(raw))
    if isinstance(raw, str):
        return _number_text(raw.strip())
    raise CellValueError("must be a number")


def _number_text(typed: str) -> Decimal:
    if NUMBER.fullmatch(typed):
        return Decimal(typed)
    if GROUPED.fullmatch(typed):
        raise CellValueError("write the number without thousands separators, e.g. 1234.5")
    if DECIMAL_COMMA.fullmatch(typed):
        raise CellValueError("a decimal comma: write the number with a point, e.g. 1.5")
    raise CellValueError("not a number")


def _shortest(value: float) -> str:
    """The shortest decimal that reads back as this float, without an exponent."""
    if value != value or value in (float("inf"), float("-inf")):
        raise CellValueError("not a finite number")
    if value.is_integer():
        return str(int(value))
    text = repr(value)
    if "e" in text or "E" in text:
        return format(Decimal(text), "f")
    return text


def calendar_date(raw: Raw) -> date:
    if isinstance(raw, datetime):
        if raw.time() != datetime.min.time():
            raise CellValueError(f"has a time of day; {DATE_HINT}")
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, bool):
        raise CellValueError(f"not a date; {DATE_HINT}")
    if isinstance(raw, int | float):
        return _serial(raw)
    if isinstance(raw, str):
        typed = raw.strip()
        if ISO_DATE.fullmatch(typed):
            try:
                return date.fromisoformat(typed)
            except ValueError:
                raise CellValueError("no such date") from None
        if SERIAL.fullmatch(typed):
            return _serial(int(typed))
    raise CellValueError(f"not a date; {DATE_HINT}")


def _serial(serial: int | float) -> date:
    if isinstance(serial, float) and not serial.is_integer():
        raise CellValueError(f"an Excel date serial with a time of day; {DATE_HINT}")
    days = int(serial)
    if not 1 <= days <= LAST_SERIAL:
        raise CellValueError(f"not a date (serial {days} is outside Excel's dates); {DATE_HINT}")
    return EXCEL_EPOCH + timedelta(days=days)


def choice(raw: Raw, choices: tuple[str, ...]) -> str:
    typed = text(raw).lower()
    if typed not in choices:
        raise CellValueError(f"must be one of {', '.join(choices)}")
    return typed
