"""MeasurementLog: the observed values of one employee's KPIs in one cycle."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from sys import intern
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.domain import Snapshot as AggregateSnapshot
from pyrsistent import PVector, pvector

from ledger.domain.checks import (
    TEXT_MAX_LENGTH,
    check_actor,
    check_date,
    check_text,
    require_reason,
)
from ledger.domain.cycle import ReviewCycle
from ledger.domain.observations import Observation, check_observation
from ledger.domain.plan import Plan
from ledger.domain.topics import explicit_topics
from ledger.errors import InvalidInput, NotFound, RuleViolated
from ledger.ids import check_key, measurement_id, measurement_log_uuid, measurement_number

DEFAULT_SOURCE = "manual"


@dataclass(frozen=True, slots=True)
class Measurement:
    """One measurement, never erased: corrections change ``value``, a void sets ``voided``.

    A log holds thousands: slotted, and its repeated texts (KPI and source) interned, so that
    each costs little more than its own fields."""

    measurement_id: str
    kpi_id: str
    original_value: Decimal | None
    value: Decimal | None
    """None for a rate, whose numerator and denominator are what it observes."""
    effective_date: date
    sequence: int
    """The log version that recorded it: recorded later, higher sequence."""
    source: str
    note: str
    voided: bool = False
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    @property
    def is_rate(self) -> bool:
        return self.numerator is not None

    @property
    def observation(self) -> Observation:
        return Observation(self.value, self.numerator, self.denominator)


@explicit_topics("MeasurementLog")
class MeasurementLog(Aggregate):
    """Started with the first measurement of an employee in a cycle.

    Its measurements are a persistent vector, the n-th measurement at index n - 1: applying an
    event makes a new vector sharing all but a few nodes with the old one, and never changes a
    vector in place. A copy of the log is therefore a copy of a few references, whatever its
    length, and a copy can be changed while the original is read by another thread.
    """

    class Event(Aggregate.Event):
        actor: str

    class Started(Event, Aggregate.Created):
        employee_id: str
        cycle_id: str

    class MeasurementRecorded(Event):
        measurement_id: str
        kpi_id: str
        value: Decimal | None
        effective_date: date
        source: str
        note: str
        numerator: Decimal | None
        denominator: Decimal | None
        """A rate's parts; None for a value."""

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Stored before rates: every measurement then was a value."""
            state["numerator"] = state["denominator"] = None

        def apply(self, log: MeasurementLog) -> None:
            log._measurements = log._measurements.append(
                Measurement(
                    measurement_id=self.measurement_id,
                    kpi_id=intern(self.kpi_id),
                    original_value=self.value,
                    value=self.value,
                    effective_date=self.effective_date,
                    sequence=self.originator_version,
                    source=intern(self.source),
                    note=self.note,
                    numerator=self.numerator,
                    denominator=self.denominator,
                )
            )

    class MeasurementCorrected(Event):
        measurement_id: str
        kpi_id: str
        value: Decimal | None
        reason: str
        numerator: Decimal | None
        denominator: Decimal | None
        """A rate's corrected parts, both of them; None for a value."""

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Stored before rates: every correction then was of a value."""
            state["numerator"] = state["denominator"] = None

        def apply(self, log: MeasurementLog) -> None:
            corrected = replace(
                log.measurement(self.measurement_id),
                value=self.value,
                numerator=self.numerator,
                denominator=self.denominator,
            )
            log._replace(corrected)

    class MeasurementVoided(Event):
        measurement_id: str
        kpi_id: str
        reason: str

        def apply(self, log: MeasurementLog) -> None:
            log._replace(replace(log.measurement(self.measurement_id), voided=True))

    class Snapshot(AggregateSnapshot):
        """The log's state in plain JSON values, so that a long log encodes and decodes fast."""

        @classmethod
        def take(cls, aggregate: Any) -> MeasurementLog.Snapshot:
            assert isinstance(aggregate, MeasurementLog)
            snapshot = super().take(aggregate)
            snapshot.state["_measurements"] = [_row(m) for m in aggregate._measurements]
            return snapshot

        def mutate(self, _: None) -> MeasurementLog:
            log = super().mutate(None)
            assert isinstance(log, MeasurementLog)
            log._measurements = pvector(_measurement(row) for row in self.state["_measurements"])
            return log

    @staticmethod
    def create_id(employee_id: str, cycle_id: str) -> UUID:
        return measurement_log_uuid(employee_id, cycle_id)

    def __init__(self, employee_id: str, cycle_id: str) -> None:
        self.employee_id = employee_id
        self.cycle_id = cycle_id
        self._measurements: PVector[Measurement] = pvector()

    def __deepcopy__(self, memo: dict[int, Any]) -> MeasurementLog:
        """An independent copy at the cost of a few references: every value the two share
        (ids, times, the vector and its measurements) is immutable."""
        copied = object.__new__(type(self))
        copied.__dict__.update(self.__dict__)
        copied._pending_events = list(self._pending_events)
        return copied

    @classmethod
    def start(cls, employee_id: str, cycle_id: str, *, actor: str) -> MeasurementLog:
        """Raises InvalidInput for malformed keys or actor."""
        return cls._create(
            cls.Started,
            employee_id=check_key(employee_id, "employee_id"),
            cycle_id=check_key(cycle_id, "cycle_id"),
            actor=check_actor(actor),
        )

    @property
    def measurements(self) -> tuple[Measurement, ...]:
        """Every measurement in recording order, voided ones included."""
        return tuple(self._measurements)

    @property
    def count(self) -> int:
        return len(self._measurements)

    def measurement(self, measurement_id: str) -> Measurement:
        """The measurement of that id, found by its number without a search."""
        number = measurement_number(measurement_id)
        if number is not None and 0 < number <= len(self._measurements):
            found: Measurement = self._measurements[number - 1]
            if found.measurement_id == measurement_id:
                return found
        raise NotFound(f"measurement {measurement_id!r} not found")

    def measurements_of(self, kpi_id: str) -> tuple[Measurement, ...]:
        return tuple(m for m in self._measurements if m.kpi_id == kpi_id)

    def _replace(self, measurement: Measurement) -> None:
        number = measurement_number(measurement.measurement_id)
        assert number is not None
        self._measurements = self._measurements.set(number - 1, measurement)

    def record(
        self,
        plan: Plan,
        cycle: ReviewCycle,
        *,
        kpi_id: str,
        value: Decimal | None = None,
        effective_date: date,
        source: str = DEFAULT_SOURCE,
        note: str = "",
        actor: str,
        numerator: Decimal | None = None,
        denominator: Decimal | None = None,
    ) -> str:
        """Records a value of a KPI of the active ``plan`` (for a rate, its numerator and
        denominator) and returns its new measurement id.

        Raises RuleViolated unless the plan is active, NotFound for a KPI not in the plan,
        InvalidInput for a malformed value or parts, or an effective date outside the cycle.
        """
        if (plan.employee_id, plan.cycle_id, cycle.cycle_id) != (
            self.employee_id,
            self.cycle_id,
            self.cycle_id,
        ):
            raise ValueError("the plan and the cycle must be those of this measurement log")
        actor = check_actor(actor)
        plan.check_active()
        kpi = plan.kpi(kpi_id)
        observed = check_observation(kpi.is_rate, value, numerator, denominator)
        if not cycle.contains(check_date(effective_date, "effective_date")):
            message = (
                f"must lie in cycle {cycle.cycle_id}, "
                f"{cycle.start_date.isoformat()} to {cycle.end_date.isoformat()}"
            )
            raise InvalidInput(f"effective_date {message}", {"effective_date": message})
        new_id = measurement_id(self.employee_id, self.cycle_id, self.count + 1)
        self.trigger_event(
            self.MeasurementRecorded,
            measurement_id=new_id,
            kpi_id=kpi_id,
            value=observed.value,
            effective_date=effective_date,
            source=check_text(source, "source"),
            note=check_text(note, "note", required=False, max_length=TEXT_MAX_LENGTH),
            numerator=observed.numerator,
            denominator=observed.denominator,
            actor=actor,
        )
        return new_id

    def correct(
        self,
        measurement_id: str,
        value: Decimal | None = None,
        *,
        reason: str | None,
        actor: str,
        numerator: Decimal | None = None,
        denominator: Decimal | None = None,
    ) -> None:
        """Replaces a measurement's value (a rate's numerator and denominator, both),
        keeping its original.

        Raises NotFound for an unknown measurement, RuleViolated for a voided one or an
        unchanged value, InvalidInput for a malformed value or a missing reason.
        """
        actor, reason = check_actor(actor), require_reason(reason)
        measurement = self._check_not_voided(measurement_id)
        observed = check_observation(measurement.is_rate, value, numerator, denominator)
        if observed == measurement.observation:
            shown = value if value is not None else f"{numerator}/{denominator}"
            raise RuleViolated(f"measurement {measurement_id} has the value {shown} already")
        self.trigger_event(
            self.MeasurementCorrected,
            measurement_id=measurement_id,
            kpi_id=measurement.kpi_id,
            value=observed.value,
            reason=reason,
            numerator=observed.numerator,
            denominator=observed.denominator,
            actor=actor,
        )

    def void(self, measurement_id: str, *, reason: str | None, actor: str) -> None:
        """Leaves a measurement out of every score from now on; it stays in the log.

        Raises NotFound for an unknown measurement, RuleViolated for a voided one,
        InvalidInput for a missing reason.
        """
        actor, reason = check_actor(actor), require_reason(reason)
        measurement = self._check_not_voided(measurement_id)
        self.trigger_event(
            self.MeasurementVoided,
            measurement_id=measurement_id,
            kpi_id=measurement.kpi_id,
            reason=reason,
            actor=actor,
        )

    def _check_not_voided(self, measurement_id: str) -> Measurement:
        measurement = self.measurement(measurement_id)
        if measurement.voided:
            raise RuleViolated(f"measurement {measurement_id} is voided")
        return measurement


def _row(m: Measurement) -> list[Any]:
    """A value's row has nine fields; a rate's two more, its numerator and denominator."""
    row = [
        m.measurement_id,
        m.kpi_id,
        _text(m.original_value),
        _text(m.value),
        m.effective_date.isoformat(),
        m.sequence,
        m.source,
        m.note,
        m.voided,
    ]
    if m.is_rate:
        row += [_text(m.numerator), _text(m.denominator)]
    return row


def _measurement(row: list[Any]) -> Measurement:
    measurement_id, kpi_id, original, value, day, sequence, source, note, voided = row[:9]
    numerator, denominator = row[9:] or (None, None)
    return Measurement(
        measurement_id=measurement_id,
        kpi_id=intern(kpi_id),
        original_value=_decimal(original),
        value=_decimal(value),
        effective_date=date.fromisoformat(day),
        sequence=sequence,
        source=intern(source),
        note=note,
        voided=voided,
        numerator=_decimal(numerator),
        denominator=_decimal(denominator),
    )


def _text(number: Decimal | None) -> str | None:
    return None if number is None else str(number)


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)
