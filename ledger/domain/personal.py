"""Which fields of which events are personal data, stored sealed with the employee's key.

An employee's name and the free texts about them (reasons, notes, comments, descriptions on
their plan, measurements and reviews) are personal. Ids, numbers, dates, topics, actors, KRA
titles and KPI names stay in clear: scoring, reproduction, explanation and verification read
them, and actors stay accountable for what they recorded. A path ``changes.name`` names a key
of the event's ``changes`` mapping.
"""

from __future__ import annotations

ERASED = "[erased]"
"""What a personal field reads as once its employee's data key is destroyed."""

_PLAN_CHANGE = ("reason", "changes.description")

PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "ledger:Employee.Registered": ("name",),
    "ledger:Employee.ProfileChanged": ("reason", "changes.name"),
    "ledger:Employee.Left": ("reason",),
    "ledger:Plan.KraDefined": ("description", "reason"),
    "ledger:Plan.KraChanged": _PLAN_CHANGE,
    "ledger:Plan.KraRemoved": ("reason",),
    "ledger:Plan.KpiDefined": ("description", "reason"),
    "ledger:Plan.KpiChanged": _PLAN_CHANGE,
    "ledger:Plan.KpiRemoved": ("reason",),
    "ledger:Plan.Reweighted": ("reason",),
    "ledger:Plan.TargetRevised": ("reason",),
    "ledger:Plan.TargetAdjusted": ("reason",),
    "ledger:MeasurementLog.MeasurementRecorded": ("note",),
    "ledger:MeasurementLog.MeasurementCorrected": ("reason",),
    "ledger:MeasurementLog.MeasurementVoided": ("reason",),
    "ledger:MeasurementLog.Snapshot": ("state",),
    "ledger:Review.Finalized": ("comments",),
    "ledger:Review.Calibrated": ("reason",),
    "ledger:Review.Reopened": ("reason",),
}
"""Per event topic, the fields sealed with the data key of the employee the event is about."""

ERASURE_TOPIC = "ledger:Employee.Erased"
"""The event whose recording destroys the employee's data key, in the same transaction."""
