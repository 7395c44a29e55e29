"""The scorecard page: the as-of control, its numbers and hash equal to the API's at the
same position, and markup in the ledger shown as text."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx

from tests.e2e.browser.conftest import Tab
from tests.e2e.browser.history import HOSTILE_TITLE, write_history
from tests.e2e.client import ApiClient, new_id
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


def test_the_person_page_charts_one_line_per_cycle_over_its_quarters_from_its_table(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    employee_id = new_id("E")
    profile = {"name": "Lena Das", "department": "Sales", "role": "Analyst"}
    hr.ok("PUT", f"/employees/{employee_id}", {**profile, "manager_id": organisation.manager_id})
    cycles = [write_history(hr, employee_id) for _ in range(2)]
    for written in cycles:
        caught_up = {"period": written.seat.cycle_id, "min_position": cycles[-1].after}
        hr.ok("GET", "/scorecards", params=caught_up)
    tab = tab_of("manager")
    tab.open(f"/people/{employee_id}")
    tab.page.wait_for_function("document.getElementById('score-chart').chart !== undefined")
    chart = tab.page.evaluate(
        "(({labels, datasets}) => ({labels, lines: datasets.map(d => [d.label, d.data])}))"
        "(document.getElementById('score-chart').chart.data)"
    )
    table = dict(
        tab.page.locator("#score-table tbody tr[data-period]").evaluate_all(
            "rows => rows.map(row => [row.dataset.period,"
            " row.querySelector('[data-score]').textContent])"
        )
    )
    assert chart["labels"] == ["Q1", "Q2", "Q3", "Q4"]
    assert [label for label, _ in chart["lines"]] == sorted(w.seat.cycle_id for w in cycles)
    for cycle_id, drawn in chart["lines"]:
        assert cycle_id in table  # the whole year is listed, not drawn
        quarters = [table.get(f"{cycle_id}-Q{quarter}", "—") for quarter in range(1, 5)]
        assert [None if value is None else f"{value:.2f}" for value in drawn] == [
            None if text == "—" else text for text in quarters
        ]
        assert drawn[0] is not None


def test_a_signed_in_browser_reads_the_api_but_never_writes_with_its_session(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    written = write_history(hr, organisation.report_id)
    tab = tab_of("manager")
    tab.open(
        f"/people/{written.seat.employee_id}/scorecards/{written.seat.q1}?position={written.before}"
    )
    tab.page.get_by_role("link", name="as JSON").click()
    shown = json.loads(tab.page.locator("body").inner_text())
    api = hr.ok(
        "GET",
        f"/employees/{written.seat.employee_id}/scorecards/{written.seat.q1}",
        params={"position": written.before},
    )
    assert shown["hash"] == api["hash"]
    head = hr.head_position()
    cookies = {c["name"]: c["value"] for c in tab.page.context.cookies()}
    measurement = {"value": 1, "effective_date": "2026-05-31"}
    refused = httpx.post(
        f"{tab.origin}/api/v1{written.seat.kpi()}/measurements", json=measurement, cookies=cookies
    )
    assert refused.status_code == 401
    assert hr.head_position() == head
