"""The scorecard page: the as-of control, its numbers and hash equal to the API's at the
same position, and markup in the ledger shown as text."""

from __future__ import annotations

from collections.abc import Callable

from tests.e2e.browser.conftest import Tab
from tests.e2e.browser.history import HOSTILE_TITLE, write_history
from tests.e2e.client import ApiClient
from tests.e2e.conftest import Organisation


def test_the_as_of_control_shows_the_scorecard_the_api_answers_at_that_position(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    written = write_history(hr, organisation.report_id)
    path = f"/people/{written.seat.employee_id}/scorecards/{written.seat.q1}"
    tab = tab_of("manager")
    tab.open(path)
    tab.page.get_by_label("At position").fill(str(written.before))
    tab.page.get_by_role("button", name="Show").click()
    tab.page.wait_for_url(f"**position={written.before}**")
    earlier = hr.ok(
        "GET",
        f"/employees/{written.seat.employee_id}/scorecards/{written.seat.q1}",
        params={"position": written.before},
    )
    facts = tab.page.locator("#scorecard-facts")
    assert facts.locator("[data-hash]").inner_text() == earlier["hash"]
    assert facts.locator("[data-score]").inner_text() == earlier["score"]
    assert facts.locator("[data-position]").inner_text() == str(earlier["position"])

    tab.page.get_by_label("At position").fill(str(written.after))
    tab.page.get_by_role("button", name="Show").click()
    tab.page.wait_for_url(f"**position={written.after}**")
    later = hr.ok(
        "GET",
        f"/employees/{written.seat.employee_id}/scorecards/{written.seat.q1}",
        params={"position": written.after},
    )
    assert facts.locator("[data-hash]").inner_text() == later["hash"]
    assert later["hash"] != earlier["hash"]


def test_a_kra_title_holding_a_script_shows_as_text(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    written = write_history(hr, organisation.report_id)
    tab = tab_of("hr")
    tab.open(f"/people/{written.seat.employee_id}/scorecards/{written.seat.q1}")
    assert HOSTILE_TITLE in tab.page.locator("main h2").first.inner_text()
    assert tab.page.evaluate("window.pwned") is None
    assert tab.page.locator("main img").count() == 0


def test_a_malformed_position_is_a_422_page_naming_the_field(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    written = write_history(hr, organisation.report_id)
    tab = tab_of("hr")
    response = tab.page.goto(
        f"{tab.origin}/people/{written.seat.employee_id}/scorecards/{written.seat.q1}?position=-1"
    )
    assert response is not None
    assert response.status == 422
    assert "position" in tab.page.locator(".field-errors").inner_text()


def test_the_person_page_charts_the_score_per_period_from_its_table(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    written = write_history(hr, organisation.report_id)
    caught_up = {"period": written.seat.q1, "min_position": written.after}
    hr.ok("GET", "/scorecards", params=caught_up)
    tab = tab_of("manager")
    tab.open(f"/people/{organisation.report_id}")
    tab.page.wait_for_function("document.getElementById('score-chart').chart !== undefined")
    drawn = tab.page.evaluate("document.getElementById('score-chart').chart.data.datasets[0].data")
    table = tab.page.locator("#score-table [data-score]").all_inner_texts()
    assert len(table) >= 1
    assert [None if value is None else f"{value:.2f}" for value in drawn] == [
        None if text == "—" else text for text in table
    ]
