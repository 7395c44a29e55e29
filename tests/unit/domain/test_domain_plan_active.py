from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from ledger.domain import KpiDefinition, KraDefinition, Plan, Weights
from ledger.errors import AlreadyExists, InvalidInput, LedgerError, NotFound, RuleViolated
from ledger.scoring import TargetChange
from ledger.values import Aggregation, Direction, TargetSpec

ACTOR = "manager:meera"
D = Decimal
BALANCED = {"talent-acquisition": 60, "client-retention": 40}
KPI_WEIGHTS = {"time-to-hire": 60, "offer-acceptance": 40, "retention": 100}


def kpi(weight: int = 100) -> KpiDefinition:
    return KpiDefinition(
        "Referrals", "count", Direction.INCREASE, Aggregation.SUM, D(weight), TargetSpec(D(5))
    )


def weights(kras: dict[str, int], kpis: dict[str, int]) -> Weights:
    return Weights({k: D(v) for k, v in kras.items()}, {k: D(v) for k, v in kpis.items()})


def kpi_changed(plan: Plan, kpi_id: str, **changes: Any) -> KpiDefinition:
    return replace(plan.kpi(kpi_id).to_definition(), **changes)


WITH_REFERRALS = weights(BALANCED, KPI_WEIGHTS | {"retention": 75, "referrals": 25})


# Changes to an active plan


def test_an_active_plan_changes_with_a_reason(active_plan: Plan) -> None:
    changed = active_plan.change_kpi(
        "retention",
        kpi_changed(active_plan, "retention", unit="percent", aggregation=Aggregation.MEAN),
        reason="align with finance reporting",
        actor=ACTOR,
    )

    assert changed == ["unit", "aggregation"]
    (event,) = active_plan.collect_events()
    assert isinstance(event, Plan.KpiChanged)
    assert event.reason == "align with finance reporting"
    assert event.changes == {"unit": "percent", "aggregation": Aggregation.MEAN}


def test_a_kra_of_an_active_plan_may_be_renamed_with_a_reason(active_plan: Plan) -> None:
    active_plan.change_kra(
        "client-retention",
        KraDefinition("Client Success", D(40), "Keep the clients we have"),
        reason="new name",
        actor=ACTOR,
    )
    assert active_plan.kra("client-retention").title == "Client Success"


def test_a_new_kpi_on_an_active_plan_comes_with_a_complete_set_of_weights(
    active_plan: Plan,
) -> None:
    active_plan.define_kpi(
        "referrals",
        "client-retention",
        kpi(25),
        weights=WITH_REFERRALS,
        reason="referrals matter",
        actor=ACTOR,
    )

    defined, reweighted = active_plan.collect_events()
    assert isinstance(defined, Plan.KpiDefined)
    assert defined.reason == "referrals matter"
    assert isinstance(reweighted, Plan.Reweighted)
    assert reweighted.reason == "referrals matter"
    assert active_plan.kpi("retention").weight == D(75)
    assert active_plan.kpi("referrals").weight == D(25)


def test_a_new_kra_on_an_active_plan_comes_with_its_kpis_and_weights(active_plan: Plan) -> None:
    active_plan.define_kra(
        "compliance",
        KraDefinition("Compliance", D(20)),
        kpis={"referrals": kpi(100)},
        weights=weights(
            {"talent-acquisition": 50, "client-retention": 30, "compliance": 20},
            KPI_WEIGHTS | {"referrals": 100},
        ),
        reason="new regulation",
        actor=ACTOR,
    )

    events = active_plan.collect_events()
    assert [type(e).__name__ for e in events] == ["KraDefined", "KpiDefined", "Reweighted"]
    assert [kra.weight for kra in active_plan.kras] == [D(50), D(30), D(20)]


def test_removing_a_kpi_from_an_active_plan_reweights_what_remains(active_plan: Plan) -> None:
    active_plan.remove_kpi(
        "offer-acceptance",
        weights=weights(BALANCED, {"time-to-hire": 100, "retention": 100}),
        reason="no offers this year",
        actor=ACTOR,
    )

    removed, reweighted = active_plan.collect_events()
    assert isinstance(removed, Plan.KpiRemoved)
    assert removed.reason == "no offers this year"
    assert isinstance(reweighted, Plan.Reweighted)
    assert active_plan.kpi("time-to-hire").weight == D(100)


def test_removing_a_kra_from_an_active_plan_reweights_what_remains(active_plan: Plan) -> None:
    active_plan.remove_kra(
        "talent-acquisition",
        weights=weights({"client-retention": 100}, {"retention": 100}),
        reason="hiring moved to another team",
        actor=ACTOR,
    )

    removed, _ = active_plan.collect_events()
    assert isinstance(removed, Plan.KraRemoved)
    assert removed.kpi_ids == ["time-to-hire", "offer-acceptance"]
    assert [k.kpi_id for k in active_plan.kpis] == ["retention"]


def test_a_kpi_id_removed_from_an_active_plan_is_never_reused(active_plan: Plan) -> None:
    active_plan.remove_kpi(
        "offer-acceptance",
        weights=weights(BALANCED, {"time-to-hire": 100, "retention": 100}),
        reason="dropped",
        actor=ACTOR,
    )
    active_plan.collect_events()

    with pytest.raises(AlreadyExists):
        active_plan.define_kpi(
            "offer-acceptance",
            "talent-acquisition",
            kpi(40),
            weights=weights(BALANCED, KPI_WEIGHTS),
            reason="back again",
            actor=ACTOR,
        )
    assert active_plan.collect_events() == []


def test_an_active_plan_is_reweighted_at_once_keeping_every_sum_at_100(
    active_plan: Plan,
) -> None:
    active_plan.reweight(
        weights({"talent-acquisition": 50, "client-retention": 50}, KPI_WEIGHTS),
        reason="retention is the priority",
        actor=ACTOR,
    )

    (reweighted,) = active_plan.collect_events()
    assert isinstance(reweighted, Plan.Reweighted)
    assert reweighted.kra_weights == {"talent-acquisition": D(50), "client-retention": D(50)}
    assert reweighted.reason == "retention is the priority"


ACTIVE_REFUSALS: list[Any] = [
    pytest.param(
        lambda p: p.change_kpi(
            "retention", kpi_changed(p, "retention", unit="pct"), reason=None, actor=ACTOR
        ),
        InvalidInput,
        id="a KPI change without a reason",
    ),
    pytest.param(
        lambda p: p.change_kra(
            "client-retention", KraDefinition("New", D(40)), reason=" ", actor=ACTOR
        ),
        InvalidInput,
        id="a KRA change with a blank reason",
    ),
    pytest.param(
        lambda p: p.change_kra(
            "client-retention", KraDefinition("Client Retention", D(50)), reason="r", actor=ACTOR
        ),
        RuleViolated,
        id="a KRA weight change outside a reweight",
    ),
    pytest.param(
        lambda p: p.change_kpi(
            "retention", kpi_changed(p, "retention", weight=D(90)), reason="r", actor=ACTOR
        ),
        RuleViolated,
        id="a KPI weight change outside a reweight",
    ),
    pytest.param(
        lambda p: p.change_kpi(
            "retention",
            kpi_changed(p, "retention", spec=TargetSpec(D(80))),
            reason="r",
            actor=ACTOR,
        ),
        RuleViolated,
        id="a target change outside a target revision",
    ),
    pytest.param(
        lambda p: p.change_kpi(
            "retention",
            kpi_changed(p, "retention", spec=TargetSpec(D(90), D(70))),
            reason="r",
            actor=ACTOR,
        ),
        RuleViolated,
        id="a threshold change outside a target revision",
    ),
    pytest.param(
        lambda p: p.change_kpi(
            "offer-acceptance",
            kpi_changed(p, "offer-acceptance", spec=TargetSpec(D(80), D(50))),
            reason="r",
            actor=ACTOR,
        ),
        RuleViolated,
        id="a stretch change outside a target revision",
    ),
    pytest.param(
        lambda p: p.change_kpi(
            "time-to-hire",
            kpi_changed(p, "time-to-hire", direction=Direction.INCREASE),
            reason="r",
            actor=ACTOR,
        ),
        RuleViolated,
        id="a change of direction",
    ),
    pytest.param(
        lambda p: p.define_kpi("referrals", "client-retention", kpi(25), reason="r", actor=ACTOR),
        InvalidInput,
        id="a new KPI without weights",
    ),
    pytest.param(
        lambda p: p.define_kpi(
            "referrals", "client-retention", kpi(25), weights=WITH_REFERRALS, actor=ACTOR
        ),
        InvalidInput,
        id="a new KPI without a reason",
    ),
    pytest.param(
        lambda p: p.define_kpi(
            "referrals",
            "client-retention",
            kpi(25),
            weights=weights(BALANCED, KPI_WEIGHTS | {"referrals": 25}),
            reason="r",
            actor=ACTOR,
        ),
        RuleViolated,
        id="a new KPI whose weights leave its KRA above 100",
    ),
    pytest.param(
        lambda p: p.define_kra(
            "compliance",
            KraDefinition("Compliance", D(20)),
            weights=weights(
                {"talent-acquisition": 50, "client-retention": 30, "compliance": 20}, KPI_WEIGHTS
            ),
            reason="r",
            actor=ACTOR,
        ),
        RuleViolated,
        id="a new KRA without KPIs",
    ),
    pytest.param(
        lambda p: p.remove_kpi(
            "retention",
            weights=weights(BALANCED, {"time-to-hire": 60, "offer-acceptance": 40}),
            reason="r",
            actor=ACTOR,
        ),
        RuleViolated,
        id="removing the last KPI of a KRA",
    ),
    pytest.param(
        lambda p: p.remove_kra("client-retention", reason="r", actor=ACTOR),
        InvalidInput,
        id="removing a KRA without weights",
    ),
    pytest.param(
        lambda p: p.remove_kra(
            "client-retention",
            weights=weights({"talent-acquisition": 60}, KPI_WEIGHTS),
            reason="r",
            actor=ACTOR,
        ),
        InvalidInput,
        id="removing a KRA with weights that still name its KPIs",
    ),
    pytest.param(
        lambda p: p.reweight(
            weights({"talent-acquisition": 60, "client-retention": 50}, KPI_WEIGHTS),
            reason="r",
            actor=ACTOR,
        ),
        RuleViolated,
        id="reweighting above 100",
    ),
    pytest.param(
        lambda p: p.reweight(
            weights({"talent-acquisition": 50, "client-retention": 50}, KPI_WEIGHTS),
            reason=None,
            actor=ACTOR,
        ),
        InvalidInput,
        id="reweighting without a reason",
    ),
]


@pytest.mark.parametrize(("command", "error"), ACTIVE_REFUSALS)
def test_a_refused_command_on_an_active_plan_raises_its_error_and_records_nothing(
    active_plan: Plan, command: Callable[[Plan], object], error: type[LedgerError]
) -> None:
    version = active_plan.version
    with pytest.raises(error):
        command(active_plan)
    assert active_plan.collect_events() == []
    assert active_plan.version == version


# Target revisions and adjustments


def test_a_target_revision_records_the_new_targets_from_a_quarter_onward(
    active_plan: Plan,
) -> None:
    active_plan.revise_target(
        "retention",
        TargetSpec(D(85), D(60)),
        effective_from="FY2026-Q3",
        reason="two key accounts moved to a new region",
        approved_by="director:anil",
        actor=ACTOR,
    )

    (revised,) = active_plan.collect_events()
    assert isinstance(revised, Plan.TargetRevised)
    assert (revised.kpi_id, revised.effective_from) == ("retention", "FY2026-Q3")
    assert (revised.target, revised.threshold, revised.stretch) == (D(85), D(60), None)
    assert revised.reason == "two key accounts moved to a new region"
    assert (revised.approved_by, revised.actor) == ("director:anil", ACTOR)
    assert active_plan.kpi("retention").revisions == (
        TargetChange(3, active_plan.version, TargetSpec(D(85), D(60))),
    )
    assert active_plan.kpi("retention").definition == TargetSpec(D(90))


def test_a_target_adjustment_records_the_targets_for_one_quarter(active_plan: Plan) -> None:
    active_plan.adjust_target(
        "time-to-hire",
        TargetSpec(D(30), D(45)),
        period="FY2026-Q2",
        reason="hiring freeze",
        actor=ACTOR,
    )

    (adjusted,) = active_plan.collect_events()
    assert isinstance(adjusted, Plan.TargetAdjusted)
    assert (adjusted.period, adjusted.approved_by) == ("FY2026-Q2", None)
    assert active_plan.kpi("time-to-hire").adjustments == (
        TargetChange(2, active_plan.version, TargetSpec(D(30), D(45))),
    )


def test_target_changes_carry_the_plan_version_that_recorded_them(active_plan: Plan) -> None:
    for quarter in ("FY2026-Q4", "FY2026-Q2", "FY2026-Q2"):
        active_plan.revise_target(
            "retention", TargetSpec(D(88)), effective_from=quarter, reason="r", actor=ACTOR
        )
        active_plan.adjust_target(
            "retention", TargetSpec(D(80)), period=quarter, reason="r", actor=ACTOR
        )
    events = active_plan.collect_events()

    retention = active_plan.kpi("retention")
    sequences = [c.sequence for c in retention.revisions + retention.adjustments]
    assert sorted(sequences) == [e.originator_version for e in events]
    assert [c.quarter for c in retention.revisions] == [4, 2, 2]


def test_a_blank_approver_counts_as_none(active_plan: Plan) -> None:
    active_plan.revise_target(
        "retention",
        TargetSpec(D(88)),
        effective_from="FY2026-Q1",
        reason="r",
        approved_by=" ",
        actor=ACTOR,
    )
    (revised,) = active_plan.collect_events()
    assert isinstance(revised, Plan.TargetRevised)
    assert revised.approved_by is None


TARGET_REFUSALS: list[Any] = [
    pytest.param(
        lambda p: p.revise_target(
            "unknown", TargetSpec(D(1)), effective_from="FY2026-Q3", reason="r", actor=ACTOR
        ),
        NotFound,
        id="revising the target of an unknown KPI",
    ),
    pytest.param(
        lambda p: p.adjust_target(
            "unknown", TargetSpec(D(1)), period="FY2026-Q3", reason="r", actor=ACTOR
        ),
        NotFound,
        id="adjusting the target of an unknown KPI",
    ),
    pytest.param(
        lambda p: p.revise_target(
            "retention", TargetSpec(D(85)), effective_from="FY2027-Q3", reason="r", actor=ACTOR
        ),
        InvalidInput,
        id="a revision from a quarter of another cycle",
    ),
    pytest.param(
        lambda p: p.revise_target(
            "retention", TargetSpec(D(85)), effective_from="FY2026", reason="r", actor=ACTOR
        ),
        InvalidInput,
        id="a revision from the whole cycle rather than a quarter",
    ),
    pytest.param(
        lambda p: p.adjust_target(
            "retention", TargetSpec(D(85)), period="FY2026-Q5", reason="r", actor=ACTOR
        ),
        InvalidInput,
        id="an adjustment for a fifth quarter",
    ),
    pytest.param(
        lambda p: p.adjust_target(
            "retention", TargetSpec(D(85)), period="Q3", reason="r", actor=ACTOR
        ),
        InvalidInput,
        id="an adjustment naming a quarter without its cycle",
    ),
    pytest.param(
        lambda p: p.revise_target(
            "time-to-hire",
            TargetSpec(D(20), D(10)),
            effective_from="FY2026-Q3",
            reason="r",
            actor=ACTOR,
        ),
        InvalidInput,
        id="a revision invalid for the KPI's direction",
    ),
    pytest.param(
        lambda p: p.adjust_target(
            "retention", TargetSpec(D(0)), period="FY2026-Q3", reason="r", actor=ACTOR
        ),
        InvalidInput,
        id="an adjustment to zero without a threshold",
    ),
    pytest.param(
        lambda p: p.revise_target(
            "retention", TargetSpec(D(85)), effective_from="FY2026-Q3", reason=None, actor=ACTOR
        ),
        InvalidInput,
        id="a revision without a reason",
    ),
    pytest.param(
        lambda p: p.adjust_target(
            "retention", TargetSpec(D(85)), period="FY2026-Q3", reason="", actor=ACTOR
        ),
        InvalidInput,
        id="an adjustment without a reason",
    ),
]


@pytest.mark.parametrize(("command", "error"), TARGET_REFUSALS)
def test_a_refused_target_change_raises_its_error_and_records_nothing(
    active_plan: Plan, command: Callable[[Plan], object], error: type[LedgerError]
) -> None:
    version = active_plan.version
    with pytest.raises(error):
        command(active_plan)
    assert active_plan.collect_events() == []
    assert active_plan.version == version
