"""What an export names besides its rows: the ledger position it was taken at, the chain
hash there, when that position was recorded, and the filters that chose the rows.

CSV and JSON Lines carry the position and chain hash on every row (``stamp``); the workbook
names them all on a sheet of its own; every response in its headers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from ledger.application import LedgerApp
from ledger.errors import InvalidInput
from ledger.store.chain import GENESIS
from ledger.store.records import ChainHead
from web.exports.columns import instant_text

TITLE = "performance-ledger export"
POSITION_COLUMN = "export_position"
CHAIN_HASH_COLUMN = "export_chain_hash"


@dataclass(frozen=True)
class ExportHeader:
    """``recorded_at`` is None only for an empty ledger (position 0)."""

    kind: str
    """What the rows are, as a slug: ``target-revisions``, ``audit``."""
    position: int
    chain_hash: str
    """Lowercase hex of the chain hash at ``position``."""
    recorded_at: datetime | None
    filters: tuple[tuple[str, str], ...] = ()
    """The filters given, by name, as text (instants in UTC), in a fixed order."""

    @property
    def recorded_at_text(self) -> str | None:
        return None if self.recorded_at is None else instant_text(self.recorded_at)

    def stamp(self) -> tuple[tuple[str, int | str], ...]:
        """The columns CSV and JSON Lines add to every row: the position and chain hash."""
        return ((POSITION_COLUMN, self.position), (CHAIN_HASH_COLUMN, self.chain_hash))


def export_header(
    app: LedgerApp,
    kind: str,
    position: int | None = None,
    filters: Mapping[str, object] | None = None,
) -> ExportHeader:
    """The header of an export of ``kind`` at ``position`` (default: the chain's head).

    Filters left None are not named. Raises InvalidInput when no event is recorded at
    ``position``.
    """
    link = app.records.head() if position is None else link_at(app, position)
    return ExportHeader(
        kind=kind,
        position=link.position,
        chain_hash=link.chain_hash.hex(),
        recorded_at=link.recorded_at,
        filters=tuple(
            (name, filter_text(value))
            for name, value in (filters or {}).items()
            if value is not None
        ),
    )


def link_at(app: LedgerApp, position: int) -> ChainHead:
    if position == 0:
        return ChainHead(0, GENESIS, None)
    link = app.records.link_at(position)
    if link is None:
        message = f"must be the position of an event; none is recorded at {position}"
        raise InvalidInput(f"position {message}", {"position": message})
    return link


def filter_text(value: object) -> str:
    if isinstance(value, datetime):
        return instant_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
