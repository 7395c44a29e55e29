"""After an erasure the read models hold nothing of the person, live as after a rebuild."""

from __future__ import annotations

import pytest

from ledger.application import LedgerApp
from ledger.domain.personal import ERASED
from projections import Worker
from projections.catalog import all_views
from tests.integration.personal_story import other_person, told
from tests.integration.views.support import HR, SMALL_PAGES, caught_up, project, snapshot


@pytest.mark.parametrize("settled_first", [True, False])
def test_views_after_an_erasure_hold_nothing_of_the_person_and_equal_a_rebuild(
    own_app: LedgerApp, conninfo: str, settled_first: bool
) -> None:
    views = all_views(own_app)
    with Worker(own_app, views, SMALL_PAGES):
        story = told(own_app)
        bystander = other_person(own_app)
        if settled_first:
            assert caught_up(conninfo, views, own_app.head_position())
            assert story.mark in repr(snapshot(conninfo, views))
        own_app.erase_employee(
            HR, story.seat.employee_id, reason="retention over", legal_basis="GDPR Art. 17(1)(a)"
        )
        assert caught_up(conninfo, views, own_app.head_position())
    live = snapshot(conninfo, views)

    project(own_app, all_views(own_app), page_size=5)
    rebuilt = snapshot(conninfo, views)

    assert story.mark not in repr(live)
    assert ERASED in repr(live["employees"])
    assert "Noor Das" in repr(live["employees"]), bystander
    assert "retention over" in repr(live["audit_trail"])
    assert rebuilt == live
