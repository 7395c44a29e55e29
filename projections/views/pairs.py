"""Employees in cycles: what a plan, its measurements and its cycle's policy have in common."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from ledger.domain.cycle import ReviewCycle
from ledger.domain.measurements import MeasurementLog
from ledger.domain.plan import Plan
from projections.view import PositionedEvent
from projections.views.ids import cycle_id_of, log_id, owner_of, plan_id
from projections.views.states import PageStates
from projections.views.topics import LOG_TOPICS


@dataclass(frozen=True)
class Pair:
    """One employee in one cycle: a plan, its measurements and the cycle's policy."""

    employee_id: str
    cycle_id: str

    @property
    def plan_id(self) -> UUID:
        return plan_id(self.employee_id, self.cycle_id)

    @property
    def log_id(self) -> UUID:
        return log_id(self.employee_id, self.cycle_id)

    @property
    def cycle_uuid(self) -> UUID:
        return cycle_id_of(self.cycle_id)

    @property
    def ids(self) -> tuple[UUID, UUID, UUID]:
        return self.plan_id, self.log_id, self.cycle_uuid


def log_pair(event: MeasurementLog.Event) -> Pair:
    """The pair of a measurement log's event, from the event alone: a measurement's id
    names its employee and cycle."""
    match event:
        case MeasurementLog.Started():
            return Pair(event.employee_id, event.cycle_id)
        case (
            MeasurementLog.MeasurementRecorded()
            | MeasurementLog.MeasurementCorrected()
            | MeasurementLog.MeasurementVoided()
        ):
            employee_id, cycle_id = owner_of(event.measurement_id)
            return Pair(employee_id, cycle_id)
    raise TypeError(f"not an event of a measurement log: {type(event).__name__}")


def _remembered(logs: dict[UUID, Pair], event: PositionedEvent) -> Pair:
    logged = event.event
    if not isinstance(logged, MeasurementLog.Event):
        raise TypeError(f"not an event of a measurement log: {type(logged).__name__}")
    pair = logs[event.originator_id] = log_pair(logged)
    return pair


def touched(
    page: Sequence[PositionedEvent], states: PageStates, logs: dict[UUID, Pair] | None = None
) -> tuple[dict[Pair, None], dict[str, None]]:
    """The pairs whose plan or measurements the page changes, and the cycles it changes.

    ``states`` holds the page's plans and cycles as they stood before it (measurement logs
    name their pair in every event); an aggregate the page creates names its pair in its
    first event. ``logs``, when given, remembers each measurement log's pair, so that a
    log's events need not be decoded again to name it.
    """
    pairs: dict[Pair, None] = {}
    cycles: dict[str, None] = {}
    seen: set[UUID] = set()
    for event in page:
        if event.originator_id in seen:
            continue
        seen.add(event.originator_id)
        if logs is not None and event.topic in LOG_TOPICS:
            pairs[logs.get(event.originator_id) or _remembered(logs, event)] = None
            continue
        match event.event:
            case Plan.Drafted() | MeasurementLog.Started() as created:
                pairs[Pair(created.employee_id, created.cycle_id)] = None
            case ReviewCycle.Opened() as opened:
                cycles[opened.cycle_id] = None
            case Plan.Event():
                plan = states.get(event.originator_id, Plan)
                assert plan is not None
                pairs[Pair(plan.employee_id, plan.cycle_id)] = None
            case MeasurementLog.Event() as measured:
                pairs[log_pair(measured)] = None
            case ReviewCycle.Event():
                cycle = states.get(event.originator_id, ReviewCycle)
                assert cycle is not None
                cycles[cycle.cycle_id] = None
    return pairs, cycles
