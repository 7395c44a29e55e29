from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from random import Random

from hypothesis import assume, given
from hypothesis import strategies as st

from ledger.periods import Period
from ledger.scoring import (
    CyclePolicy,
    KpiPlan,
    KraPlan,
    MeasurementFact,
    ScoringInput,
    achievement,
    canonical_json,
    score,
)
from ledger.values import Aggregation, Direction, TargetSpec

START = date(2025, 4, 1)
numbers = st.decimals(min_value=-1000, max_value=1000, places=2)
weights = st.decimals(min_value=0, max_value=100, places=2)
caps = st.decimals(min_value=100, max_value=300, places=2)


@st.composite
def specs(draw: st.DrawFn, direction: Direction) -> TargetSpec:
    """Specs as validation admits them: increase threshold < target < stretch, decrease
    threshold > target > stretch, a positive target when there is no threshold."""
    low, middle, high = sorted(draw(st.lists(numbers, min_size=3, max_size=3, unique=True)))
    has_threshold, has_stretch = draw(st.booleans()), draw(st.booleans())
    assume(has_threshold or middle > 0)
    threshold, stretch = (low, high) if direction is Direction.INCREASE else (high, low)
    return TargetSpec(
        middle, threshold if has_threshold else None, stretch if has_stretch else None
    )


@st.composite
def scored_specs(draw: st.DrawFn) -> tuple[Direction, TargetSpec]:
    direction = draw(st.sampled_from(Direction))
    return direction, draw(specs(direction))


@given(scored_specs(), numbers, caps)
def test_achievement_never_leaves_zero_to_the_cap(
    scored: tuple[Direction, TargetSpec], actual: Decimal, cap: Decimal
) -> None:
    direction, spec = scored

    assert Decimal(0) <= achievement(actual, spec, direction, cap) <= cap


@given(specs(Direction.INCREASE), numbers, numbers, caps)
def test_increase_achievement_never_falls_when_the_actual_rises(
    spec: TargetSpec, one: Decimal, other: Decimal, cap: Decimal
) -> None:
    lower, higher = sorted((one, other))

    assert achievement(lower, spec, Direction.INCREASE, cap) <= achievement(
        higher, spec, Direction.INCREASE, cap
    )


@given(specs(Direction.DECREASE), numbers, numbers, caps)
def test_decrease_achievement_never_rises_when_the_actual_rises(
    spec: TargetSpec, one: Decimal, other: Decimal, cap: Decimal
) -> None:
    lower, higher = sorted((one, other))

    assert achievement(lower, spec, Direction.DECREASE, cap) >= achievement(
        higher, spec, Direction.DECREASE, cap
    )


@dataclass(frozen=True)
class KpiDraft:
    direction: Direction
    aggregation: Aggregation
    weight: Decimal
    spec: TargetSpec


@dataclass(frozen=True)
class MeasurementDraft:
    kpi: int
    value: Decimal
    day: int
    voided: bool


@dataclass(frozen=True)
class Draft:
    """The primitive facts of a scoring input, from which equal inputs are built apart."""

    quarter: int | None
    cap: Decimal
    kras: tuple[tuple[Decimal, tuple[KpiDraft, ...]], ...]
    measurements: tuple[MeasurementDraft, ...]


@st.composite
def kpi_drafts(draw: st.DrawFn) -> KpiDraft:
    direction, spec = draw(scored_specs())
    return KpiDraft(direction, draw(st.sampled_from(Aggregation)), draw(weights), spec)


measurement_drafts = st.builds(
    MeasurementDraft,
    kpi=st.integers(min_value=0, max_value=20),
    value=numbers,
    day=st.integers(min_value=-5, max_value=370),
    voided=st.booleans(),
)
drafts = st.builds(
    Draft,
    quarter=st.sampled_from((None, 1, 2, 3, 4)),
    cap=caps,
    kras=st.lists(
        st.tuples(weights, st.lists(kpi_drafts(), min_size=1, max_size=3).map(tuple)),
        min_size=1,
        max_size=3,
    ).map(tuple),
    measurements=st.lists(measurement_drafts, max_size=12).map(tuple),
)


def widened(number: Decimal) -> Decimal:
    """An equal decimal written differently (more trailing zeros)."""
    return number.quantize(Decimal("0.000001"))


def build(draft: Draft, *, wide: bool) -> ScoringInput:
    figure = widened if wide else Decimal
    kpi_ids = [f"k{i}-{j}" for i, (_, kpis) in enumerate(draft.kras) for j in range(len(kpis))]
    kras = tuple(
        KraPlan(
            f"kra-{i}",
            f"KRA {i}",
            figure(weight),
            tuple(
                KpiPlan(
                    f"k{i}-{j}",
                    f"KPI {i}.{j}",
                    "units",
                    kpi.direction,
                    kpi.aggregation,
                    figure(kpi.weight),
                    TargetSpec(
                        figure(kpi.spec.target),
                        None if kpi.spec.threshold is None else figure(kpi.spec.threshold),
                        None if kpi.spec.stretch is None else figure(kpi.spec.stretch),
                    ),
                )
                for j, kpi in enumerate(kpis)
            ),
        )
        for i, (weight, kpis) in enumerate(draft.kras)
    )
    measurements = tuple(
        MeasurementFact(
            f"m{n}",
            kpi_ids[m.kpi % len(kpi_ids)] if kpi_ids else "none",
            figure(m.value),
            START + timedelta(days=m.day),
            n,
            m.voided,
        )
        for n, m in enumerate(draft.measurements)
    )
    cycle = CyclePolicy("FY2026", START, figure(draft.cap))
    return ScoringInput("E1001", Period("FY2026", draft.quarter), cycle, kras, measurements)


@given(drafts)
def test_equal_inputs_give_equal_hashes(draft: Draft) -> None:
    one, other = score(build(draft, wide=False)), score(build(draft, wide=True))

    assert canonical_json(one) == canonical_json(other)
    assert one.hash == other.hash


@given(drafts, st.randoms(use_true_random=False))
def test_the_order_of_measurements_does_not_change_the_scorecard(
    draft: Draft, random: Random
) -> None:
    inp = build(draft, wide=False)
    shuffled = list(inp.measurements)
    random.shuffle(shuffled)

    reordered = ScoringInput(inp.employee_id, inp.period, inp.cycle, inp.kras, tuple(shuffled))

    assert score(reordered).hash == score(inp).hash
