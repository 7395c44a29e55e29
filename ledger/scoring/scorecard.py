"""A scored plan: the result of scoring, shaped as the API reports it.

Every decimal is held as reported: two places, rounded half up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from ledger.scoring.canonical import hash_of, record
from ledger.values import Aggregation, Direction


@dataclass(frozen=True)
class KpiScore:
    kpi_id: str
    name: str
    unit: str
    direction: Direction
    aggregation: Aggregation
    weight: Decimal
    target: Decimal
    threshold: Decimal | None
    stretch: Decimal | None
    actual: Decimal | None
    achievement: Decimal | None
    measurement_count: int


@dataclass(frozen=True)
class KraScore:
    kra_id: str
    title: str
    weight: Decimal
    score: Decimal | None
    kpis: tuple[KpiScore, ...]


@dataclass(frozen=True)
class Scorecard:
    """One employee's scorecard for one period.

    ``position`` and ``as_of`` say when the ledger's knowledge was read; they are not
    part of the hash, so equal knowledge read at different moments hashes equally.
    """

    employee_id: str
    cycle_id: str
    period: str
    score: Decimal | None
    rating: int | None
    rating_label: str | None
    complete: bool
    kras: tuple[KraScore, ...]
    position: int | None = None
    as_of: str | None = None

    @cached_property
    def hash(self) -> str:
        return hash_of(self._record)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: decimals as strings with two places, enums as their values."""
        return {**self._record, "hash": self.hash}

    @cached_property
    def _record(self) -> dict[str, object]:
        """The fields as JSON-ready data, made once for the hash and the document."""
        return record(self)
