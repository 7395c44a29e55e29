"""Aggregate ids derived from natural keys, remembered: a view derives the same few often."""

from __future__ import annotations

from functools import lru_cache
from uuid import UUID

from ledger.domain.cycle import ReviewCycle
from ledger.domain.measurements import MeasurementLog
from ledger.domain.plan import Plan

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
