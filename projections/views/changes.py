"""What each event changed, field by field, from the state of its aggregate before it.

``describe`` answers an audit entry's subject (employee, cycle, KRA, KPI, measurement,
period, effective date) and its changes ``{field: {"from": ..., "to": ...}}``; an event
that creates something lists every field it sets, from null.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import singledispatch
from types import MappingProxyType
from typing import NamedTuple, TypeVar

from eventsourcing.domain import Aggregate

from ledger.domain.access import AccessToken, TokenDirectory
from ledger.domain.cycle import ReviewCycle
from ledger.domain.employee import Employee
from ledger.domain.measurements import MeasurementLog
from ledger.domain.personal import ERASED
from ledger.domain.plan import Plan
from ledger.domain.review import Review
from ledger.periods import parse_period
from ledger.scoring import target_in_force
from ledger.scoring.aggregates import kpi_plan
from ledger.values import TargetSpec
from projections.views.documents import Json, plain, quoted
from projections.views.ids import cycle_id_of, owner_of, plan_id
from projections.views.states import PageStates

A = TypeVar("A", bound=Aggregate)

Changes = dict[str, dict[str, Json]]
NO_CHANGES: Mapping[str, dict[str, Json]] = MappingProxyType({})
ChangesText = str
"""Changes already written as the JSON text ``changes_text`` would give."""


class Described(NamedTuple):
    """An audit entry's subject and changes (a tuple: the trail makes one per event, and
    a tuple is made several times faster than a frozen dataclass)."""

    employee_id: str | None = None
    cycle_id: str | None = None
    kra_id: str | None = None
    kpi_id: str | None = None
    measurement_id: str | None = None
    period: str | None = None
    effective_date: date | None = None
    changes: Mapping[str, dict[str, Json]] | ChangesText = NO_CHANGES


def change(before: object, after: object) -> dict[str, Json]:
    return {"from": plain(before), "to": plain(after)}


def created(fields: Mapping[str, object]) -> Changes:
    return {name: change(None, value) for name, value in fields.items()}


def removed(fields: Mapping[str, object]) -> Changes:
    return {name: change(value, None) for name, value in fields.items()}


def differences(before: Mapping[str, object], after: Mapping[str, object]) -> Changes:
    """The fields of ``after`` whose value differs from ``before``'s (an erased text always
    does: both sides were texts once, and an erased change reads as one)."""
    return {
        name: change(before.get(name), value)
        for name, value in after.items()
        if before.get(name) != value or value == ERASED
    }


def spec_change(before: TargetSpec | None, after: TargetSpec | None) -> Changes:
    """Target, threshold and stretch travel together: all three are shown."""
    return {
        name: change(
            None if before is None else getattr(before, name),
            None if after is None else getattr(after, name),
        )
        for name in ("target", "threshold", "stretch")
    }


class Measured(NamedTuple):
    """What the trail knows of a measurement: its KPI, date and latest value (as JSON); a
    rate's latest numerator and denominator instead of a value."""

    kpi_id: str
    effective_date: date
    value: Json
    numerator: Json = None
    denominator: Json = None


class Owner:
    """A measurement's employee and cycle, with its plan and cycle as they stand: the KRA
    of each KPI and the quarter of each day asked for are remembered."""

    __slots__ = ("_kras", "_periods", "cycle", "cycle_id", "employee_id", "plan")

    def __init__(
        self, employee_id: str, cycle_id: str, plan: Plan | None, cycle: ReviewCycle | None
    ) -> None:
        self.employee_id = employee_id
        self.cycle_id = cycle_id
        self.plan = plan
        self.cycle = cycle
        self._kras: dict[str, str | None] = {}
        self._periods: dict[date, str | None] = {}

    def kra_of(self, kpi_id: str) -> str | None:
        """The KRA of the plan's KPI; None without a plan or such a KPI."""
        try:
            return self._kras[kpi_id]
        except KeyError:
            plan = self.plan
            found = plan.kpi(kpi_id).kra_id if plan is not None and plan.has_kpi(kpi_id) else None
            self._kras[kpi_id] = found
            return found

    def period_of(self, day: date) -> str | None:
        """The quarter of the cycle ``day`` is in; None without a cycle or outside it."""
        try:
            return self._periods[day]
        except KeyError:
            found = None if self.cycle is None else self.cycle.period_of(day)
            self._periods[day] = found
            return found


@dataclass
class Lookup:
    """What describing an event may consult besides its own aggregate's state before it:
    the page's other aggregates, and the measurements its corrections and voids name."""

    states: PageStates
    measurements: dict[str, Measured]
    """Measurements the page changes, as they stood: read before it, or changed in it."""
    owners: dict[str, Owner] = field(default_factory=dict)
    """Measurement id prefixes with their plans and cycles as they stand, until ``forget``."""
    recorded: dict[str, MeasurementLog.MeasurementRecorded] = field(default_factory=dict)
    """Measurements recorded in the page: made ``Measured`` only if the page changes them."""

    def forget(self) -> None:
        """A plan or cycle may have moved on: look them up afresh."""
        self.owners.clear()

    def owner(self, measurement_id: str) -> Owner:
        """The employee, cycle, plan and cycle state of a measurement."""
        prefix = measurement_id.rpartition(":")[0]
        found = self.owners.get(prefix)
        if found is None:
            employee_id, cycle_id = owner_of(measurement_id)
            plan = self.states.get(plan_id(employee_id, cycle_id), Plan)
            cycle = self.states.get(cycle_id_of(cycle_id), ReviewCycle)
            found = self.owners[prefix] = Owner(employee_id, cycle_id, plan, cycle)
        return found

    def measured(self, measurement_id: str) -> Measured:
        """A measurement the page corrects or voids, at its latest value."""
        found = self.measurements.get(measurement_id)
        if found is not None:
            return found
        event = self.recorded[measurement_id]
        measured = self.measurements[measurement_id] = Measured(
            event.kpi_id,
            event.effective_date,
            plain(event.value),
            plain(event.numerator),
            plain(event.denominator),
        )
        return measured

    def follow(self, event: object) -> None:
        """Keep up with a measurement recorded or corrected, once it is described."""
        match event:
            case MeasurementLog.MeasurementRecorded():
                self.recorded[event.measurement_id] = event
                self.measurements.pop(event.measurement_id, None)
            case MeasurementLog.MeasurementCorrected():
                measured = self.measured(event.measurement_id)
                self.measurements[event.measurement_id] = measured._replace(
                    value=plain(event.value),
                    numerator=plain(event.numerator),
                    denominator=plain(event.denominator),
                )

    def subject(
        self, measurement_id: str, measured: Measured, changes: Changes | ChangesText | None = None
    ) -> Described:
        """A measurement's subject: its KPI's KRA from the plan, its quarter from the cycle."""
        owner = self.owner(measurement_id)
        kpi_id, day = measured.kpi_id, measured.effective_date
        return Described(
            employee_id=owner.employee_id,
            cycle_id=owner.cycle_id,
            kra_id=owner.kra_of(kpi_id),
            kpi_id=kpi_id,
            measurement_id=measurement_id,
            period=owner.period_of(day),
            effective_date=day,
            changes=NO_CHANGES if changes is None else changes,
        )


def state(before: Aggregate | None, kind: type[A]) -> A:
    if not isinstance(before, kind):
        raise TypeError(f"expected the {kind.__name__} before the event, found {before!r}")
    return before


def _with(subject: Described, changes: Changes | ChangesText) -> Described:
    return subject._replace(changes=changes)


def _text(event: object, name: str) -> str | None:
    value = getattr(event, name, None)
    return value if isinstance(value, str) else None


@singledispatch
def describe(event: object, before: Aggregate | None, lookup: Lookup) -> Described:
    """An event the trail knows no more of: the employee or cycle it names, no changes."""
    return Described(employee_id=_text(event, "employee_id"), cycle_id=_text(event, "cycle_id"))


# Employees


@describe.register
def _registered(event: Employee.Registered, before: Aggregate | None, lookup: Lookup) -> Described:
    fields = {
        "name": event.name,
        "department": event.department,
        "role": event.role,
        "manager_id": event.manager_id,
    }
    return Described(employee_id=event.employee_id, changes=created(fields))


@describe.register
def _profile_changed(
    event: Employee.ProfileChanged, before: Aggregate | None, lookup: Lookup
) -> Described:
    employee = state(before, Employee)
    old = {name: getattr(employee.profile, name) for name in event.changes}
    return Described(
        employee_id=employee.employee_id,
        effective_date=event.effective_date,
        changes=differences(old, event.changes),
    )


@describe.register
def _left(event: Employee.Left, before: Aggregate | None, lookup: Lookup) -> Described:
    employee = state(before, Employee)
    return Described(
        employee_id=employee.employee_id,
        effective_date=event.effective_date,
        changes={"left_on": change(employee.left_on, event.effective_date)},
    )


# Cycles


@describe.register
def _opened(event: ReviewCycle.Opened, before: Aggregate | None, lookup: Lookup) -> Described:
    fields = {
        "name": event.name,
        "start_date": event.start_date,
        "end_date": event.end_date,
        "achievement_cap": event.achievement_cap,
        "rating_scale": event.rating_scale,
    }
    return Described(cycle_id=event.cycle_id, changes=created(fields))


@describe.register
def _policy_revised(
    event: ReviewCycle.PolicyRevised, before: Aggregate | None, lookup: Lookup
) -> Described:
    cycle = state(before, ReviewCycle)
    old: dict[str, object] = {
        "achievement_cap": cycle.achievement_cap,
        "rating_scale": list(cycle.rating_scale),
    }
    new: dict[str, object] = {}
    if event.achievement_cap is not None:
        new["achievement_cap"] = event.achievement_cap
    if event.rating_scale is not None:
        new["rating_scale"] = list(event.rating_scale)
    return Described(cycle_id=cycle.cycle_id, changes=differences(old, new))


# Plans


def of_plan(
    plan: Plan, kra_id: str | None = None, kpi_id: str | None = None, period: str | None = None
) -> Described:
    return Described(
        employee_id=plan.employee_id,
        cycle_id=plan.cycle_id,
        kra_id=kra_id,
        kpi_id=kpi_id,
        period=period,
    )


@describe.register
def _drafted(event: Plan.Drafted, before: Aggregate | None, lookup: Lookup) -> Described:
    return Described(
        employee_id=event.employee_id,
        cycle_id=event.cycle_id,
        changes={"status": change(None, "draft")},
    )


@describe.register
def _kra_defined(event: Plan.KraDefined, before: Aggregate | None, lookup: Lookup) -> Described:
    plan = state(before, Plan)
    fields = {"title": event.title, "description": event.description, "weight": event.weight}
    return _with(of_plan(plan, kra_id=event.kra_id), created(fields))


@describe.register
def _kra_changed(event: Plan.KraChanged, before: Aggregate | None, lookup: Lookup) -> Described:
    plan = state(before, Plan)
    old = plan.kra(event.kra_id).to_definition().fields()
    return _with(of_plan(plan, kra_id=event.kra_id), differences(old, event.changes))


@describe.register
def _kra_removed(event: Plan.KraRemoved, before: Aggregate | None, lookup: Lookup) -> Described:
    plan = state(before, Plan)
    fields: dict[str, object] = {
        **plan.kra(event.kra_id).to_definition().fields(),
        "kpi_ids": event.kpi_ids,
    }
    return _with(of_plan(plan, kra_id=event.kra_id), removed(fields))


@describe.register
def _kpi_defined(event: Plan.KpiDefined, before: Aggregate | None, lookup: Lookup) -> Described:
    plan = state(before, Plan)
    fields = {
        "name": event.name,
        "description": event.description,
        "unit": event.unit,
        "direction": event.direction,
        "aggregation": event.aggregation,
        "weight": event.weight,
        "target": event.target,
        "threshold": event.threshold,
        "stretch": event.stretch,
        **({} if event.scale is None else {"scale": event.scale}),
    }
    subject = of_plan(plan, kra_id=event.kra_id, kpi_id=event.kpi_id)
    return _with(subject, created(fields))


@describe.register
def _kpi_changed(event: Plan.KpiChanged, before: Aggregate | None, lookup: Lookup) -> Described:
    plan = state(before, Plan)
    kpi = plan.kpi(event.kpi_id)
    subject = of_plan(plan, kra_id=kpi.kra_id, kpi_id=kpi.kpi_id)
    return _with(subject, differences(kpi.to_definition().fields(), event.changes))


@describe.register
def _kpi_removed(event: Plan.KpiRemoved, before: Aggregate | None, lookup: Lookup) -> Described:
    plan = state(before, Plan)
    kpi = plan.kpi(event.kpi_id)
    subject = of_plan(plan, kra_id=kpi.kra_id, kpi_id=kpi.kpi_id)
    return _with(subject, removed(kpi.to_definition().fields()))


@describe.register
def _reweighted(event: Plan.Reweighted, before: Aggregate | None, lookup: Lookup) -> Described:
    plan = state(before, Plan)
    weights = plan.weights
    old = {
        **{f"kra_weights.{key}": value for key, value in weights.kra_weights.items()},
        **{f"kpi_weights.{key}": value for key, value in weights.kpi_weights.items()},
    }
    new = {
        **{f"kra_weights.{key}": value for key, value in event.kra_weights.items()},
        **{f"kpi_weights.{key}": value for key, value in event.kpi_weights.items()},
    }
    return _with(of_plan(plan), differences(old, new))


@describe.register
def _activated(event: Plan.Activated, before: Aggregate | None, lookup: Lookup) -> Described:
    plan = state(before, Plan)
    return _with(of_plan(plan), {"status": change(plan.status, "active")})


@describe.register
def _target_revised(
    event: Plan.TargetRevised, before: Aggregate | None, lookup: Lookup
) -> Described:
    return _target_change(state(before, Plan), event, event.effective_from)


@describe.register
def _target_adjusted(
    event: Plan.TargetAdjusted, before: Aggregate | None, lookup: Lookup
) -> Described:
    return _target_change(state(before, Plan), event, event.period)


def in_force(plan: Plan, kpi_id: str, period_id: str) -> TargetSpec:
    """The target, threshold and stretch in force for the KPI in a quarter of the plan."""
    quarter = parse_period(period_id).quarter
    assert quarter is not None
    return target_in_force(kpi_plan(plan.kpi(kpi_id)), quarter)


def _target_change(
    plan: Plan, event: Plan.TargetRevised | Plan.TargetAdjusted, period_id: str
) -> Described:
    kpi = plan.kpi(event.kpi_id)
    subject = of_plan(plan, kra_id=kpi.kra_id, kpi_id=kpi.kpi_id, period=period_id)
    new = TargetSpec(event.target, event.threshold, event.stretch)
    return _with(subject, spec_change(in_force(plan, kpi.kpi_id, period_id), new))


# Measurements


@describe.register
def _log_started(
    event: MeasurementLog.Started, before: Aggregate | None, lookup: Lookup
) -> Described:
    return Described(employee_id=event.employee_id, cycle_id=event.cycle_id)


@describe.register
def _recorded(
    event: MeasurementLog.MeasurementRecorded, before: Aggregate | None, lookup: Lookup
) -> Described:
    value = None if event.value is None else str(event.value)
    if event.numerator is not None:
        numerator, denominator = plain(event.numerator), plain(event.denominator)
        measured = Measured(event.kpi_id, event.effective_date, None, numerator, denominator)
        fields = {
            "numerator": numerator,
            "denominator": denominator,
            "source": event.source,
            "note": event.note,
        }
        return lookup.subject(event.measurement_id, measured, created(fields))
    measured = Measured(event.kpi_id, event.effective_date, value)
    return lookup.subject(
        event.measurement_id, measured, recorded_text(value, event.source, event.note)
    )


def recorded_text(value: str | None, source: str, note: str) -> str:
    """The changes of a recording, value, source and note from null, as ``changes_text``
    writes them: written at once, for the trail's commonest entry by far."""
    return (
        f'{{"note":{{"from":null,"to":{quoted(note)}}},'
        f'"source":{{"from":null,"to":{quoted(source)}}},'
        f'"value":{{"from":null,"to":{"null" if value is None else quoted(value)}}}}}'
    )


@describe.register
def _corrected(
    event: MeasurementLog.MeasurementCorrected, before: Aggregate | None, lookup: Lookup
) -> Described:
    measured = lookup.measured(event.measurement_id)
    changes: Changes
    if event.numerator is not None:
        changes = {
            "numerator": {"from": measured.numerator, "to": plain(event.numerator)},
            "denominator": {"from": measured.denominator, "to": plain(event.denominator)},
        }
    else:
        changes = {"value": {"from": measured.value, "to": plain(event.value)}}
    return lookup.subject(event.measurement_id, measured, changes)


@describe.register
def _voided(
    event: MeasurementLog.MeasurementVoided, before: Aggregate | None, lookup: Lookup
) -> Described:
    measured = lookup.measured(event.measurement_id)
    return lookup.subject(event.measurement_id, measured, {"voided": change(False, True)})


# Reviews


def of_review(review: Review) -> Described:
    return Described(
        employee_id=review.employee_id, cycle_id=review.cycle_id, period=review.period_id
    )


@describe.register
def _review_opened(event: Review.Opened, before: Aggregate | None, lookup: Lookup) -> Described:
    return Described(
        employee_id=event.employee_id,
        cycle_id=event.cycle_id,
        period=event.period_id,
        changes={"status": change(None, "open")},
    )


@describe.register
def _finalized(event: Review.Finalized, before: Aggregate | None, lookup: Lookup) -> Described:
    review = state(before, Review)
    current = review.current
    old: dict[str, object] = {"status": review.status}
    if current is not None:
        old |= {
            "revision": current.revision,
            "score": current.score,
            "computed_rating": current.computed_rating,
            "final_rating": current.final_rating,
            "scorecard_hash": current.scorecard_hash,
        }
    new = {
        "status": "finalized",
        "revision": event.revision,
        "score": event.score,
        "computed_rating": event.computed_rating,
        "final_rating": event.computed_rating,
        "scorecard_hash": event.scorecard_hash,
    }
    return _with(of_review(review), differences(old, new))


@describe.register
def _calibrated(event: Review.Calibrated, before: Aggregate | None, lookup: Lookup) -> Described:
    review = state(before, Review)
    current = review.current
    assert current is not None
    return _with(of_review(review), {"final_rating": change(current.final_rating, event.rating)})


@describe.register
def _reopened(event: Review.Reopened, before: Aggregate | None, lookup: Lookup) -> Described:
    review = state(before, Review)
    return _with(of_review(review), {"status": change(review.status, "open")})


# Access


@describe.register
def _granted(event: AccessToken.Granted, before: Aggregate | None, lookup: Lookup) -> Described:
    fields = {"token_id": event.token_id, "name": event.name, "role": event.role}
    return Described(employee_id=event.employee_id, changes=created(fields))


@describe.register
def _revoked(event: AccessToken.Revoked, before: Aggregate | None, lookup: Lookup) -> Described:
    return Described(changes={"revoked": change(False, True)})


@describe.register
def _listed(event: TokenDirectory.Listed, before: Aggregate | None, lookup: Lookup) -> Described:
    return Described(changes={"token_id": change(None, event.token_id)})
