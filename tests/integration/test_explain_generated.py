"""Explanations of generated histories: every waterfall lands exactly on the later score.

A seeded generator records measurements, corrections and voids, target revisions and
adjustments, policy revisions, and finalises, calibrates and reopens the review, in a
random order; each explanation is then checked against scorecards read independently.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest

from ledger.application import LedgerApp
from ledger.commands import Context
from ledger.domain import KpiDefinition, KraDefinition, Profile
from ledger.errors import NotFound
from ledger.explanation.explaining import Explanation, Revision, explain
from ledger.scoring import Scorecard
from ledger.values import Aggregation, Direction, RatingBand, TargetSpec
from tests.integration.support import new_id

ACTORS = [Context(actor="hr:priya"), Context(actor="manager:ravi"), Context(actor="admin:sam")]
START = date(2026, 4, 1)

KPIS = {
    "revenue": (
        "sales",
        KpiDefinition(
            "new revenue",
            "kINR",
            Direction.INCREASE,
            Aggregation.SUM,
            Decimal(50),
            TargetSpec(Decimal(100), None, Decimal(150)),
        ),
    ),
    "nps": (
        "sales",
        KpiDefinition(
            "net promoter score",
            "points",
            Direction.INCREASE,
            Aggregation.MEAN,
            Decimal(50),
            TargetSpec(Decimal(50), Decimal(10)),
        ),
    ),
    "churn": (
        "service",
        KpiDefinition(
            "churned accounts",
            "%",
            Direction.DECREASE,
            Aggregation.LAST,
            Decimal(70),
            TargetSpec(Decimal(5), Decimal(10), Decimal(2)),
        ),
    ),
    "tickets": (
        "service",
        KpiDefinition(
            "open tickets",
            "tickets",
            Direction.DECREASE,
            Aggregation.MAX,
            Decimal(30),
            TargetSpec(Decimal(20)),
        ),
    ),
}

SCALES = [
    None,
    (
        RatingBand(Decimal(0), 1, "Unsatisfactory"),
        RatingBand(Decimal(50), 2, "Needs improvement"),
        RatingBand(Decimal(75), 3, "Meets expectations"),
        RatingBand(Decimal(95), 4, "Exceeds expectations"),
        RatingBand(Decimal(125), 5, "Outstanding"),
    ),
    (
        RatingBand(Decimal(0), 1, "Below"),
        RatingBand(Decimal(90), 2, "Meets"),
        RatingBand(Decimal(110), 3, "Above"),
    ),
]


@dataclass
class History:
    """What the generator wrote: positions after each write, instants between some."""

    employee_id: str
    cycle_id: str
    positions: list[int] = field(default_factory=list)
    instants: list[datetime] = field(default_factory=list)
    measurements: list[str] = field(default_factory=list)
    finalized: bool = False

    @property
    def period(self) -> str:
        return f"{self.cycle_id}-Q1"


def build_plan(app: LedgerApp, history: History) -> None:
    hr = ACTORS[0]
    employee_id, cycle_id = history.employee_id, history.cycle_id
    app.register_employee(hr, employee_id, Profile("Ana Rao", "Sales", "Account Manager"))
    app.open_cycle(hr, cycle_id, name="FY 2026-27", start_date=START)
    app.draft_plan(hr, employee_id, cycle_id)
    app.define_kra(hr, employee_id, cycle_id, "sales", KraDefinition("Sales", Decimal(60)))
    app.define_kra(hr, employee_id, cycle_id, "service", KraDefinition("Service", Decimal(40)))
    for kpi_id, (kra_id, definition) in KPIS.items():
        app.define_kpi(hr, employee_id, cycle_id, kpi_id, kra_id, definition)
    history.positions.append(app.activate_plan(hr, employee_id, cycle_id).position)


def target_for(rng: random.Random, kpi_id: str) -> TargetSpec:
    definition = KPIS[kpi_id][1]
    target = definition.spec.target * Decimal(rng.randint(70, 130)) / 100
    threshold = definition.spec.threshold
    stretch = definition.spec.stretch
    if definition.direction is Direction.INCREASE:
        threshold = None if threshold is None else min(threshold, target / 2)
        stretch = None if stretch is None else target * Decimal("1.5")
    else:
        threshold = None if threshold is None else max(threshold, target * 2)
        stretch = None if stretch is None else target / 2
    return TargetSpec(target, threshold, stretch)


def step(app: LedgerApp, history: History, rng: random.Random) -> int:
    """One random write; returns its position."""
    actor = rng.choice(ACTORS)
    employee_id, cycle_id = history.employee_id, history.cycle_id
    kpi_id = rng.choice(list(KPIS))
    quarter = f"{cycle_id}-Q{rng.choice([1, 1, 2])}"
    kind = rng.choice(
        ["measure"] * 5
        + ["correct", "void", "revise", "adjust", "policy"] * 2
        + ["finalize", "calibrate", "reopen"]
    )
    live = [m for m in history.measurements if not m.endswith("!")]
    if kind in ("correct", "void") and not live:
        kind = "measure"
    if kind == "measure":
        day = START + timedelta(days=rng.randint(0, 170))
        value = Decimal(rng.randint(0, 3000)) / 10
        written = app.record_measurement(
            actor, employee_id, cycle_id, kpi_id, value=value, effective_date=day
        )
        history.measurements.append(written.ids["measurement_id"])
        return written.position
    if kind == "correct":
        measurement_id = rng.choice(live)
        value = Decimal(rng.randint(0, 3000)) / 10 + Decimal("0.05")
        return app.correct_measurement(
            actor, measurement_id, value=value, reason="source report restated"
        ).position
    if kind == "void":
        measurement_id = rng.choice(live)
        history.measurements[history.measurements.index(measurement_id)] += "!"
        return app.void_measurement(actor, measurement_id, reason="duplicate entry").position
    if kind == "revise":
        return app.revise_target(
            actor,
            employee_id,
            cycle_id,
            kpi_id,
            target_for(rng, kpi_id),
            effective_from=quarter,
            reason="market conditions changed",
            approved_by="hr:priya",
        ).position
    if kind == "adjust":
        return app.adjust_target(
            actor,
            employee_id,
            cycle_id,
            kpi_id,
            target_for(rng, kpi_id),
            period=quarter,
            reason="one-off territory change",
        ).position
    if kind == "policy":
        cap = Decimal(rng.choice([120, 150, 200]))
        scale = rng.choice(SCALES)
        return app.revise_policy(
            actor, cycle_id, achievement_cap=cap, rating_scale=scale, reason="policy review"
        ).position
    return review_step(app, history, rng, kind, actor)


def review_step(
    app: LedgerApp, history: History, rng: random.Random, kind: str, actor: Context
) -> int:
    employee_id, period = history.employee_id, history.period
    if not history.finalized:
        history.finalized = True
        return app.finalize_review(actor, employee_id, period).position
    if kind == "calibrate":
        ratings = {band.rating for band in app.cycle(history.cycle_id).rating_scale}
        current = app.review(employee_id, period).revisions[-1].final_rating
        rating = rng.choice(sorted(ratings - {current}))
        return app.calibrate_review(
            actor, employee_id, period, rating=rating, reason="calibration panel"
        ).position
    history.finalized = False
    return app.reopen_review(actor, employee_id, period, reason="new facts").position


def generate(app: LedgerApp, seed: int, writes: int = 36) -> History:
    rng = random.Random(seed)
    history = History(new_id("E"), new_id("FY"))
    build_plan(app, history)
    history.instants.append(datetime.now(UTC))
    for _ in range(writes):
        history.positions.append(step(app, history, rng))
        if rng.random() < 0.25:
            history.instants.append(datetime.now(UTC))
    if not history.finalized:
        history.positions.append(review_step(app, history, rng, "finalize", ACTORS[0]))
    return history


def scorecard_at(app: LedgerApp, history: History, position: int) -> Scorecard | None:
    return scored(app, history.employee_id, history.period, position)


def scored(app: LedgerApp, employee_id: str, period: str, position: int) -> Scorecard | None:
    """The ledger's own scorecard at ``position``, read apart from any replay."""
    try:
        return app.scorecard(employee_id, period, position=position)
    except NotFound:
        return None


def assert_lands_on_the_later_score(app: LedgerApp, explanation: Explanation) -> None:
    before, after = explanation.frm.scorecard, explanation.to.scorecard
    assert after is not None
    positions = [step.position for step in explanation.steps]
    assert positions == sorted(set(positions))
    assert all(explanation.frm.position < p <= explanation.to.position for p in positions)
    if explanation.steps:
        last = explanation.steps[-1]
        assert (last.score, last.rating) == (after.score, after.rating)
    else:
        assert before is not None
        assert before.hash == after.hash
    assert_the_moving_steps_add_up(app, explanation)


def assert_the_moving_steps_add_up(app: LedgerApp, explanation: Explanation) -> None:
    """Moving steps' deltas sum to the difference; a step unmoved changed no figure."""
    before, after = explanation.frm.scorecard, explanation.to.scorecard
    previous = figures(before)
    for step in explanation.steps:
        card = scored(app, explanation.employee_id, explanation.period, step.position)
        assert step.moved == (figures(card) != previous), step
        previous = figures(card)
    assert explanation.steps_moved + explanation.steps_unchanged == len(explanation.steps)
    assert explanation.steps_moved == len(explanation.moving_steps)
    earlier = None if before is None else before.score
    later = None if after is None else after.score
    if earlier is not None and later is not None:
        deltas = [step.score_delta for step in explanation.moving_steps]
        assert sum((delta for delta in deltas if delta is not None), Decimal(0)) == later - earlier
    unmoved = [step for step in explanation.steps if not step.moved]
    assert all(step.score_delta in (None, Decimal(0)) for step in unmoved)


Figures = tuple[Decimal | None, int | None, dict[str, Decimal]]


def figures(card: Scorecard | None) -> Figures:
    """What a moving step changes: the overall score and rating, and each achievement."""
    if card is None:
        return None, None, {}
    achievements = {
        kpi.kpi_id: kpi.achievement
        for kra in card.kras
        for kpi in kra.kpis
        if kpi.achievement is not None
    }
    return card.score, card.rating, achievements


SEEDS = [11, 2024, 90210]


@pytest.mark.parametrize("seed", SEEDS)
def test_every_step_of_the_whole_history_scores_as_the_ledger_did_at_its_position(
    app: LedgerApp, seed: int
) -> None:
    history = generate(app, seed)
    head = history.positions[-1]

    explanation = explain(app, history.employee_id, history.period, 0, head)

    assert_lands_on_the_later_score(app, explanation)
    for step in explanation.steps:
        card = scorecard_at(app, history, step.position)
        assert (step.score, step.rating) == (
            (None, None) if card is None else (card.score, card.rating)
        )
    other_quarters = [
        step for step in explanation.steps if step.measurement_id and step.period != history.period
    ]
    assert {step.period for step in other_quarters} == {f"{history.cycle_id}-Q2"}
    assert not any(step.moved for step in other_quarters)
    after = scorecard_at(app, history, head)
    assert after is not None
    assert explanation.to.scorecard is not None
    assert explanation.to.scorecard.hash == after.hash


@pytest.mark.parametrize("seed", SEEDS)
def test_explanations_between_random_positions_land_on_the_later_score(
    app: LedgerApp, seed: int
) -> None:
    history = generate(app, seed)
    rng = random.Random(seed + 1)
    for _ in range(8):
        start, end = sorted(rng.sample(history.positions, 2))

        explanation = explain(app, history.employee_id, history.period, start, end)

        assert_lands_on_the_later_score(app, explanation)
        before = scorecard_at(app, history, start)
        assert explanation.frm.scorecard is not None
        assert before is not None
        assert explanation.frm.scorecard.hash == before.hash


@pytest.mark.parametrize("seed", SEEDS)
def test_explanations_between_instants_equal_those_between_their_positions(
    app: LedgerApp, seed: int
) -> None:
    history = generate(app, seed)
    history.instants.append(datetime.now(UTC))
    first, last = history.instants[0], history.instants[-1]

    by_instant = explain(app, history.employee_id, history.period, first, last)

    assert_lands_on_the_later_score(app, by_instant)
    by_position = explain(
        app, history.employee_id, history.period, app.position_at(first), app.position_at(last)
    )
    assert by_instant == by_position


@pytest.mark.parametrize("seed", SEEDS)
def test_explanations_between_revisions_run_from_one_finalised_scorecard_to_the_next(
    app: LedgerApp, seed: int
) -> None:
    history = generate(app, seed)
    revisions = app.review(history.employee_id, history.period).revisions
    for earlier, later in pairwise(revisions):
        explanation = explain(
            app,
            history.employee_id,
            history.period,
            Revision(earlier.revision),
            Revision(later.revision),
        )

        assert_lands_on_the_later_score(app, explanation)
        assert explanation.frm.scorecard is not None
        assert explanation.to.scorecard is not None
        assert explanation.frm.scorecard.hash == earlier.scorecard_hash
        assert explanation.to.scorecard.hash == later.scorecard_hash
    for revision in revisions:
        assert app.reproduce(history.employee_id, history.period, revision.revision).matches
