"""Replaying a subject's events one by one and scoring after each: the waterfall."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from eventsourcing.domain import Aggregate, CanMutateAggregate
from eventsourcing.persistence import StoredEvent

from ledger.domain.cycle import ReviewCycle
from ledger.domain.measurements import MeasurementLog
from ledger.domain.plan import Plan
from ledger.explanation.stored import StoredEntry
from ledger.explanation.subject import Subject
from ledger.scoring import Scorecard
from ledger.scoring.aggregates import Knowledge, scorecard_of

if TYPE_CHECKING:
    from ledger.application import LedgerApp

A = TypeVar("A", bound=Aggregate)


@dataclass(frozen=True)
class Step:
    """One event between the two points, and the overall score and rating right after it."""

    position: int
    recorded_at: datetime | None
    event_type: str
    actor: str | None
    reason: str | None
    approved_by: str | None
    score: Decimal | None
    rating: int | None
    kpi_id: str | None = None
    measurement_id: str | None = None
    period: str | None = None
    """The quarter an adjustment is for, or the one a revision is effective from."""

    def to_dict(self) -> dict[str, object]:
        return {
            "position": self.position,
            "recorded_at": None
            if self.recorded_at is None
            else self.recorded_at.astimezone(UTC).isoformat(),
            "event_type": self.event_type,
            "actor": self.actor,
            "reason": self.reason,
            "approved_by": self.approved_by,
            "score": None if self.score is None else str(self.score),
            "rating": self.rating,
            "kpi_id": self.kpi_id,
            "measurement_id": self.measurement_id,
            "period": self.period,
        }


class Replay:
    """A subject's plan, measurements and cycle as known at one position, moved forward
    one stored event at a time; the review's events change no score and move nothing."""

    def __init__(
        self,
        subject: Subject,
        plan: Plan | None,
        log: MeasurementLog | None,
        cycle: ReviewCycle | None,
    ) -> None:
        self.subject = subject
        self.plan = plan
        self.log = log
        self.cycle = cycle

    @classmethod
    def at(cls, app: LedgerApp, subject: Subject, position: int) -> Replay:
        """Each aggregate at its highest version recorded at or before ``position``."""
        ids = [subject.plan_id, subject.log_id, subject.cycle_uuid]
        versions = app.records.versions_at(ids, position)
        plan_version = versions.get(subject.plan_id)
        log_version = versions.get(subject.log_id)
        cycle_version = versions.get(subject.cycle_uuid)
        employee_id, cycle_id = subject.employee_id, subject.cycle_id
        return cls(
            subject,
            None if plan_version is None else app.plan(employee_id, cycle_id, plan_version),
            None
            if log_version is None
            else app.measurement_log(employee_id, cycle_id, log_version),
            None if cycle_version is None else app.cycle(cycle_id, cycle_version),
        )

    def scorecard(self, position: int) -> Scorecard | None:
        """None while the plan or its cycle does not exist yet."""
        if self.plan is None or self.cycle is None:
            return None
        knowledge = Knowledge(position, self.plan, self.log, self.cycle)
        return replace(scorecard_of(knowledge, self.subject.period), position=position)

    def apply(self, event: object) -> bool:
        """Moves the aggregate ``event`` belongs to; False for an event that scores nothing."""
        if not isinstance(event, CanMutateAggregate):
            raise TypeError(f"not an aggregate event: {event!r}")
        originator_id = event.originator_id
        if originator_id == self.subject.plan_id:
            self.plan = _mutated(event, self.plan, Plan)
        elif originator_id == self.subject.log_id:
            self.log = _mutated(event, self.log, MeasurementLog)
        elif originator_id == self.subject.cycle_uuid:
            self.cycle = _mutated(event, self.cycle, ReviewCycle)
        else:
            return False
        return True


def _mutated(event: CanMutateAggregate[Any], aggregate: A | None, kind: type[A]) -> A:
    mutated = event.mutate(aggregate)
    if not isinstance(mutated, kind):
        raise TypeError(f"{type(event).__qualname__} did not yield a {kind.__name__}")
    return mutated


def waterfall(
    replay: Replay,
    entries: Iterable[StoredEntry],
    decode: Callable[[StoredEvent], object],
    start: Scorecard | None,
) -> list[Step]:
    """One step per event, each scored after applying it to the state before it."""
    steps = []
    card = start
    for entry in entries:
        event = decode(entry.stored_event())
        if replay.apply(event):
            card = replay.scorecard(entry.position)
        steps.append(_step(entry, event, card))
    return steps


def _step(entry: StoredEntry, event: object, card: Scorecard | None) -> Step:
    def text(name: str) -> str | None:
        value = getattr(event, name, None)
        return value if isinstance(value, str) else None

    return Step(
        position=entry.position,
        recorded_at=entry.recorded_at,
        event_type=entry.event_type,
        actor=text("actor"),
        reason=text("reason"),
        approved_by=text("approved_by"),
        score=None if card is None else card.score,
        rating=None if card is None else card.rating,
        kpi_id=text("kpi_id"),
        measurement_id=text("measurement_id"),
        period=text("period") or text("effective_from"),
    )
