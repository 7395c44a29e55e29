"""Aggregates in known states, saved in an in-memory application so nothing is pending."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

import pytest
from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder

from ledger.domain import (
    Employee,
    KpiDefinition,
    KraDefinition,
    Plan,
    Profile,
    ReviewCycle,
)
from ledger.transcodings import register_ledger_transcodings
from ledger.values import Aggregation, Direction, TargetSpec

ACTOR = "hr:priya"
IN_MEMORY = {"PERSISTENCE_MODULE": "eventsourcing.popo"}


class InMemoryLedger(Application[UUID]):
    """Stores events as the ledger does (JSON with the ledger's transcodings), in memory."""

    env = IN_MEMORY

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_ledger_transcodings(transcoder)


@pytest.fixture
def store() -> InMemoryLedger:
    return InMemoryLedger(env=IN_MEMORY)


@pytest.fixture
def employee(store: InMemoryLedger) -> Employee:
    employee = Employee.register(
        "E1001", Profile("Asha Rao", "HR", "HR Manager", "M001"), actor=ACTOR
    )
    store.save(employee)
    return employee


@pytest.fixture
def cycle(store: InMemoryLedger) -> ReviewCycle:
    """FY2026, April 2025 to March 2026."""
    cycle = ReviewCycle.open("FY2026", name="FY 2026", start_date=date(2025, 4, 1), actor=ACTOR)
    store.save(cycle)
    return cycle


@pytest.fixture
def draft_plan(store: InMemoryLedger) -> Plan:
    """Two KRAs (60 + 40): talent-acquisition with two KPIs (60 + 40), client-retention
    with one (100). Balanced, not yet active."""
    plan = Plan.draft("E1001", "FY2026", actor=ACTOR)
    plan.define_kra(
        "talent-acquisition", KraDefinition("Talent Acquisition", Decimal(60)), actor=ACTOR
    )
    plan.define_kpi("time-to-hire", "talent-acquisition", time_to_hire(), actor=ACTOR)
    plan.define_kpi(
        "offer-acceptance",
        "talent-acquisition",
        KpiDefinition(
            "Offer acceptance",
            "%",
            Direction.INCREASE,
            Aggregation.LAST,
            Decimal(40),
            TargetSpec(Decimal(80), Decimal(50), Decimal(95)),
        ),
        actor=ACTOR,
    )
    plan.define_kra(
        "client-retention",
        KraDefinition("Client Retention", Decimal(40), "Keep the clients we have"),
        actor=ACTOR,
    )
    plan.define_kpi("retention", "client-retention", retention(), actor=ACTOR)
    store.save(plan)
    return plan


@pytest.fixture
def active_plan(store: InMemoryLedger, draft_plan: Plan) -> Plan:
    draft_plan.activate(actor=ACTOR)
    store.save(draft_plan)
    return draft_plan


def time_to_hire(weight: int = 60) -> KpiDefinition:
    return KpiDefinition(
        "Time to hire",
        "days",
        Direction.DECREASE,
        Aggregation.MEAN,
        Decimal(weight),
        TargetSpec(Decimal(20)),
    )


def retention(weight: int = 100) -> KpiDefinition:
    return KpiDefinition(
        "Client retention",
        "%",
        Direction.INCREASE,
        Aggregation.LAST,
        Decimal(weight),
        TargetSpec(Decimal(90)),
    )
