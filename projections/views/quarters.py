"""The quarter of every measurement a rebuild has seen recorded, a byte each.

While rebuilding, the scorecards view keeps no measurement logs: they are most of the
ledger, and kept whole for a long history they would not fit in memory. A correction or a
void reaches the quarter of the measurement it changes, which a log would have told; this
remembers that quarter instead, from the measurement's recording, by its number in its log.
A measurement's effective date never changes, so what is noted here stays true.
"""

from __future__ import annotations

from uuid import UUID

from ledger.ids import measurement_number


class MeasuredQuarters:
    """Quarters of measurements by log and measurement number; 0 where none is noted."""

    def __init__(self) -> None:
        self._logs: dict[UUID, bytearray] = {}

    def note(self, log_id: UUID, measurement_id: str, quarter: int) -> None:
        number = measurement_number(measurement_id)
        if number is None or not 0 < quarter < 256:
            return
        quarters = self._logs.setdefault(log_id, bytearray())
        if len(quarters) < number:
            quarters.extend(bytes(number - len(quarters)))
        quarters[number - 1] = quarter

    def quarter(self, log_id: UUID, measurement_id: str) -> int | None:
        number = measurement_number(measurement_id)
        quarters = self._logs.get(log_id)
        if number is None or quarters is None or not 0 < number <= len(quarters):
            return None
        return quarters[number - 1] or None

    def clear(self) -> None:
        self._logs.clear()
