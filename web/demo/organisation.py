"""The demo's people and their plans: a manager and two reports in every department of the
example KRAs and KPIs, each with a plan per cycle built from those examples."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from decimal import Decimal

from ledger.application import LedgerApp
from ledger.commands import Context
from ledger.domain import KpiDefinition, KraDefinition, Profile
from ledger.values import TargetSpec
from web.demo.examples import ExampleKpi, by_department, read_examples

HR = Context(actor="hr:priya")
FIRST_NAMES = ["Asha", "Vikram", "Meera", "Rohan", "Kavya", "Arjun", "Nisha", "Dev", "Isha"]
LAST_NAMES = ["Iyer", "Sharma", "Nair", "Gupta", "Reddy", "Menon", "Bose", "Kapoor", "Das"]
REPORTS_PER_MANAGER = 2
FIRST_MANAGER = "M100"


@dataclass(frozen=True)
class Person:
    """A report in the demo: their KPIs, and how well they tend to do (1 is on target)."""

    employee_id: str
    manager_id: str
    kpis: list[ExampleKpi]
    form: float


@dataclass
class Organisation:
    managers: dict[str, str] = field(default_factory=dict)
    """Department to its manager's id."""
    people: dict[str, Person] = field(default_factory=dict)
    """The reports by employee id, in the order registered."""


def manager_id_of(index: int) -> str:
    return f"M{100 + index}"


def employee_ids_of(index: int) -> list[str]:
    return [f"E{1000 + 10 * index + number}" for number in range(REPORTS_PER_MANAGER)]


def reports_of(manager_id: str) -> list[str]:
    """The demo's reports of ``manager_id`` (people added later are not among them)."""
    return employee_ids_of(int(manager_id.removeprefix("M")) - 100)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:64]


def register_people(app: LedgerApp, rng: random.Random) -> Organisation:
    """Registers a manager and their reports for each department of the examples."""
    organisation = Organisation()
    names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(names)
    for index, (department, kpis) in enumerate(sorted(by_department(read_examples()).items())):
        manager_id = manager_id_of(index)
        profile = Profile(names.pop(), department, f"Head of {department}")
        app.register_employee(HR, manager_id, profile)
        organisation.managers[department] = manager_id
        for employee_id in employee_ids_of(index):
            profile = Profile(names.pop(), department, kpis[0].role, manager_id)
            app.register_employee(HR, employee_id, profile)
            form = rng.choice([0.9, 0.96, 1.0, 1.0, 1.05, 1.1])
            organisation.people[employee_id] = Person(employee_id, manager_id, kpis, form)
    return organisation


def activate_plan(
    app: LedgerApp, person: Person, cycle_id: str, targets: dict[str, Decimal] | None = None
) -> None:
    """Drafts and activates a plan of the person's example KPIs, evenly weighted; ``targets``
    overrides the example's target of a KPI, by its id."""
    targets = targets or {}
    app.draft_plan(HR, person.employee_id, cycle_id)
    for example, weight in zip(person.kpis, even_weights(len(person.kpis)), strict=True):
        kra_id = slug(example.kra)
        kra = KraDefinition(example.kra, weight, description=example.note)
        app.define_kra(HR, person.employee_id, cycle_id, kra_id, kra)
        kpi_id = slug(example.kpi)
        spec = TargetSpec(targets[kpi_id], example.threshold) if kpi_id in targets else None
        definition = KpiDefinition(
            example.kpi,
            example.unit,
            example.direction,
            example.aggregation,
            Decimal(100),
            spec or example.spec,
        )
        app.define_kpi(HR, person.employee_id, cycle_id, kpi_id, kra_id, definition)
    app.activate_plan(HR, person.employee_id, cycle_id)


def even_weights(count: int) -> list[Decimal]:
    """Weights of two places that sum to exactly 100; the last takes the remainder."""
    share = (Decimal(100) / count).quantize(Decimal("0.01"))
    return [share] * (count - 1) + [Decimal(100) - share * (count - 1)]
