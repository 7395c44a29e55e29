"""How the ``ledger`` command tells what the ledger refused."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from ledger.errors import LedgerError


@contextmanager
def refusals_as_errors() -> Iterator[None]:
    """What the ledger refuses is told as an error message, not a traceback."""
    try:
        yield
    except LedgerError as refusal:
        raise click.ClickException(refusal.message) from None
