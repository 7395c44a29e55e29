"""The plan page: the targets in force per quarter as the API answers them, revisions and
adjustments marked with their reason and approver, the API's lint warnings, a stranger's
plan refused to a manager; its tables sort, numbers as numbers."""

from __future__ import annotations

from collections.abc import Callable

from tests.e2e.browser.conftest import Tab
from tests.e2e.browser.history import HOSTILE_REASON, Written, write_history
from tests.e2e.client import ApiClient, active_seat
from tests.e2e.conftest import Organisation


def revised(hr: ApiClient, written: Written) -> int:
    """A revision from Q3 on, after the history's adjustment of Q1; the register caught up."""
    seat = written.seat
    revision = {
        "target": 92,
        "stretch": 97,
        "effective_from": f"{seat.cycle_id}-Q3",
        "reason": "market grew",
        "approved_by": "hr:c",
    }
    position: int = hr.ok("POST", f"{seat.kpi()}/target-revisions", revision)["position"]
    hr.ok("GET", "/target-revisions", params={"min_position": position, "limit": 1})
    return position


def test_the_targets_per_quarter_are_the_apis_with_changes_marked(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    written = write_history(hr, organisation.report_id)
    revised(hr, written)
    seat = written.seat
    tab = tab_of("manager")
    tab.open(f"/people/{seat.employee_id}/plans/{seat.cycle_id}")
    document = hr.ok("GET", seat.plan)
    [kra] = document["kras"]
    [kpi] = kra["kpis"]
    row = tab.page.locator(f"table[data-kra='{kra['kra_id']}'] tr[data-kpi='{kpi['kpi_id']}']")
    assert row.locator("[data-weight]").inner_text() == kpi["weight"]
    assert row.locator("[data-definition]").inner_text() == kpi["target"]
    for target in kpi["targets"]:
        cell = row.locator(f"td[data-period='{target['period']}']")
        assert cell.locator("[data-target]").inner_text() == target["target"]
    assert [t["target"] for t in kpi["targets"]] == ["85", "90", "92", "92"]

    q1 = row.locator(f"td[data-period='{seat.cycle_id}-Q1'] .mark")
    assert q1.get_attribute("data-kind") == "adjusted"
    assert q1.locator(".reason").inner_text() == HOSTILE_REASON
    assert q1.locator(".approver").inner_text() == "hr:b"
    q3 = row.locator(f"td[data-period='{seat.cycle_id}-Q3'] .mark")
    assert q3.get_attribute("data-kind") == "revised"
    assert q3.locator(".reason").inner_text() == "market grew"
    assert q3.locator(".approver").inner_text() == "hr:c"
    for quarter in ("Q2", "Q4"):
        assert row.locator(f"td[data-period='{seat.cycle_id}-{quarter}'] .mark").count() == 0
    assert tab.page.evaluate("document.querySelector('b') === null")

    q1.get_by_role("link", name="adjusted").click()
    target_row = tab.page.locator("#target-changes tr:target")
    assert target_row.get_attribute("data-kind") == "adjusted"


def test_the_warnings_are_the_apis_lint(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    written = write_history(hr, organisation.report_id)
    seat = written.seat
    tab = tab_of("employee")
    tab.open(f"/people/{seat.employee_id}/plans/{seat.cycle_id}")
    warnings = hr.ok("GET", f"{seat.plan}/lint")["warnings"]
    assert len(warnings) >= 1
    assert tab.page.locator("#lint li").all_inner_texts() == warnings
    assert tab.page.locator("[data-version]").inner_text() == str(
        hr.ok("GET", seat.plan)["version"]
    )


def test_a_manager_opening_a_strangers_plan_gets_the_403_page(
    tab_of: Callable[[str], Tab], hr: ApiClient
) -> None:
    seat = active_seat(hr)
    tab = tab_of("manager")
    response = tab.page.goto(f"{tab.origin}/people/{seat.employee_id}/plans/{seat.cycle_id}")
    assert response is not None
    assert response.status == 403
    text = tab.page.locator("main").inner_text()
    assert "Not yours to see" in text
    assert seat.employee_id not in text
    assert "Client Retention" not in text


def test_the_register_of_changes_sorts_by_position_as_numbers(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    written = write_history(hr, organisation.report_id)
    revised(hr, written)
    seat = written.seat
    tab = tab_of("hr")
    tab.open(f"/people/{seat.employee_id}/plans/{seat.cycle_id}")
    positions = tab.page.locator("#target-changes tbody td:first-child")
    listed = [int(text) for text in positions.all_inner_texts()]
    assert len(listed) == 3
    header = tab.page.locator("#target-changes thead th").first
    header.get_by_role("button").click()
    assert [int(text) for text in positions.all_inner_texts()] == sorted(listed)
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert [int(text) for text in positions.all_inner_texts()] == sorted(listed, reverse=True)
