"""A worker's views share each new page: read once, handed to each with its own topics."""

from __future__ import annotations

import psycopg
from psycopg.rows import dict_row

from ledger.application import LedgerApp
from ledger.domain.employee import Employee
from projections.shared import SharedSource
from projections.views.topics import topic
from tests.integration.projections.projection_support import register, register_and_promote

REGISTERED = topic(Employee.Registered)


def test_a_page_read_for_one_view_serves_the_next_with_only_its_own_topics(
    own_app: LedgerApp, conninfo: str
) -> None:
    register_and_promote(own_app, 2)
    source = SharedSource.of(own_app)
    with psycopg.connect(conninfo, row_factory=dict_row) as conn:
        every = source.read(conn.cursor(), 0, 100)
        registrations = source.read(conn.cursor(), 0, 100, (REGISTERED,))

    assert {event.topic for event in every.events} > {REGISTERED}
    shared = [event for event in every.events if event.topic == REGISTERED]
    assert len(registrations.events) == len(shared) == 2
    assert all(a is b for a, b in zip(registrations.events, shared, strict=True))
    assert registrations.last_position == every.last_position


def test_a_page_that_found_the_head_is_read_again_once_the_ledger_moves_on(
    own_app: LedgerApp, conninfo: str
) -> None:
    first = register(own_app, 1)[-1]
    source = SharedSource.of(own_app)
    with psycopg.connect(conninfo, row_factory=dict_row) as conn:
        before = source.read(conn.cursor(), 0, 100)
        later = register(own_app, 2)[-1]
        after = source.read(conn.cursor(), 0, 100)

    assert before.last_position == first
    assert after.last_position == later
    assert [event.position for event in after.events][-1] == later
