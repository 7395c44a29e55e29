"""The pages of an erased person: their personal fields read as erased, nothing personal of
them is shown, and the numbers are still there."""

from __future__ import annotations

from collections.abc import Callable

from ledger.application import LedgerApp
from ledger.domain.personal import ERASED
from tests.e2e.browser.conftest import Tab
from tests.e2e.client import ApiClient
from tests.integration.personal_story import told


def test_an_erased_persons_pages_show_the_erasure_and_nothing_personal(
    tab_of: Callable[[str], Tab], e2e_ledger: LedgerApp, hr: ApiClient
) -> None:
    story = told(e2e_ledger)
    employee_id, period = story.seat.employee_id, story.seat.q1
    erasure = {"reason": "retention over", "legal_basis": "GDPR Art. 17(1)(a)"}
    position = hr.ok("POST", f"/employees/{employee_id}/erasure", erasure)["position"]
    hr.ok("GET", "/audit", params={"min_position": position, "limit": 1})
    tab = tab_of("hr")

    person = tab.open(f"/people/{employee_id}")
    assert ERASED in person.locator("h1").inner_text()
    pages = {"person": person.content()}
    history = tab.open(f"/people/{employee_id}/history")
    assert history.locator("#timeline > li[data-position]").count() > 0
    assert ERASED in history.locator("#timeline").inner_text()
    pages["history"] = history.content()
    scorecard = tab.open(f"/people/{employee_id}/scorecards/{period}")
    assert scorecard.locator("table").count() > 0
    pages["scorecard"] = scorecard.content()
    pages["review"] = tab.open(f"/people/{employee_id}/reviews/{period}").content()
    pages["plan"] = tab.open(f"/people/{employee_id}/plans/{story.seat.cycle_id}").content()

    for name, html in pages.items():
        for text in story.texts():
            assert text not in html, name
