"""The domain model: aggregates, their events and the values they are made of."""

from ledger.domain.cycle import ReviewCycle
from ledger.domain.definitions import (
    Kpi,
    KpiDefinition,
    Kra,
    KraDefinition,
    Weights,
)
from ledger.domain.employee import Employee, Profile
from ledger.domain.measurements import Measurement, MeasurementLog
from ledger.domain.plan import Plan, PlanStatus
from ledger.domain.review import Review, ReviewRevision, ReviewStatus
from ledger.domain.topics import explicit_topics

__all__ = [
    "Employee",
    "Kpi",
    "KpiDefinition",
    "Kra",
    "KraDefinition",
    "Measurement",
    "MeasurementLog",
    "Plan",
    "PlanStatus",
    "Profile",
    "Review",
    "ReviewCycle",
    "ReviewRevision",
    "ReviewStatus",
    "Weights",
    "explicit_topics",
]
