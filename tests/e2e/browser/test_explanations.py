"""The explain page: its waterfall's bars are the API's explanation steps for the same points,
landing on the later score; the steps that moved the score listed, the others counted and
kept on demand; markup in a reason shown as text; a bad point a 422 page naming it."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

from tests.e2e.browser.conftest import Tab
from tests.e2e.browser.reviewed import ADJUSTMENT_REASON, Reviewed, write_reviewed
from tests.e2e.client import ApiClient
from tests.e2e.conftest import Organisation

CHART = "document.getElementById('waterfall').chart"


def moving(explanation: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for step in explanation["steps"] if step["moved"]]


def drawn(tab: Tab) -> tuple[list[str], list[list[str]]]:
    tab.page.wait_for_function(f"{CHART} !== undefined")
    labels = tab.page.evaluate(f"{CHART}.data.labels")
    bars = tab.page.evaluate(f"{CHART}.data.datasets[0].data")
    return labels, [[f"{low:.2f}", f"{high:.2f}"] for low, high in bars]


def opened(tab_of: Callable[[str], Tab], reviewed: Reviewed, role: str = "auditor") -> Tab:
    tab = tab_of(role)
    tab.open(f"{reviewed.explain_page}?from=r1&to=r2")
    return tab


def test_the_waterfalls_bars_are_the_apis_steps_that_moved_the_score(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    reviewed = write_reviewed(hr, organisation.report_id)
    explanation = hr.ok("GET", reviewed.explain, params={"from": "r1", "to": "r2"})
    tab = opened(tab_of, reviewed)
    labels, bars = drawn(tab)
    moved = moving(explanation)
    assert len(moved) == 2
    earlier, later = explanation["from"]["score"], explanation["to"]["score"]
    scores = [earlier, *(step["score"] for step in moved)]
    assert bars[0] == ["0.00", earlier]
    assert bars[1:-1] == [list(pair) for pair in pairwise(scores)]
    assert [label.split(" ")[0] for label in labels[1:-1]] == [str(s["position"]) for s in moved]
    assert bars[-1] == ["0.00", later] == ["0.00", moved[-1]["score"]]


def test_the_steps_that_moved_are_listed_and_the_others_counted_and_kept_on_demand(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    reviewed = write_reviewed(hr, organisation.report_id)
    explanation = hr.ok("GET", reviewed.explain, params={"from": "r1", "to": "r2"})
    tab = opened(tab_of, reviewed)
    moved = moving(explanation)
    rows = tab.page.locator("#moved-steps tbody tr")
    assert rows.evaluate_all("rows => rows.map(r => r.dataset.position)") == [
        str(step["position"]) for step in moved
    ]
    assert tab.page.locator("#moved-steps [data-score]").all_inner_texts() == [
        step["score"] for step in moved
    ]
    unchanged = explanation["steps_unchanged"]
    assert unchanged == len(explanation["steps"]) - len(moved) > 1
    summary = tab.page.locator("#unchanged-steps summary")
    assert summary.inner_text() == f"and {unchanged} steps that left the score as it was"
    hidden = tab.page.locator("#unchanged-steps-table tbody tr")
    assert hidden.count() == unchanged
    assert not hidden.first.is_visible()
    summary.click()
    assert hidden.first.is_visible()
    left = [step for step in explanation["steps"] if not step["moved"]]
    periods = tab.page.locator("#unchanged-steps-table [data-period]").all_inner_texts()
    assert periods == [step["period"] or "—" for step in left]
    assert f"{reviewed.seat.cycle_id}-Q2" in periods


def test_the_differences_per_kpi_are_the_apis(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    reviewed = write_reviewed(hr, organisation.report_id)
    explanation = hr.ok("GET", reviewed.explain, params={"from": "r1", "to": "r2"})
    tab = opened(tab_of, reviewed)
    shown = tab.page.locator("#kpi-differences tbody tr").evaluate_all(
        "rows => rows.map(r => [r.dataset.kpi, ...[...r.cells].slice(2).map(c => c.innerText)])"
    )
    assert shown == [
        [kpi["kpi_id"], kpi["achievement_from"], kpi["achievement_to"], kpi["difference"]]
        for kpi in explanation["kpis"]
    ]
    assert tab.page.locator("[data-to-score]").inner_text() == explanation["to"]["score"]


def test_the_pickers_offer_the_reviews_revisions_and_explain_between_them(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    reviewed = write_reviewed(hr, organisation.report_id)
    tab = tab_of("hr")
    tab.open(reviewed.explain_page)
    assert tab.page.locator("#waterfall").count() == 0
    options = tab.page.locator("#points option")
    offered = options.evaluate_all("options => options.map(o => o.value)")
    assert {"r1", "r2"} <= set(offered)
    assert tab.page.get_by_label("From", exact=True).input_value() == "r1"
    assert tab.page.get_by_label("To", exact=True).input_value() == "r2"
    tab.page.get_by_role("button", name="Explain").click()
    tab.page.wait_for_url("**from=r1&to=r2")
    assert tab.page.locator("#moved-steps tbody tr").count() == 2


def test_a_reason_holding_a_script_shows_as_text(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    reviewed = write_reviewed(hr, organisation.report_id)
    tab = opened(tab_of, reviewed, role="manager")
    reasons = tab.page.locator("#moved-steps [data-reason]").all_inner_texts()
    assert ADJUSTMENT_REASON in reasons
    assert tab.page.evaluate("window.pwned") is None
    assert tab.page.locator("main i").count() == 0


def test_a_bad_from_is_a_422_page_naming_the_field(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    reviewed = write_reviewed(hr, organisation.report_id)
    head = hr.head_position()
    tab = tab_of("auditor")
    response = tab.page.goto(f"{tab.origin}{reviewed.explain_page}?from=yesterday&to=r2")
    assert response is not None
    assert response.status == 422
    assert tab.page.locator(".field-errors li strong").all_inner_texts() == ["from"]
    assert hr.head_position() == head
