"""The columns of the two exports the ledger offers: the target-revision register and the
audit trail (DESIGN section 8), read by name from each row."""

from __future__ import annotations

from typing import Any

from web.exports.columns import Column, Kind

REGISTER_COLUMNS = (
    Column("position", Kind.INTEGER),
    Column("recorded_at", Kind.DATETIME),
    Column("employee_id"),
    Column("cycle_id"),
    Column("kra_id"),
    Column("kpi_id"),
    Column("kind"),
    Column("period"),
    Column("previous_target", Kind.DECIMAL),
    Column("previous_threshold", Kind.DECIMAL),
    Column("previous_stretch", Kind.DECIMAL),
    Column("target", Kind.DECIMAL),
    Column("threshold", Kind.DECIMAL),
    Column("stretch", Kind.DECIMAL),
    Column("actor"),
    Column("reason"),
    Column("approved_by"),
    Column("event_hash"),
)


def changes_of(entry: Any) -> dict[str, object]:
    """An audit entry's changes as ``{field: {"from": …, "to": …}}``."""
    return {name: change.as_json() for name, change in entry.changes.items()}


AUDIT_COLUMNS = (
    Column("position", Kind.INTEGER),
    Column("recorded_at", Kind.DATETIME),
    Column("event_type"),
    Column("actor"),
    Column("reason"),
    Column("approved_by"),
    Column("employee_id"),
    Column("cycle_id"),
    Column("kra_id"),
    Column("kpi_id"),
    Column("measurement_id"),
    Column("period"),
    Column("effective_date", Kind.DATE),
    Column("changes", Kind.JSON, get=changes_of),
    Column("event_hash"),
    Column("provenance", Kind.JSON),
)
