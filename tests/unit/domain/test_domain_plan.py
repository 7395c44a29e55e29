from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.application import Application

from ledger.domain import KpiDefinition, KraDefinition, Plan, Weights
from ledger.errors import AlreadyExists, InvalidInput, LedgerError, NotFound, RuleViolated
from ledger.ids import plan_uuid
from ledger.values import Aggregation, Direction, TargetSpec

ACTOR = "hr:priya"
D = Decimal


def kpi(
    weight: int = 100,
    direction: Direction = Direction.INCREASE,
    spec: TargetSpec | None = None,
    unit: str = "count",
) -> KpiDefinition:
    return KpiDefinition(
        "New clients onboarded",
        unit,
        direction,
        Aggregation.SUM,
        D(weight),
        spec or TargetSpec(D(15)),
    )


def weights(kras: dict[str, int], kpis: dict[str, int]) -> Weights:
    return Weights({k: D(v) for k, v in kras.items()}, {k: D(v) for k, v in kpis.items()})


BALANCED = {"talent-acquisition": 60, "client-retention": 40}
KPI_WEIGHTS = {"time-to-hire": 60, "offer-acceptance": 40, "retention": 100}


# Drafting and defining


def test_drafting_a_plan_records_the_employee_the_cycle_and_the_actor() -> None:
    plan = Plan.draft("E1001", "FY2026", actor=ACTOR)

    (drafted,) = plan.collect_events()
    assert isinstance(drafted, Plan.Drafted)
    assert (drafted.employee_id, drafted.cycle_id, drafted.actor) == ("E1001", "FY2026", ACTOR)
    assert plan.id == plan_uuid("E1001", "FY2026")
    assert plan.status == "draft"
    assert plan.kras == ()


@pytest.mark.parametrize(("employee_id", "cycle_id"), [("E 1", "FY2026"), ("E1", "FY/2026")])
def test_drafting_with_malformed_keys_is_refused(employee_id: str, cycle_id: str) -> None:
    with pytest.raises(InvalidInput):
        Plan.draft(employee_id, cycle_id, actor=ACTOR)


def test_defining_a_kra_and_a_kpi_records_every_fact_of_them() -> None:
    plan = Plan.draft("E1001", "FY2026", actor=ACTOR)
    plan.define_kra("sales", KraDefinition("Revenue", D(100), "Grow revenue"), actor=ACTOR)
    spec = TargetSpec(D(15), D(10), D(20))
    plan.define_kpi("new-clients", "sales", kpi(spec=spec), actor=ACTOR)

    _, kra_defined, kpi_defined = plan.collect_events()
    assert isinstance(kra_defined, Plan.KraDefined)
    assert (kra_defined.kra_id, kra_defined.title, kra_defined.weight) == (
        "sales",
        "Revenue",
        D(100),
    )
    assert kra_defined.description == "Grow revenue"
    assert isinstance(kpi_defined, Plan.KpiDefined)
    assert (kpi_defined.kpi_id, kpi_defined.kra_id) == ("new-clients", "sales")
    assert (kpi_defined.direction, kpi_defined.aggregation) == (Direction.INCREASE, Aggregation.SUM)
    assert (kpi_defined.target, kpi_defined.threshold, kpi_defined.stretch) == (D(15), D(10), D(20))
    assert (kpi_defined.unit, kpi_defined.weight, kpi_defined.reason) == ("count", D(100), None)
    assert plan.kpi("new-clients").definition == spec
    assert plan.kpi("new-clients").to_definition() == kpi(spec=spec)


def test_kpis_are_listed_by_kra_in_the_order_they_were_defined(draft_plan: Plan) -> None:
    draft_plan.define_kpi("referrals", "talent-acquisition", kpi(), actor=ACTOR)

    assert [kra.kra_id for kra in draft_plan.kras] == ["talent-acquisition", "client-retention"]
    assert [k.kpi_id for k in draft_plan.kpis] == [
        "time-to-hire",
        "offer-acceptance",
        "referrals",
        "retention",
    ]
    assert [k.kpi_id for k in draft_plan.kpis_of("client-retention")] == ["retention"]
    assert draft_plan.has_kpi("referrals")
    assert not draft_plan.has_kpi("unknown")


def test_a_kra_can_be_defined_with_its_kpis_in_one_command(draft_plan: Plan) -> None:
    draft_plan.define_kra(
        "compliance",
        KraDefinition("Compliance", D(10)),
        kpis={"violations": kpi(direction=Direction.DECREASE, spec=TargetSpec(D(0), D(3)))},
        actor=ACTOR,
    )

    events = draft_plan.collect_events()
    assert [type(e).__name__ for e in events] == ["KraDefined", "KpiDefined"]
    assert draft_plan.kpi("violations").kra_id == "compliance"


@pytest.mark.parametrize(
    ("direction", "spec"),
    [
        (Direction.INCREASE, TargetSpec(D(90))),
        (Direction.INCREASE, TargetSpec(D(50), D(0))),
        (Direction.INCREASE, TargetSpec(D(-5), D(-10), D(0))),
        (Direction.INCREASE, TargetSpec(D(80), D(50), D(95))),
        (Direction.DECREASE, TargetSpec(D(20))),
        (Direction.DECREASE, TargetSpec(D(0), D(3))),
        (Direction.DECREASE, TargetSpec(D(24), D(48), D(12))),
    ],
    ids=[
        "increase with a target only",
        "increase from a threshold of zero",
        "increase below zero with a threshold",
        "increase with threshold and stretch",
        "decrease with a target only",
        "decrease to zero with a threshold",
        "decrease with threshold and stretch",
    ],
)
def test_valid_kpi_specs_are_accepted(direction: Direction, spec: TargetSpec) -> None:
    plan = Plan.draft("E1001", "FY2026", actor=ACTOR)
    plan.define_kra("k", KraDefinition("K", D(100)), actor=ACTOR)
    plan.define_kpi("p", "k", kpi(direction=direction, spec=spec), actor=ACTOR)
    assert plan.kpi("p").definition == spec


@pytest.mark.parametrize(
    ("direction", "spec", "field"),
    [
        (Direction.INCREASE, TargetSpec(D(0)), "target"),
        (Direction.INCREASE, TargetSpec(D(-1)), "target"),
        (Direction.INCREASE, TargetSpec(D(50), D(50)), "threshold"),
        (Direction.INCREASE, TargetSpec(D(50), D(60)), "threshold"),
        (Direction.INCREASE, TargetSpec(D(50), None, D(50)), "stretch"),
        (Direction.INCREASE, TargetSpec(D(50), None, D(40)), "stretch"),
        (Direction.DECREASE, TargetSpec(D(0)), "target"),
        (Direction.DECREASE, TargetSpec(D(20), D(10)), "threshold"),
        (Direction.DECREASE, TargetSpec(D(20), None, D(30)), "stretch"),
        (Direction.DECREASE, TargetSpec(D(20), D(30), D(20)), "stretch"),
        (Direction.INCREASE, TargetSpec(D("1E+20")), "target"),
        (Direction.INCREASE, TargetSpec(D(50), None, D("Infinity")), "stretch"),
    ],
    ids=[
        "increase to zero without a threshold",
        "increase to below zero without a threshold",
        "increase with the threshold at the target",
        "increase with the threshold above the target",
        "increase with the stretch at the target",
        "increase with the stretch below the target",
        "decrease to zero without a threshold",
        "decrease with the threshold below the target",
        "decrease with the stretch above the target",
        "decrease with the stretch at the target",
        "a target too large to store",
        "an infinite stretch",
    ],
)
def test_invalid_kpi_specs_are_refused_naming_the_field(
    draft_plan: Plan, direction: Direction, spec: TargetSpec, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        draft_plan.define_kpi(
            "p", "client-retention", kpi(direction=direction, spec=spec), actor=ACTOR
        )
    assert field in refused.value.fields
    assert draft_plan.collect_events() == []


def test_before_activation_definitions_change_freely_without_a_reason(draft_plan: Plan) -> None:
    new = KpiDefinition(
        "Days to hire",
        "days",
        Direction.DECREASE,
        Aggregation.MAX,
        D(70),
        TargetSpec(D(25), D(40)),
        "From requisition to signed offer",
    )

    changed = draft_plan.change_kpi("time-to-hire", new, actor=ACTOR)
    kra_changed = draft_plan.change_kra(
        "talent-acquisition", KraDefinition("Hiring", D(55)), actor=ACTOR
    )

    assert changed == [
        "name",
        "description",
        "aggregation",
        "weight",
        "target",
        "threshold",
    ]
    assert kra_changed == ["title", "weight"]
    kpi_changed, kra_event = draft_plan.collect_events()
    assert isinstance(kpi_changed, Plan.KpiChanged)
    assert kpi_changed.changes["threshold"] == D(40)
    assert kpi_changed.reason is None
    assert isinstance(kra_event, Plan.KraChanged)
    assert kra_event.changes == {"title": "Hiring", "weight": D(55)}
    assert draft_plan.kpi("time-to-hire").to_definition() == new
    assert draft_plan.kra("talent-acquisition").weight == D(55)


def test_a_change_that_changes_nothing_records_nothing(draft_plan: Plan) -> None:
    current = draft_plan.kpi("retention").to_definition()
    assert draft_plan.change_kpi("retention", current, actor=ACTOR) == []
    kra = draft_plan.kra("client-retention").to_definition()
    assert draft_plan.change_kra("client-retention", kra, actor=ACTOR) == []
    assert draft_plan.collect_events() == []


def test_a_kpi_threshold_can_be_removed_by_a_change(draft_plan: Plan) -> None:
    offer = draft_plan.kpi("offer-acceptance").to_definition()
    without = KpiDefinition(
        offer.name,
        offer.unit,
        offer.direction,
        offer.aggregation,
        offer.weight,
        TargetSpec(D(80), None, D(95)),
    )
    draft_plan.change_kpi("offer-acceptance", without, actor=ACTOR)
    assert draft_plan.kpi("offer-acceptance").definition == TargetSpec(D(80), None, D(95))


def test_removing_a_kra_removes_its_kpis_and_says_which(draft_plan: Plan) -> None:
    draft_plan.remove_kra("talent-acquisition", actor=ACTOR)

    (removed,) = draft_plan.collect_events()
    assert isinstance(removed, Plan.KraRemoved)
    assert removed.kpi_ids == ["time-to-hire", "offer-acceptance"]
    assert [k.kpi_id for k in draft_plan.kpis] == ["retention"]


def test_removing_a_kpi_from_a_draft_leaves_its_kra(draft_plan: Plan) -> None:
    draft_plan.remove_kpi("retention", actor=ACTOR)

    (removed,) = draft_plan.collect_events()
    assert isinstance(removed, Plan.KpiRemoved)
    assert draft_plan.kpis_of("client-retention") == ()
    assert draft_plan.kra("client-retention").title == "Client Retention"


def test_a_kpi_id_removed_from_a_draft_can_be_defined_again(draft_plan: Plan) -> None:
    draft_plan.remove_kpi("retention", actor=ACTOR)
    draft_plan.define_kpi("retention", "client-retention", kpi(), actor=ACTOR)
    assert draft_plan.has_kpi("retention")


def test_a_draft_can_be_reweighted_without_summing_to_100(draft_plan: Plan) -> None:
    draft_plan.reweight(
        weights({"talent-acquisition": 10, "client-retention": 20}, KPI_WEIGHTS), actor=ACTOR
    )

    (reweighted,) = draft_plan.collect_events()
    assert isinstance(reweighted, Plan.Reweighted)
    assert reweighted.kra_weights == {"talent-acquisition": D(10), "client-retention": D(20)}
    assert reweighted.kpi_weights == {k: D(v) for k, v in KPI_WEIGHTS.items()}
    assert draft_plan.kra("talent-acquisition").weight == D(10)


def test_defining_with_weights_reweights_the_whole_draft_after_the_definition(
    draft_plan: Plan,
) -> None:
    draft_plan.define_kpi(
        "referrals",
        "client-retention",
        kpi(weight=30),
        weights=weights(BALANCED, KPI_WEIGHTS | {"retention": 70, "referrals": 30}),
        actor=ACTOR,
    )

    assert [type(e).__name__ for e in draft_plan.collect_events()] == [
        "KpiDefined",
        "Reweighted",
    ]
    assert draft_plan.kpi("retention").weight == D(70)


DRAFT_REFUSALS: list[Any] = [
    pytest.param(
        lambda p: p.define_kra("client-retention", KraDefinition("Again", D(10)), actor=ACTOR),
        AlreadyExists,
        id="defining a KRA id twice",
    ),
    pytest.param(
        lambda p: p.define_kpi("retention", "talent-acquisition", kpi(), actor=ACTOR),
        AlreadyExists,
        id="defining a KPI id twice, even in another KRA",
    ),
    pytest.param(
        lambda p: p.define_kra(
            "new", KraDefinition("New", D(10)), kpis={"retention": kpi()}, actor=ACTOR
        ),
        AlreadyExists,
        id="defining a KRA with a KPI id the plan has",
    ),
    pytest.param(
        lambda p: p.define_kpi("p", "no-such-kra", kpi(), actor=ACTOR),
        NotFound,
        id="defining a KPI of an unknown KRA",
    ),
    pytest.param(
        lambda p: p.define_kra("bad id", KraDefinition("X", D(10)), actor=ACTOR),
        InvalidInput,
        id="a malformed KRA id",
    ),
    pytest.param(
        lambda p: p.define_kpi("bad/id", "client-retention", kpi(), actor=ACTOR),
        InvalidInput,
        id="a malformed KPI id",
    ),
    pytest.param(
        lambda p: p.define_kra("x", KraDefinition(" ", D(10)), actor=ACTOR),
        InvalidInput,
        id="a KRA without a title",
    ),
    pytest.param(
        lambda p: p.define_kra("x", KraDefinition("X", D(0)), actor=ACTOR),
        InvalidInput,
        id="a weight of zero",
    ),
    pytest.param(
        lambda p: p.define_kra("x", KraDefinition("X", D("100.01")), actor=ACTOR),
        InvalidInput,
        id="a weight above 100",
    ),
    pytest.param(
        lambda p: p.define_kpi("p", "client-retention", kpi(weight=-5), actor=ACTOR),
        InvalidInput,
        id="a negative KPI weight",
    ),
    pytest.param(
        lambda p: p.define_kpi(
            "p",
            "client-retention",
            KpiDefinition("X", "", "up", Aggregation.SUM, D(1), TargetSpec(D(1))),  # type: ignore[arg-type]
            actor=ACTOR,
        ),
        InvalidInput,
        id="a direction that is not a Direction",
    ),
    pytest.param(
        lambda p: p.define_kra(
            "new",
            KraDefinition("New", D(10)),
            kpis={"p": kpi(spec=TargetSpec(D(0)))},
            actor=ACTOR,
        ),
        InvalidInput,
        id="a KRA with an invalid KPI",
    ),
    pytest.param(
        lambda p: p.define_kpi(
            "p",
            "client-retention",
            kpi(weight=30),
            weights=weights(BALANCED, KPI_WEIGHTS | {"p": 20}),
            actor=ACTOR,
        ),
        InvalidInput,
        id="weights that contradict the new definition",
    ),
    pytest.param(
        lambda p: p.change_kpi("unknown", kpi(), actor=ACTOR),
        NotFound,
        id="changing an unknown KPI",
    ),
    pytest.param(
        lambda p: p.change_kra("unknown", KraDefinition("X", D(1)), actor=ACTOR),
        NotFound,
        id="changing an unknown KRA",
    ),
    pytest.param(
        lambda p: p.remove_kpi("unknown", actor=ACTOR),
        NotFound,
        id="removing an unknown KPI",
    ),
    pytest.param(
        lambda p: p.remove_kra("unknown", actor=ACTOR),
        NotFound,
        id="removing an unknown KRA",
    ),
    pytest.param(
        lambda p: p.reweight(weights(BALANCED, {"time-to-hire": 60}), actor=ACTOR),
        InvalidInput,
        id="weights that leave KPIs out",
    ),
    pytest.param(
        lambda p: p.reweight(weights(BALANCED, KPI_WEIGHTS | {"ghost": 5}), actor=ACTOR),
        InvalidInput,
        id="weights for an unknown KPI",
    ),
    pytest.param(
        lambda p: p.reweight(weights(BALANCED, KPI_WEIGHTS), actor=ACTOR),
        RuleViolated,
        id="weights the plan has already",
    ),
    pytest.param(
        lambda p: p.revise_target(
            "retention", TargetSpec(D(85)), effective_from="FY2026-Q3", reason="r", actor=ACTOR
        ),
        RuleViolated,
        id="revising a target of a draft",
    ),
    pytest.param(
        lambda p: p.adjust_target(
            "retention", TargetSpec(D(85)), period="FY2026-Q3", reason="r", actor=ACTOR
        ),
        RuleViolated,
        id="adjusting a target of a draft",
    ),
    pytest.param(
        lambda p: p.define_kra("x", KraDefinition("X", D(10)), actor=""),
        InvalidInput,
        id="a command without an actor",
    ),
]


@pytest.mark.parametrize(("command", "error"), DRAFT_REFUSALS)
def test_a_refused_command_on_a_draft_raises_its_error_and_records_nothing(
    draft_plan: Plan, command: Callable[[Plan], object], error: type[LedgerError]
) -> None:
    version = draft_plan.version
    with pytest.raises(error):
        command(draft_plan)
    assert draft_plan.collect_events() == []
    assert draft_plan.version == version


# Activation


def test_a_balanced_plan_is_activated(draft_plan: Plan) -> None:
    draft_plan.activate(actor="manager:meera")

    (activated,) = draft_plan.collect_events()
    assert isinstance(activated, Plan.Activated)
    assert activated.actor == "manager:meera"
    assert draft_plan.status == "active"
    assert draft_plan.is_active


ACTIVATION_REFUSALS: list[Any] = [
    pytest.param(
        lambda p: p.reweight(
            weights({"talent-acquisition": 60, "client-retention": 30}, KPI_WEIGHTS), actor=ACTOR
        ),
        "KRA weights sum to 90",
        id="KRA weights that do not sum to 100",
    ),
    pytest.param(
        lambda p: p.reweight(weights(BALANCED, KPI_WEIGHTS | {"time-to-hire": 50}), actor=ACTOR),
        "KPI weights of KRA talent-acquisition sum to 90",
        id="KPI weights of a KRA that do not sum to 100",
    ),
    pytest.param(
        lambda p: p.remove_kpi("retention", actor=ACTOR),
        "KRA client-retention has no KPI",
        id="a KRA without KPIs",
    ),
    pytest.param(
        lambda p: [p.remove_kra(k.kra_id, actor=ACTOR) for k in p.kras],
        "the plan has no KRA",
        id="a plan without KRAs",
    ),
    pytest.param(lambda p: p.activate(actor=ACTOR), "active already", id="activating twice"),
]


@pytest.mark.parametrize(("prepare", "problem"), ACTIVATION_REFUSALS)
def test_activation_is_refused_unless_balanced_and_still_a_draft(
    draft_plan: Plan, prepare: Callable[[Plan], object], problem: str
) -> None:
    prepare(draft_plan)
    draft_plan.collect_events()
    version = draft_plan.version

    with pytest.raises(RuleViolated, match=problem):
        draft_plan.activate(actor=ACTOR)
    assert draft_plan.collect_events() == []
    assert draft_plan.version == version


# Lint


def test_lint_warns_about_practice_but_refuses_nothing(draft_plan: Plan) -> None:
    draft_plan.define_kpi("calls", "client-retention", kpi(weight=10, unit=""), actor=ACTOR)
    draft_plan.collect_events()

    warnings = draft_plan.lint()

    assert warnings == [
        "the plan has 2 KRAs; good practice is 4 to 6",
        "KRA talent-acquisition has no description",
        "KPI calls has no unit, so it is not measurable",
        "activation needs: KPI weights of KRA client-retention sum to 110, not 100",
    ]
    assert draft_plan.collect_events() == []


def test_lint_warns_about_a_kra_with_too_many_or_too_few_kpis(active_plan: Plan) -> None:
    assert "KRA client-retention has 1 KPIs; good practice is 2 to 3" in active_plan.lint()


def test_a_plan_of_good_practice_has_no_warnings() -> None:
    plan = Plan.draft("E1001", "FY2026", actor=ACTOR)
    for kra_index in range(4):
        plan.define_kra(
            f"kra-{kra_index}",
            KraDefinition(f"KRA {kra_index}", D(25), "Why it matters"),
            actor=ACTOR,
        )
        for kpi_index in range(2):
            plan.define_kpi(
                f"kpi-{kra_index}-{kpi_index}", f"kra-{kra_index}", kpi(50), actor=ACTOR
            )
    assert plan.lint() == []


# Storage


def test_a_plan_survives_storage_and_earlier_versions_stay_readable(
    store: Application[UUID], active_plan: Plan
) -> None:
    activated_at = active_plan.version
    active_plan.revise_target(
        "retention",
        TargetSpec(D(85), D(60), D(95)),
        effective_from="FY2026-Q3",
        reason="two key accounts moved",
        approved_by="director:anil",
        actor=ACTOR,
    )
    active_plan.adjust_target(
        "time-to-hire", TargetSpec(D(30)), period="FY2026-Q2", reason="hiring freeze", actor=ACTOR
    )
    active_plan.change_kpi(
        "offer-acceptance",
        KpiDefinition(
            "Offers accepted",
            "%",
            Direction.INCREASE,
            Aggregation.MEAN,
            D(40),
            TargetSpec(D(80), D(50), D(95)),
        ),
        reason="clearer name",
        actor=ACTOR,
    )
    active_plan.define_kpi(
        "referrals",
        "client-retention",
        kpi(weight=25),
        weights=weights(BALANCED, KPI_WEIGHTS | {"retention": 75, "referrals": 25}),
        reason="referrals matter",
        actor=ACTOR,
    )
    active_plan.remove_kra(
        "talent-acquisition",
        weights=weights({"client-retention": 100}, {"retention": 75, "referrals": 25}),
        reason="hiring moved to another team",
        actor=ACTOR,
    )
    store.save(active_plan)

    stored: Plan = store.repository.get(active_plan.id)
    assert stored == active_plan
    assert stored.kpi("retention").revisions == active_plan.kpi("retention").revisions
    earlier: Plan = store.repository.get(active_plan.id, version=activated_at)
    assert earlier.is_active
    assert [k.kpi_id for k in earlier.kpis] == ["time-to-hire", "offer-acceptance", "retention"]
    assert earlier.kpi("retention").revisions == ()
