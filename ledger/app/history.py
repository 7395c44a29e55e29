"""Queries of recorded time: the aggregates and scorecards as the ledger knew them."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from ledger.app.measuring import MeasurementCommands
from ledger.domain.cycle import ReviewCycle
from ledger.domain.measurements import MeasurementLog
from ledger.domain.plan import Plan
from ledger.errors import InvalidInput, NotFound
from ledger.periods import parse_period
from ledger.scoring import Scorecard
from ledger.scoring.aggregates import Knowledge, scorecard_of
from ledger.store.chain import Verification
from ledger.store.records import ChainHead, Progress


class HistoryQueries(MeasurementCommands):
    def head(self) -> ChainHead:
        return self.records.head()

    def verify(self, upto: int | None = None, progress: Progress | None = None) -> Verification:
        return self.records.verify(upto, progress)

    def position_at(self, instant: datetime) -> int:
        """The last position recorded at or before ``instant``."""
        if instant.tzinfo is None:
            message = "an instant needs a time zone (e.g. 2026-07-01T09:00:00Z)"
            raise InvalidInput(message, {"as_of": message})
        return self.records.position_at(instant)

    def checked_position(self, position: int | None) -> int:
        head = self.head_position()
        if position is None:
            return head
        if position < 0 or position > head:
            message = f"must lie between 0 and the ledger's head, {head}"
            raise InvalidInput(f"position {message}", {"position": message})
        return position

    def knowledge(self, employee_id: str, cycle_id: str, position: int | None = None) -> Knowledge:
        """Plan, measurements and cycle at their highest versions recorded at ``position``."""
        at = self.checked_position(position)
        plan_id = Plan.create_id(employee_id, cycle_id)
        log_id = MeasurementLog.create_id(employee_id, cycle_id)
        cycle_id_uuid = ReviewCycle.create_id(cycle_id)
        versions = self.records.versions_at([plan_id, log_id, cycle_id_uuid], at)
        if plan_id not in versions:
            raise NotFound(
                f"no plan of employee {employee_id} for cycle {cycle_id} at position {at}"
            )
        if cycle_id_uuid not in versions:
            raise NotFound(f"no cycle {cycle_id} at position {at}")
        log = None
        if log_id in versions:
            log = self.measurement_log(employee_id, cycle_id, versions[log_id])
        return Knowledge(
            position=at,
            plan=self.plan(employee_id, cycle_id, versions[plan_id]),
            log=log,
            cycle=self.cycle(cycle_id, versions[cycle_id_uuid]),
        )

    def scorecard(
        self,
        employee_id: str,
        period_id: str,
        *,
        position: int | None = None,
        as_of: datetime | None = None,
    ) -> Scorecard:
        """The scorecard at the latest knowledge, at a position, or as of an instant."""
        if as_of is not None:
            position = self.position_at(as_of)
        period = parse_period(period_id)
        knowledge = self.knowledge(employee_id, period.cycle_id, position)
        card = scorecard_of(knowledge, period)
        stamp = as_of.isoformat() if as_of is not None else None
        return replace(card, position=knowledge.position, as_of=stamp)
