"""Rates on the pages: the plan names the ratio and its scale, the scorecard shows the
ratio of the quarter's sums, as the API has them."""

from __future__ import annotations

from collections.abc import Callable

from tests.e2e.browser.conftest import Tab
from tests.e2e.client import ApiClient
from tests.e2e.test_rates import MONTHS, measure, rate_seat


def test_a_rate_shows_as_the_ratio_of_its_sums_on_the_plan_and_the_scorecard(
    tab_of: Callable[[str], Tab], hr: ApiClient
) -> None:
    seat = rate_seat(hr)
    for month in MONTHS:
        measure(hr, seat, *month)
    card = hr.ok("GET", seat.scorecard)
    tab = tab_of("hr")
    tab.open(f"/people/{seat.employee_id}/plans/{seat.cycle_id}")
    row = tab.page.locator("tr[data-kpi=conversion]")
    assert "ratio" in row.inner_text()
    assert "x100" in row.inner_text()
    tab.open(f"/people/{seat.employee_id}/scorecards/{seat.q1}?position={card['position']}")
    cells = tab.page.locator("tr[data-kpi=conversion] td").all_inner_texts()
    assert cells[6:8] == ["3.94", "78.82"]
    assert tab.page.locator("#scorecard-facts [data-hash]").inner_text() == card["hash"]
