"""Replaying a subject's events one by one and scoring after each: the waterfall."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
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
    """The period the event concerns: the quarter an adjustment is for, the one a revision
    is effective from, the one a measurement's effective date falls in (for its correction
    and void too, named as the audit trail names it), or the review's; None for an event
    that concerns the whole cycle (a definition, a policy)."""
    moved: bool = False
    """Whether the overall score or rating, or any KPI's achievement, differs right after
    the event from right before it."""
    score_delta: Decimal | None = None
    """The score after the event minus the latest score before it that was not null; None
    when either is missing. The deltas of a waterfall add up to the later score minus the
    earlier one."""

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
            "moved": self.moved,
            "score_delta": None if self.score_delta is None else str(self.score_delta),
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

    def period_of(self, event: object) -> str | None:
        """The period ``event`` concerns: a measurement's quarter, an adjustment's period,
        a revision's first, the review's own; None for what concerns the whole cycle."""
        day = self._effective_date(event)
        if day is not None:
            return None if self.cycle is None else self.cycle.period_of(day)
        if getattr(event, "originator_id", None) == self.subject.review_id:
            return self.subject.period.id
        return _text(event, "period") or _text(event, "effective_from")

    def _effective_date(self, event: object) -> date | None:
        """A measurement's effective date, for its recording, correction or void."""
        if isinstance(event, MeasurementLog.MeasurementRecorded):
            return event.effective_date
        named = MeasurementLog.MeasurementCorrected | MeasurementLog.MeasurementVoided
        if isinstance(event, named) and self.log is not None:
            return self.log.measurement(event.measurement_id).effective_date
        return None


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
    last_score = None if start is None else start.score
    for entry in entries:
        event = decode(entry.stored_event())
        before = card
        if replay.apply(event):
            card = replay.scorecard(entry.position)
        step = _step(entry, event, card, replay.period_of(event))
        score = step.score
        delta = None if score is None or last_score is None else score - last_score
        steps.append(replace(step, moved=_figures(before) != _figures(card), score_delta=delta))
        last_score = last_score if score is None else score
    return steps


Figures = tuple[Decimal | None, int | None, dict[str, Decimal]]


def _figures(card: Scorecard | None) -> Figures:
    """The overall score and rating and the scored KPIs' achievements: what a step moves."""
    if card is None:
        return None, None, {}
    achievements = {
        kpi.kpi_id: kpi.achievement
        for kra in card.kras
        for kpi in kra.kpis
        if kpi.achievement is not None
    }
    return card.score, card.rating, achievements


def _text(event: object, name: str) -> str | None:
    value = getattr(event, name, None)
    return value if isinstance(value, str) else None


def _step(entry: StoredEntry, event: object, card: Scorecard | None, period: str | None) -> Step:
    def text(name: str) -> str | None:
        return _text(event, name)

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
        period=period,
    )
