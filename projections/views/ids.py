"""Aggregate ids derived from natural keys, remembered: a view derives the same few often."""

from __future__ import annotations

from functools import lru_cache
from uuid import UUID

from ledger.domain.cycle import ReviewCycle
from ledger.domain.measurements import MeasurementLog
from ledger.domain.plan import Plan
from ledger.ids import parse_measurement_id

_REMEMBERED = 1 << 16


@lru_cache(maxsize=_REMEMBERED)
def plan_id(employee_id: str, cycle_id: str) -> UUID:
    return Plan.create_id(employee_id, cycle_id)


@lru_cache(maxsize=_REMEMBERED)
def log_id(employee_id: str, cycle_id: str) -> UUID:
    return MeasurementLog.create_id(employee_id, cycle_id)


@lru_cache(maxsize=_REMEMBERED)
def cycle_id_of(cycle_id: str) -> UUID:
    return ReviewCycle.create_id(cycle_id)


def owner_of(measurement_id: str) -> tuple[str, str]:
    """The employee and cycle of a measurement the ledger recorded (its id is well formed)."""
    return _owner(measurement_id.rpartition(":")[0])


@lru_cache(maxsize=_REMEMBERED)
def _owner(prefix: str) -> tuple[str, str]:
    return parse_measurement_id(f"{prefix}:1")
