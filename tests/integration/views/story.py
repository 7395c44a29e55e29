"""A seeded, random story told through the application: people, cycles, plans, targets,
measurements, corrections, policy revisions and reviews. The same seed tells the same story.

Commands the ledger refuses (a calibration to the rating it has, say) are part of the story
too: they write nothing, and the story goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from random import Random

from ledger.application import LedgerApp
from ledger.commands import Context
from ledger.domain import KpiDefinition, KraDefinition, Profile, Weights
from ledger.errors import LedgerError
from ledger.values import DEFAULT_RATING_SCALE, Aggregation, Direction, RatingBand, TargetSpec

ACTORS = (Context("hr:priya"), Context("manager:ravi"), Context("hr:meera"))
DEPARTMENTS = ("Sales", "Operations", "Finance")
STRICT_SCALE = (
    RatingBand(Decimal(0), 1, "Unsatisfactory"),
    RatingBand(Decimal(70), 2, "Needs improvement"),
    RatingBand(Decimal(90), 3, "Meets expectations"),
    RatingBand(Decimal(110), 4, "Exceeds expectations"),
    RatingBand(Decimal(130), 5, "Outstanding"),
)


@dataclass
class Sketch:
    """What the story remembers of a plan, to choose commands the ledger will take."""

    employee_id: str
    cycle_id: str
    start: date
    layout: dict[str, list[str]] = field(default_factory=dict)
    directions: dict[str, Direction] = field(default_factory=dict)
    rates: set[str] = field(default_factory=set)
    active: bool = False

    def quarter(self, rng: Random) -> str:
        return f"{self.cycle_id}-Q{rng.randint(1, 4)}"


def split(total: int, parts: int) -> list[Decimal]:
    """``total`` in ``parts`` whole numbers, the remainder on the first."""
    share = total // parts
    return [Decimal(share + total - share * parts)] + [Decimal(share)] * (parts - 1)


class Story:
    def __init__(self, app: LedgerApp, seed: int, *, employees: int = 6) -> None:
        self.app = app
        self.rng = Random(seed)
        self.employee_ids = [f"E{seed}-{number:02d}" for number in range(employees)]
        self.cycles = {f"FY{seed}A": date(2026, 4, 1), f"FY{seed}B": date(2025, 1, 1)}
        self.plans: list[Sketch] = []
        self.measurements: list[str] = []
        self.rates: set[str] = set()
        """The measurements of rates."""

    @property
    def actor(self) -> Context:
        return self.rng.choice(ACTORS)

    def tell(self, steps: int) -> None:
        self.begin()
        actions: list[tuple[int, Callable[[], None]]] = [
            (40, self.measure),
            (8, self.correct),
            (4, self.void),
            (8, self.revise_target),
            (8, self.adjust_target),
            (3, self.revise_policy),
            (4, self.change_profile),
            (8, self.review),
            (3, self.rename_kra),
            (2, self.remove_kpi),
            (1, self.remove_kra),
            (2, self.reweight),
            (1, self.leave),
        ]
        weights = [weight for weight, _ in actions]
        for _ in range(steps):
            [(_, action)] = self.rng.choices(actions, weights)
            try:
                action()
            except LedgerError:
                continue

    def begin(self) -> None:
        for cycle_id, start in self.cycles.items():
            self.app.open_cycle(self.actor, cycle_id, name=cycle_id, start_date=start)
        for number, employee_id in enumerate(self.employee_ids):
            manager = self.employee_ids[0] if number else None
            profile = Profile(f"Person {number}", self.rng.choice(DEPARTMENTS), "Analyst", manager)
            self.app.register_employee(self.actor, employee_id, profile)
        for employee_id in self.employee_ids:
            for cycle_id, start in self.cycles.items():
                if self.rng.random() < 0.75:
                    self.draft(Sketch(employee_id, cycle_id, start))

    def draft(self, plan: Sketch) -> None:
        self.app.draft_plan(self.actor, plan.employee_id, plan.cycle_id)
        for kra_number, kra_weight in enumerate(split(100, self.rng.randint(1, 3))):
            kra_id = f"kra-{kra_number}"
            definition = KraDefinition(f"Area {kra_number}", kra_weight)
            self.app.define_kra(self.actor, plan.employee_id, plan.cycle_id, kra_id, definition)
            plan.layout[kra_id] = []
            for kpi_number, kpi_weight in enumerate(split(100, self.rng.randint(1, 3))):
                self.define_kpi(plan, kra_id, f"kpi-{kra_number}-{kpi_number}", kpi_weight)
        self.plans.append(plan)
        if self.rng.random() < 0.9 or len(self.plans) == 1:
            self.app.activate_plan(self.actor, plan.employee_id, plan.cycle_id)
            plan.active = True

    def define_kpi(self, plan: Sketch, kra_id: str, kpi_id: str, weight: Decimal) -> None:
        direction = self.rng.choice(list(Direction))
        aggregation = self.rng.choice(list(Aggregation))
        definition = KpiDefinition(
            name=f"Measure {kpi_id}",
            unit="%",
            direction=direction,
            aggregation=aggregation,
            weight=weight,
            spec=self.spec(direction),
            scale=Decimal(100) if aggregation is Aggregation.RATIO else None,
        )
        if aggregation is Aggregation.RATIO:
            plan.rates.add(kpi_id)
        self.app.define_kpi(self.actor, plan.employee_id, plan.cycle_id, kpi_id, kra_id, definition)
        if self.rng.random() < 0.2:
            changed = replace(definition, spec=self.spec(direction))
            self.app.change_kpi(self.actor, plan.employee_id, plan.cycle_id, kpi_id, changed)
        plan.layout[kra_id].append(kpi_id)
        plan.directions[kpi_id] = direction

    def spec(self, direction: Direction) -> TargetSpec:
        if direction is Direction.INCREASE:
            target = Decimal(self.rng.randint(50, 150))
            threshold = target / 2 if self.rng.random() < 0.5 else None
            stretch = target * Decimal("1.5") if self.rng.random() < 0.5 else None
        else:
            target = Decimal(self.rng.randint(10, 50))
            threshold = target * 2 if self.rng.random() < 0.5 else None
            stretch = target / 2 if self.rng.random() < 0.5 else None
        return TargetSpec(target, threshold, stretch)

    def active_plan(self) -> Sketch:
        return self.rng.choice([plan for plan in self.plans if plan.active])

    def kpi_of(self, plan: Sketch) -> str:
        return self.rng.choice(sorted(plan.directions))

    def measure(self) -> None:
        plan = self.active_plan()
        day = plan.start + timedelta(days=self.rng.randint(0, 364))
        kpi_id = self.kpi_of(plan)
        value, numerator, denominator = self.observed(kpi_id in plan.rates)
        written = self.app.record_measurement(
            self.actor,
            plan.employee_id,
            plan.cycle_id,
            kpi_id,
            value=value,
            numerator=numerator,
            denominator=denominator,
            effective_date=day,
        )
        self.measurements.append(written.ids["measurement_id"])
        if kpi_id in plan.rates:
            self.rates.add(written.ids["measurement_id"])

    def observed(self, rate: bool) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        """A value, or a rate's parts (now and then with no volume at all)."""
        if not rate:
            return Decimal(self.rng.randint(0, 2000)) / 10, None, None
        denominator = Decimal(self.rng.choice((0, 10, 200, 5000)))
        return None, Decimal(self.rng.randint(0, int(denominator))), denominator

    def measured(self) -> str:
        if not self.measurements:
            self.measure()
        return self.rng.choice(self.measurements)

    def correct(self) -> None:
        measurement_id = self.measured()
        value, numerator, denominator = self.observed(measurement_id in self.rates)
        self.app.correct_measurement(
            self.actor,
            measurement_id,
            value=value,
            numerator=numerator,
            denominator=denominator,
            reason="the source was restated",
        )

    def void(self) -> None:
        self.app.void_measurement(self.actor, self.measured(), reason="entered twice")

    def revise_target(self) -> None:
        plan = self.active_plan()
        kpi_id = self.kpi_of(plan)
        self.app.revise_target(
            self.actor,
            plan.employee_id,
            plan.cycle_id,
            kpi_id,
            self.spec(plan.directions[kpi_id]),
            effective_from=plan.quarter(self.rng),
            reason="the market moved",
            approved_by=self.rng.choice(("hr:head", None)),
        )

    def adjust_target(self) -> None:
        plan = self.active_plan()
        kpi_id = self.kpi_of(plan)
        self.app.adjust_target(
            self.actor,
            plan.employee_id,
            plan.cycle_id,
            kpi_id,
            self.spec(plan.directions[kpi_id]),
            period=plan.quarter(self.rng),
            reason="two accounts moved region",
            approved_by=self.rng.choice(("hr:head", None)),
        )

    def revise_policy(self) -> None:
        cycle_id = self.rng.choice(sorted(self.cycles))
        if self.rng.random() < 0.5:
            cap = Decimal(self.rng.choice((120, 150, 200)))
            self.app.revise_policy(self.actor, cycle_id, achievement_cap=cap, reason="new policy")
        else:
            scale = self.rng.choice((STRICT_SCALE, DEFAULT_RATING_SCALE))
            self.app.revise_policy(self.actor, cycle_id, rating_scale=scale, reason="new scale")

    def change_profile(self) -> None:
        employee_id = self.rng.choice(self.employee_ids)
        current = self.app.employee(employee_id).profile
        moved = Profile(
            current.name,
            self.rng.choice(DEPARTMENTS),
            self.rng.choice(("Analyst", "Lead")),
            self.rng.choice([None, *self.employee_ids[:2]]),
        )
        self.app.change_profile(
            self.actor, employee_id, moved, effective_date=date(2026, 7, 1), reason="reorganised"
        )

    def review(self) -> None:
        plan = self.active_plan()
        period = self.rng.choice([plan.quarter(self.rng), plan.cycle_id])
        review = self.app.review_or_none(plan.employee_id, period)
        if review is None or review.status == "open":
            self.app.finalize_review(self.actor, plan.employee_id, period, comments="on record")
        elif self.rng.random() < 0.5:
            rating = self.rng.randint(1, 5)
            self.app.calibrate_review(
                self.actor, plan.employee_id, period, rating=rating, reason="calibrated"
            )
        else:
            self.app.reopen_review(self.actor, plan.employee_id, period, reason="late data")

    def rename_kra(self) -> None:
        plan = self.active_plan()
        kra_id = self.rng.choice(sorted(plan.layout))
        weight = self.app.plan(plan.employee_id, plan.cycle_id).kra(kra_id).weight
        renamed = KraDefinition(f"Area {self.rng.randint(10, 99)}", weight)
        self.app.change_kra(
            self.actor, plan.employee_id, plan.cycle_id, kra_id, renamed, reason="clearer title"
        )

    def remove_kpi(self) -> None:
        plan = self.active_plan()
        crowded = [kra_id for kra_id, kpis in plan.layout.items() if len(kpis) > 1]
        if not crowded:
            return
        kra_id = self.rng.choice(crowded)
        kpi_id = plan.layout[kra_id][-1]
        weights = self.app.plan(plan.employee_id, plan.cycle_id).weights
        kpi_weights = dict(weights.kpi_weights)
        kpi_weights[plan.layout[kra_id][0]] += kpi_weights.pop(kpi_id)
        self.app.remove_kpi(
            self.actor,
            plan.employee_id,
            plan.cycle_id,
            kpi_id,
            reason="no longer measured",
            weights=Weights(weights.kra_weights, kpi_weights),
        )
        plan.layout[kra_id].remove(kpi_id)
        del plan.directions[kpi_id]

    def remove_kra(self) -> None:
        plan = self.active_plan()
        if len(plan.layout) < 2:
            return
        kra_id = list(plan.layout)[-1]
        weights = self.app.plan(plan.employee_id, plan.cycle_id).weights
        kra_weights = dict(weights.kra_weights)
        kra_weights[next(iter(plan.layout))] += kra_weights.pop(kra_id)
        kpi_weights = {
            kpi_id: weight
            for kpi_id, weight in weights.kpi_weights.items()
            if kpi_id not in plan.layout[kra_id]
        }
        self.app.remove_kra(
            self.actor,
            plan.employee_id,
            plan.cycle_id,
            kra_id,
            reason="merged into another area",
            weights=Weights(kra_weights, kpi_weights),
        )
        for kpi_id in plan.layout.pop(kra_id):
            del plan.directions[kpi_id]

    def reweight(self) -> None:
        plan = self.active_plan()
        kra_weights = dict(zip(plan.layout, self.shuffled(len(plan.layout)), strict=True))
        kpi_weights = {
            kpi_id: weight
            for kpis in plan.layout.values()
            for kpi_id, weight in zip(kpis, self.shuffled(len(kpis)), strict=True)
        }
        self.app.reweight(
            self.actor,
            plan.employee_id,
            plan.cycle_id,
            Weights(kra_weights, kpi_weights),
            reason="priorities changed",
        )

    def shuffled(self, parts: int) -> list[Decimal]:
        weights = split(100, parts)
        self.rng.shuffle(weights)
        return weights

    def leave(self) -> None:
        employee_id = self.rng.choice(self.employee_ids[1:])
        self.app.record_leaving(
            self.actor, employee_id, effective_date=date(2026, 12, 31), reason="resigned"
        )
