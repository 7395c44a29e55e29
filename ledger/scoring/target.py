"""Which target, threshold and stretch are in force for a KPI in a quarter."""

from __future__ import annotations

from collections.abc import Iterable

from ledger.scoring.inputs import KpiPlan
from ledger.values import TargetChange, TargetSpec


def target_in_force(kpi: KpiPlan, quarter: int) -> TargetSpec:
    """The latest adjustment of ``quarter``; else the revision effective latest at or
    before it (the later recorded among equals); else the KPI's definition."""
    adjustment = _latest(change for change in kpi.adjustments if change.quarter == quarter)
    if adjustment is not None:
        return adjustment.spec
    revision = _latest(change for change in kpi.revisions if change.quarter <= quarter)
    if revision is not None:
        return revision.spec
    return kpi.definition


def _latest(changes: Iterable[TargetChange]) -> TargetChange | None:
    return max(changes, key=_order, default=None)


def _order(change: TargetChange) -> tuple[int, int]:
    return change.quarter, change.sequence
