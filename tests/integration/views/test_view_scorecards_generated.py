"""Generated histories followed live: every scorecard row is the ledger's own, hash for hash.

Hypothesis draws histories of two plans in a cycle of their own: measurements, corrections
and voids (often of the current least, greatest or latest measurement of a KPI in its
quarter), target revisions and adjustments, policy revisions, KPI aggregation changes,
KPIs removed and added with new weights, and reweights. The scorecards view follows them
in small pages; at checkpoints and at the end every row must equal the application's
scorecard scored from all the measurements, and a rebuild must give the same rows.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal

import psycopg
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from ledger.application import LedgerApp
from ledger.domain import KpiDefinition, KraDefinition, Profile, Weights
from ledger.scoring.tally import quarter_within
from ledger.values import Aggregation, Direction, RatingBand, TargetSpec
from projections import Worker
from projections.queries import scorecard
from projections.views import ScorecardsView
from projections.views.history import History
from tests.integration.support import new_id
from tests.integration.views.support import (
    CYCLE_START,
    HR,
    SMALL_PAGES,
    caught_up,
    project,
    snapshot,
)

Reader = psycopg.Connection[tuple[object, ...]]
PERIODS = ("Q1", "Q2", "Q3", "Q4", None)
KINDS = (
    *["measure"] * 8,
    *["correct", "void"] * 3,
    "revise",
    "adjust",
    "policy",
    "aggregation",
    "remove",
    "add",
    "reweight",
    "check",
)
SCALES = (
    None,
    (
        RatingBand(Decimal(0), 1, "Below"),
        RatingBand(Decimal(90), 2, "Meets"),
        RatingBand(Decimal(110), 3, "Above"),
    ),
)

VALUES = [each for each in Aggregation if each is not Aggregation.RATIO]
"""The aggregations of values: the KPIs here are measured by value, never as rates."""


def kpi(direction: Direction, aggregation: Aggregation, target: int) -> KpiDefinition:
    if direction is Direction.INCREASE:
        spec = TargetSpec(Decimal(target), Decimal(target // 4), Decimal(target * 2))
    else:
        spec = TargetSpec(Decimal(target), Decimal(target * 3), None)
    return KpiDefinition(
        f"{aggregation.value} KPI", "units", direction, aggregation, Decimal(50), spec
    )


KRAS = {
    "sales": {
        "revenue": kpi(Direction.INCREASE, Aggregation.SUM, 300),
        "nps": kpi(Direction.INCREASE, Aggregation.MEAN, 50),
    },
    "service": {
        "churn": kpi(Direction.DECREASE, Aggregation.LAST, 20),
        "tickets": kpi(Direction.DECREASE, Aggregation.MAX, 40),
        "uptime": kpi(Direction.INCREASE, Aggregation.MIN, 60),
    },
}


@dataclass
class Written:
    """What a generated history wrote so far."""

    cycle_id: str
    employees: list[str]
    added: int = 0


def split(rng: random.Random, keys: list[str]) -> dict[str, Decimal]:
    """Weights of ``keys`` that sum to 100, each at least 1."""
    cuts = sorted(rng.sample(range(1, 100), len(keys) - 1))
    bounds = [0, *cuts, 100]
    return {key: Decimal(bounds[n + 1] - bounds[n]) for n, key in enumerate(keys)}


def balanced(rng: random.Random, layout: dict[str, list[str]]) -> Weights:
    kpi_weights: dict[str, Decimal] = {}
    for kpi_ids in layout.values():
        kpi_weights |= split(rng, kpi_ids)
    return Weights(split(rng, list(layout)), kpi_weights)


def seat(app: LedgerApp, employee_id: str, cycle_id: str) -> None:
    app.register_employee(HR, employee_id, Profile(f"P {employee_id}", "Sales", "Staff"))
    app.draft_plan(HR, employee_id, cycle_id)
    for kra_id, kpis in KRAS.items():
        app.define_kra(HR, employee_id, cycle_id, kra_id, KraDefinition(kra_id, Decimal(50)))
        for kpi_id, definition in kpis.items():
            app.define_kpi(HR, employee_id, cycle_id, kpi_id, kra_id, definition)
    weights = Weights(
        {"sales": Decimal(60), "service": Decimal(40)},
        {"revenue": Decimal(50), "nps": Decimal(50)}
        | {"churn": Decimal(40), "tickets": Decimal(30), "uptime": Decimal(30)},
    )
    app.reweight(HR, employee_id, cycle_id, weights)
    app.activate_plan(HR, employee_id, cycle_id)


def chosen_measurement(
    app: LedgerApp, written: Written, employee_id: str, rng: random.Random
) -> str | None:
    """A counted measurement of a current KPI; often the least, greatest or latest of its
    KPI in its quarter, whose correction or void needs the others of that quarter."""
    plan = app.plan(employee_id, written.cycle_id)
    kpi_ids = {each.kpi_id for each in plan.kpis}
    log = app.measurement_log(employee_id, written.cycle_id)
    measurements = () if log is None else log.measurements
    live = [m for m in measurements if not m.voided and m.kpi_id in kpi_ids]
    if not live:
        return None
    picked = rng.choice(live)
    quarter = quarter_within(CYCLE_START, picked.effective_date)
    peers = [
        m
        for m in live
        if m.kpi_id == picked.kpi_id and quarter_within(CYCLE_START, m.effective_date) == quarter
    ]
    which = rng.choice(("any", "least", "greatest", "latest"))
    if which == "least":
        picked = min(peers, key=lambda m: m.value or 0)
    elif which == "greatest":
        picked = max(peers, key=lambda m: m.value or 0)
    elif which == "latest":
        picked = max(peers, key=lambda m: (m.effective_date, m.sequence))
    return picked.measurement_id


def spec_for(rng: random.Random, direction: Direction) -> TargetSpec:
    target = Decimal(rng.randint(10, 400))
    if direction is Direction.INCREASE:
        return TargetSpec(target, target / 4 if rng.random() < 0.5 else None, target * 2)
    return TargetSpec(target, target * 3 if rng.random() < 0.5 else None, target / 2)


def write(app: LedgerApp, written: Written, kind: str, rng: random.Random) -> None:
    """One write of ``kind`` (or a measurement, when ``kind`` cannot be written now)."""
    employee_id, cycle_id = rng.choice(written.employees), written.cycle_id
    plan = app.plan(employee_id, cycle_id)
    layout = plan.layout()
    kpi_id = rng.choice([each.kpi_id for each in plan.kpis])
    quarter = f"{cycle_id}-Q{rng.randint(1, 4)}"
    if kind in ("correct", "void"):
        measurement_id = chosen_measurement(app, written, employee_id, rng)
        if measurement_id is not None and kind == "correct":
            value = Decimal(rng.randint(0, 500)) + Decimal("0.5")
            if value == app.log_of(measurement_id).measurement(measurement_id).value:
                value += 1
            app.correct_measurement(HR, measurement_id, value=value, reason="restated")
            return
        if measurement_id is not None:
            app.void_measurement(HR, measurement_id, reason="duplicate")
            return
    if kind == "revise":
        spec = spec_for(rng, plan.kpi(kpi_id).direction)
        app.revise_target(
            HR, employee_id, cycle_id, kpi_id, spec, effective_from=quarter, reason="r"
        )
    elif kind == "adjust":
        spec = spec_for(rng, plan.kpi(kpi_id).direction)
        app.adjust_target(HR, employee_id, cycle_id, kpi_id, spec, period=quarter, reason="a")
    elif kind == "policy":
        cap = Decimal(rng.choice((110, 150, 200)))
        app.revise_policy(
            HR, cycle_id, achievement_cap=cap, rating_scale=rng.choice(SCALES), reason="p"
        )
    elif kind == "aggregation":
        current = plan.kpi(kpi_id).to_definition()
        others = [each for each in VALUES if each is not current.aggregation]
        changed = replace(current, aggregation=rng.choice(others))
        app.change_kpi(HR, employee_id, cycle_id, kpi_id, changed, reason="counted differently")
    elif kind == "remove" and len(layout[plan.kpi(kpi_id).kra_id]) > 1:
        rest = {kra: [k for k in kpis if k != kpi_id] for kra, kpis in layout.items()}
        app.remove_kpi(
            HR, employee_id, cycle_id, kpi_id, reason="gone", weights=balanced(rng, rest)
        )
    elif kind == "add":
        written.added += 1
        new_kpi = f"extra-{written.added}"
        kra_id = rng.choice(list(layout))
        grown = {kra: [*kpis, new_kpi] if kra == kra_id else kpis for kra, kpis in layout.items()}
        weights = balanced(rng, grown)
        aggregation = rng.choice(VALUES)
        definition = replace(
            kpi(Direction.INCREASE, aggregation, 100), weight=weights.kpi_weights[new_kpi]
        )
        app.define_kpi(
            HR, employee_id, cycle_id, new_kpi, kra_id, definition, reason="new", weights=weights
        )
    elif kind == "reweight":
        app.reweight(HR, employee_id, cycle_id, balanced(rng, layout), reason="rebalanced")
    else:
        day = CYCLE_START + timedelta(days=rng.randint(0, 364))
        value = Decimal(rng.randint(0, 500))
        app.record_measurement(HR, employee_id, cycle_id, kpi_id, value=value, effective_date=day)


def assert_rows_are_the_ledgers(app: LedgerApp, reader: Reader, written: Written) -> None:
    for employee_id in written.employees:
        for quarter in PERIODS:
            period = written.cycle_id if quarter is None else f"{written.cycle_id}-{quarter}"
            row = scorecard(reader, employee_id, period)
            assert row is not None
            assert row.scorecard == app.scorecard(employee_id, period, position=row.position)
            assert row.scorecard.hash == app.scorecard(employee_id, period).hash


histories = st.lists(
    st.tuples(st.sampled_from(KINDS), st.integers(min_value=0, max_value=2**32)),
    min_size=10,
    max_size=40,
)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda history: ScorecardsView(history), id="kept"),
        pytest.param(
            lambda history: ScorecardsView(history, capacity=1, rebuild_capacity=1, tallied=1),
            id="made-again",
        ),
    ],
)
def test_live_scorecards_of_generated_histories_are_the_ledgers_and_a_rebuilds(
    own_app: LedgerApp,
    conninfo: str,
    reader: Reader,
    make: Callable[[History], ScorecardsView],
) -> None:
    views = [make(History.of(own_app))]
    with Worker(own_app, views, SMALL_PAGES):

        @settings(max_examples=4, deadline=None, database=None, phases=[Phase.generate])
        @given(histories)
        def follows(history: list[tuple[str, int]]) -> None:
            written = Written(new_id("FY"), [new_id("E"), new_id("E")])
            own_app.open_cycle(HR, written.cycle_id, name="cycle", start_date=CYCLE_START)
            for employee_id in written.employees:
                seat(own_app, employee_id, written.cycle_id)
            for kind, seed in history:
                if kind == "check":
                    assert caught_up(conninfo, views, own_app.head_position())
                    assert_rows_are_the_ledgers(own_app, reader, written)
                else:
                    write(own_app, written, kind, random.Random(seed))
            assert caught_up(conninfo, views, own_app.head_position())
            assert_rows_are_the_ledgers(own_app, reader, written)

        follows()
    followed = snapshot(conninfo, views)

    project(own_app, [make(History.of(own_app))])

    assert snapshot(conninfo, views) == followed
