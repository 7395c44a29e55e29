"""A person's history: the API's audit trail of that employee for the same filters, newest
or oldest first, narrowed by event type and recorded time, paged; each entry with who, why,
approval, changes and provenance, and a link to the scorecard at its position."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tests.e2e.browser.conftest import Tab
from tests.e2e.browser.history import HOSTILE_REASON, Written, exported_at_head, write_history
from tests.e2e.client import ApiClient, new_id
from tests.e2e.conftest import Organisation
from tests.e2e.import_plan import import_sheets
from tests.import_files import filled_template

MEASURED = "MeasurementLog.MeasurementRecorded"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def reported(hr: ApiClient, organisation: Organisation) -> Written:
    """A new report of the e2e manager, with the pages' history written; the trail caught up."""
    employee_id = new_id("E")
    profile = {"name": "Lena Das", "department": "Sales", "role": "Analyst"}
    hr.ok("PUT", f"/employees/{employee_id}", {**profile, "manager_id": organisation.manager_id})
    written = write_history(hr, employee_id)
    hr.ok("GET", "/audit", params={"min_position": written.after, "limit": 1})
    return written


def trail(client: ApiClient, employee_id: str, **params: Any) -> list[dict[str, Any]]:
    query = {"employee_id": employee_id, "limit": 1000, **params}
    items: list[dict[str, Any]] = client.ok("GET", "/audit", params=query)["items"]
    return items


def shown(tab: Tab) -> list[int]:
    return [
        int(position)
        for position in tab.page.locator("#timeline > li[data-position]").evaluate_all(
            "items => items.map(item => item.dataset.position)"
        )
    ]


def test_the_timeline_is_the_apis_trail_newest_first_with_who_why_and_what_changed(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    written = reported(hr, organisation)
    employee_id = written.seat.employee_id
    tab = tab_of("manager")
    tab.open(f"/people/{employee_id}/history")
    entries = trail(hr, employee_id)
    assert shown(tab) == [entry["position"] for entry in reversed(entries)]

    adjustment = entries[-1]
    item = tab.page.locator(f"#timeline > li[data-position='{adjustment['position']}']")
    assert item.locator("[data-actor]").inner_text() == adjustment["actor"]
    assert item.locator("[data-reason]").inner_text() == HOSTILE_REASON == adjustment["reason"]
    assert item.locator("[data-approved-by]").inner_text() == adjustment["approved_by"]
    target = item.locator("tr[data-field='target'] td")
    change = adjustment["changes"]["target"]
    assert target.all_inner_texts() == ["target", change["from"], change["to"]]
    assert tab.page.evaluate("document.querySelector('main b') === null")

    measured = next(entry for entry in entries if entry["event_type"] == MEASURED)
    entry = tab.page.locator(f"#timeline > li[data-position='{measured['position']}']")
    entry.locator("[data-scorecard]").click()
    tab.page.wait_for_url(f"**/scorecards/{measured['period']}?position={measured['position']}")
    card = hr.ok(
        "GET",
        f"/employees/{employee_id}/scorecards/{measured['period']}",
        params={"position": measured["position"]},
    )
    assert tab.page.locator("#scorecard-facts [data-hash]").inner_text() == card["hash"]


def test_filters_narrow_and_the_order_flips(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    written = reported(hr, organisation)
    employee_id = written.seat.employee_id
    tab = tab_of("hr")
    tab.open(f"/people/{employee_id}/history")
    tab.page.get_by_label("Event type").select_option(MEASURED)
    tab.page.get_by_label("Order").select_option("oldest")
    tab.page.get_by_role("button", name="Show").click()
    tab.page.wait_for_url("**order=oldest**")
    measured = trail(hr, employee_id, event_type=MEASURED)
    assert shown(tab) == [entry["position"] for entry in measured]
    assert len(measured) == 2

    everything = trail(hr, employee_id)
    since = everything[3]["recorded_at"]
    tab.open(f"/people/{employee_id}/history?order=oldest&recorded_from={quote(since)}")
    later = trail(hr, employee_id, recorded_from=since)
    assert shown(tab) == [entry["position"] for entry in later]
    assert 0 < len(later) < len(everything)


def test_the_next_page_moves_on_in_either_order(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    written = reported(hr, organisation)
    employee_id = written.seat.employee_id
    everything = [entry["position"] for entry in trail(hr, employee_id)]
    tab = tab_of("auditor")
    for order, expected in (("newest", everything[::-1]), ("oldest", everything)):
        tab.open(f"/people/{employee_id}/history?order={order}&limit=3")
        seen = shown(tab)
        while tab.page.get_by_role("link", name="Next page").count():
            tab.page.get_by_role("link", name="Next page").click()
            tab.page.wait_for_load_state()
            assert len(shown(tab)) <= 3
            seen += shown(tab)
        assert seen == expected
        tab.page.get_by_role("link", name="First page").click()
        tab.page.wait_for_load_state()
        assert shown(tab) == expected[:3]


def test_an_imported_event_names_its_file_sheet_and_row(
    tab_of: Callable[[str], Tab], hr: ApiClient
) -> None:
    cycle_id, employee_id = new_id("FY"), new_id("E")
    hr.open_cycle(cycle_id)
    workbook = filled_template(import_sheets(new_id("M"), employee_id, cycle_id))
    response = hr.http.post(
        "/imports",
        content=workbook,
        headers={"Content-Type": XLSX},
        params={"file_name": "q1 results.xlsx"},
    )
    assert response.status_code == 200, response.text
    report = response.json()
    hr.ok("GET", "/audit", params={"min_position": report["position"], "limit": 1})
    first = next(entry for entry in trail(hr, employee_id) if entry["event_type"] == MEASURED)
    tab = tab_of("hr")
    tab.open(f"/people/{employee_id}/history?order=oldest&event_type={MEASURED}&limit=1")
    provenance = tab.page.locator("#timeline [data-provenance]").inner_text()
    assert "q1 results.xlsx, sheet measurements, row 2" in provenance
    assert report["import_id"] in provenance
    assert shown(tab) == [first["position"]]


def test_a_manager_opening_a_strangers_history_gets_the_403_page(
    tab_of: Callable[[str], Tab], organisation: Organisation
) -> None:
    tab = tab_of("manager")
    response = tab.page.goto(f"{tab.origin}/people/{organisation.stranger_id}/history")
    assert response is not None
    assert response.status == 403
    text = tab.page.locator("main").inner_text()
    assert organisation.stranger_id not in text
    assert "Raj Sen" not in text


def test_an_auditor_downloads_the_employees_trail_as_the_api_exports_it(
    tab_of: Callable[[str], Tab],
    hr: ApiClient,
    auditor: ApiClient,
    organisation: Organisation,
    tmp_path: Path,
) -> None:
    written = reported(hr, organisation)
    employee_id = written.seat.employee_id
    tab = tab_of("auditor")
    tab.open(f"/people/{employee_id}/history?event_type={MEASURED}")
    section = tab.page.locator("section.exports")
    assert "event_type" in section.inner_text()
    saved = tab.download(section.locator("[data-export=csv]"), tmp_path / "history.csv")
    assert saved.read_bytes() == exported_at_head(auditor, {"employee_id": employee_id})
    rows = saved.read_text().splitlines()
    assert len(rows) == len(trail(hr, employee_id)) + 1
    assert all(employee_id in row for row in rows[1:])


def test_a_manager_reads_a_reports_history_without_an_export(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    written = reported(hr, organisation)
    tab = tab_of("manager")
    tab.open(f"/people/{written.seat.employee_id}/history")
    assert tab.page.locator("#timeline > li[data-position]").count() > 0
    assert tab.page.locator("section.exports").count() == 0
