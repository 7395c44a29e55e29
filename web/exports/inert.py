"""Text that a spreadsheet would run as a formula (OWASP "CSV injection"), and how the
CSV keeps it inert.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, tab or carriage return is taken
for a formula by Excel, LibreOffice and Google Sheets when they open a CSV. The CSV writes
such text with a leading ``'``, and so also text that itself begins with ``'``: removing
one leading ``'`` from a text field always gives the stored text back. Numbers the export
writes itself (``-5``, ``-0.25``) are numbers, not formulas, and are left as they are. The
workbook needs none of this: its text is in string cells, which are never formulas.
"""

from __future__ import annotations

import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def begins_like_formula(text: str) -> bool:
    return text.startswith(TRIGGERS)


def is_plain_number(text: str) -> bool:
    return PLAIN_NUMBER.fullmatch(text) is not None


def quoted(text: str) -> str:
    """``text`` as a CSV text field: with a leading ``'`` when it begins like a formula or
    with ``'``."""
    if text.startswith(QUOTE) or begins_like_formula(text):
        return QUOTE + text
    return text


def unquoted(field: str) -> str:
    """The stored text of a CSV text field."""
    return field.removeprefix(QUOTE)
