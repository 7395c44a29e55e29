"""Which scorecards an event can change, and from which position on they reflect it.

A measurement, or its correction or void, can change its quarter and the whole cycle; a
target revision the quarters from the one it is effective from, and the whole cycle; an
adjustment its quarter and the whole cycle; any other change of a plan, and any change of
a cycle's policy, every period. A scorecard row stands at the last event that could change
it: the application's scorecard at that position is the row, however the events were
paged, and a page scores only the rows its events reached.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.cycle import ReviewCycle
from ledger.domain.measurements import MeasurementLog
from ledger.domain.plan import Plan
from ledger.periods import QUARTERS, Period, parse_period, quarter_of
from projections.view import PositionedEvent
from projections.views.pairs import Pair, log_pair
from projections.views.states import PageStates

A = TypeVar("A", bound=Aggregate)

Positions = dict[Period, int]
"""The periods of one plan a page reached, each with the last event that reached it."""


def periods_of(cycle_id: str) -> list[Period]:
    return [*(Period(cycle_id, quarter) for quarter in QUARTERS), Period(cycle_id)]


@dataclass
class Reach:
    """The scorecards a page's events reached: by plan, and by cycle for whole cycles."""

    plans: dict[Pair, Positions] = field(default_factory=dict)
    cycles: dict[str, int] = field(default_factory=dict)
    _logs: dict[UUID, tuple[str, date, Positions]] = field(
        default_factory=dict, init=False, repr=False
    )
    """Each measurement log the page measures in: its cycle, the cycle's start and the
    positions of its pair."""

    def mark(self, event: PositionedEvent, states: PageStates) -> None:
        """Note what ``event`` reaches; ``states`` hold its aggregate as it was before it,
        and the cycle of a measurement's log."""
        position = event.position
        match event.event:
            case MeasurementLog.MeasurementRecorded() as recorded:
                cycle_id, start, positions = self._log(event, recorded, states)
                quarter = quarter_of(start, recorded.effective_date)
                _measured(event, cycle_id, quarter, positions)
            case ReviewCycle.Opened() as opened:
                self.cycles[opened.cycle_id] = position
            case ReviewCycle.Event():
                self.cycles[_state(states, event, ReviewCycle).cycle_id] = position
            case Plan.Drafted() as drafted:
                pair = Pair(drafted.employee_id, drafted.cycle_id)
                self._reach(pair, periods_of(pair.cycle_id), position)
            case Plan.TargetRevised() as revised:
                pair = _pair(_state(states, event, Plan))
                first = _quarter(revised.effective_from)
                later = [Period(pair.cycle_id, q) for q in QUARTERS if q >= first]
                self._reach(pair, [*later, Period(pair.cycle_id)], position)
            case Plan.TargetAdjusted() as adjusted:
                pair = _pair(_state(states, event, Plan))
                adjusted_in = Period(pair.cycle_id, _quarter(adjusted.period))
                self._reach(pair, [adjusted_in, Period(pair.cycle_id)], position)
            case Plan.Event():
                pair = _pair(_state(states, event, Plan))
                self._reach(pair, periods_of(pair.cycle_id), position)
            case (
                MeasurementLog.MeasurementCorrected() | MeasurementLog.MeasurementVoided()
            ) as changed:
                cycle_id, start, positions = self._log(event, changed, states)
                log = _state(states, event, MeasurementLog)
                day = log.measurement(changed.measurement_id).effective_date
                _measured(event, cycle_id, quarter_of(start, day), positions)

    def settled(self, pairs: Iterable[Pair]) -> dict[Pair, Positions]:
        """Every period of ``pairs`` that their own events or their cycle's change reached."""
        reached = {pair: dict(self.plans.get(pair, {})) for pair in pairs}
        for pair, positions in reached.items():
            changed = self.cycles.get(pair.cycle_id)
            if changed is not None:
                for period in periods_of(pair.cycle_id):
                    positions[period] = max(positions.get(period, 0), changed)
        return {pair: positions for pair, positions in reached.items() if positions}

    def _log(
        self, event: PositionedEvent, measured: MeasurementLog.Event, states: PageStates
    ) -> tuple[str, date, Positions]:
        """The cycle of the event's measurement log, the cycle's start, its pair's positions."""
        known = self._logs.get(event.originator_id)
        if known is None:
            pair = log_pair(measured)
            cycle = states.get(pair.cycle_uuid, ReviewCycle)
            assert cycle is not None
            positions = self.plans.setdefault(pair, {})
            known = self._logs[event.originator_id] = (pair.cycle_id, cycle.start_date, positions)
        return known

    def logged(self, pair: Pair, position: int) -> None:
        """A rebuild's note that a measurement of ``pair`` changed at ``position``: its
        whole cycle; the quarters come from the log's events when it settles (see
        ``measured``)."""
        positions = self.plans.setdefault(pair, {})
        whole = Period(pair.cycle_id)
        positions[whole] = max(positions.get(whole, 0), position)

    def _reach(self, pair: Pair, periods: Iterable[Period], position: int) -> None:
        positions = self.plans.setdefault(pair, {})
        for period in periods:
            positions[period] = position


def _measured(event: PositionedEvent, cycle_id: str, quarter: int, positions: Positions) -> None:
    for period in measured_periods(cycle_id, quarter):
        positions[period] = event.position


@lru_cache(maxsize=1 << 12)
def measured_periods(cycle_id: str, quarter: int) -> tuple[Period, Period]:
    """What a measurement in ``quarter`` reaches: the quarter and the whole cycle."""
    return Period(cycle_id, quarter), Period(cycle_id)


def _pair(aggregate: Plan | MeasurementLog) -> Pair:
    return Pair(aggregate.employee_id, aggregate.cycle_id)


def _quarter(period_id: str) -> int:
    quarter = parse_period(period_id).quarter
    assert quarter is not None
    return quarter


def _state(states: PageStates, event: PositionedEvent, kind: type[A]) -> A:
    aggregate = states.get(event.originator_id, kind)
    assert aggregate is not None
    return aggregate
