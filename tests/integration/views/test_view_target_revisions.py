"""The target-revision register: every definition, revision, adjustment and removal."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import psycopg

from ledger.application import LedgerApp
from ledger.domain import KpiDefinition, KraDefinition, Weights
from ledger.values import TargetSpec
from projections.queries import RegisterFilter, TargetRevisionRow, target_revisions
from tests.integration.support import RETENTION
from tests.integration.views.support import HR, MANAGER, open_cycle, project, seat

Reader = psycopg.Connection[tuple[object, ...]]
REFERRALS = KpiDefinition(
    name="referrals",
    unit="count",
    direction=RETENTION.direction,
    aggregation=RETENTION.aggregation,
    weight=Decimal(50),
    spec=TargetSpec(Decimal(10)),
)
HALVES = Weights(
    {"client-retention": Decimal(100)}, {"retention": Decimal(50), "referrals": Decimal(50)}
)
WHOLE = Weights({"client-retention": Decimal(100)}, {"retention": Decimal(100)})
TWO_AREAS = Weights(
    {"client-retention": Decimal(50), "growth": Decimal(50)},
    {"retention": Decimal(100), "upsell": Decimal(50), "referrals": Decimal(50)},
)


def figures(row: TargetRevisionRow) -> tuple[object, ...]:
    return (
        row.kind,
        row.kpi_id,
        row.period,
        row.previous_target,
        row.previous_threshold,
        row.target,
        row.threshold,
    )


def test_the_register_lists_each_definition_revision_adjustment_and_removal(
    own_app: LedgerApp, reader: Reader
) -> None:
    open_cycle(own_app)
    ana = seat(own_app, "E1001")
    own_app.define_kpi(
        HR, "E1001", "FY2026", "referrals", "client-retention", REFERRALS,
        reason="referrals matter", weights=HALVES,
    )  # fmt: skip
    own_app.revise_target(
        HR, "E1001", "FY2026", "retention", TargetSpec(Decimal(80), threshold=Decimal(50)),
        effective_from=ana.quarter(2), reason="market contraction", approved_by="hr:head",
    )  # fmt: skip
    own_app.adjust_target(
        MANAGER, "E1001", "FY2026", "retention", TargetSpec(Decimal(75)),
        period=ana.quarter(3), reason="an account moved",
    )  # fmt: skip
    own_app.remove_kpi(HR, "E1001", "FY2026", "referrals", reason="not measurable", weights=WHOLE)
    project(own_app)

    rows = target_revisions(reader, RegisterFilter(employee_id="E1001")).items

    assert [figures(row) for row in rows] == [
        ("defined", "retention", "FY2026-Q1", None, None, Decimal(90), None),
        ("defined", "referrals", "FY2026-Q1", None, None, Decimal(10), None),
        ("revised", "retention", "FY2026-Q2", Decimal(90), None, Decimal(80), Decimal(50)),
        ("adjusted", "retention", "FY2026-Q3", Decimal(80), Decimal(50), Decimal(75), None),
        ("removed", "referrals", None, Decimal(10), None, None, None),
    ]
    revised = rows[2]
    assert (revised.actor, revised.reason, revised.approved_by) == (
        "hr:priya",
        "market contraction",
        "hr:head",
    )
    assert (revised.cycle_id, revised.kra_id) == ("FY2026", "client-retention")
    assert rows[3].actor == "manager:ravi"
    assert len({row.event_hash for row in rows}) == len(rows)


def test_a_page_of_the_register_never_splits_the_rows_of_one_event(
    own_app: LedgerApp, reader: Reader
) -> None:
    open_cycle(own_app)
    seat(own_app, "E1001")
    growth = {"upsell": replace(REFERRALS, name="upsell"), "referrals": REFERRALS}
    own_app.define_kra(
        HR, "E1001", "FY2026", "growth", KraDefinition("Growth", Decimal(50)),
        reason="a new area", kpis=growth, weights=TWO_AREAS,
    )  # fmt: skip
    own_app.remove_kra(HR, "E1001", "FY2026", "growth", reason="merged", weights=WHOLE)
    project(own_app)
    rows = target_revisions(reader).items
    removal = rows[-1].position

    first = target_revisions(reader, limit=4)
    second = target_revisions(reader, after=first.next, limit=1)
    third = target_revisions(reader, after=second.next, limit=1)

    assert [(row.kind, row.position) for row in rows[-2:]] == [("removed", removal)] * 2
    assert first.items == rows[:3]
    assert second.items == rows[3:]
    assert second.next == removal
    assert third.items == ()
    assert third.next is None
