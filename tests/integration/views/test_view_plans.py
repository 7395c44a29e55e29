"""Plans as they stand: definitions, status, version and the target in force per quarter."""

from __future__ import annotations

from decimal import Decimal

import psycopg

from ledger.application import LedgerApp
from ledger.values import Aggregation, Direction, TargetSpec
from projections.queries import PeriodTarget, plan
from tests.integration.views.support import HR, open_cycle, project, seat

Reader = psycopg.Connection[tuple[object, ...]]


def test_a_plan_shows_the_target_in_force_in_each_quarter(
    own_app: LedgerApp, reader: Reader
) -> None:
    open_cycle(own_app)
    ana = seat(own_app, "E1001")
    own_app.revise_target(
        HR, "E1001", "FY2026", "retention", TargetSpec(Decimal(80), stretch=Decimal(95)),
        effective_from=ana.quarter(2), reason="market contraction",
    )  # fmt: skip
    own_app.adjust_target(
        HR, "E1001", "FY2026", "retention", TargetSpec(Decimal(70)),
        period=ana.quarter(3), reason="an account moved",
    )  # fmt: skip
    project(own_app)

    row = plan(reader, "E1001", "FY2026")

    assert row is not None
    [kra] = row.kras
    [kpi] = kra.kpis
    assert (kra.kra_id, kra.title, kra.weight) == (
        "client-retention",
        "Client Retention",
        Decimal(100),
    )
    assert (kpi.kpi_id, kpi.direction, kpi.aggregation) == (
        "retention",
        Direction.INCREASE,
        Aggregation.LAST,
    )
    assert kpi.definition == TargetSpec(Decimal(90))
    assert kpi.targets == (
        PeriodTarget("FY2026-Q1", Decimal(90), None, None),
        PeriodTarget("FY2026-Q2", Decimal(80), None, Decimal(95)),
        PeriodTarget("FY2026-Q3", Decimal(70), None, None),
        PeriodTarget("FY2026-Q4", Decimal(80), None, Decimal(95)),
    )
    current = own_app.plan("E1001", "FY2026")
    assert (row.status, row.version) == ("active", current.version)
    assert row.position == own_app.head_position()


def test_a_plan_nobody_drafted_is_not_found(own_app: LedgerApp, reader: Reader) -> None:
    open_cycle(own_app)
    seat(own_app, "E1001")
    project(own_app)

    assert plan(reader, "E1001", "FY2099") is None
