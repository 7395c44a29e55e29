"""The directory: the API's list for the same filters, narrowed by a search, paged with the
API's cursor, scoped for a manager, refused to an employee; its table sorts by a header."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tests.e2e.browser.conftest import Tab
from tests.e2e.client import ApiClient, new_id
from tests.e2e.conftest import Organisation


@dataclass(frozen=True)
class Department:
    name: str
    ids: dict[str, str]
    """Employee id by name."""


def staffed(hr: ApiClient, organisation: Organisation) -> Department:
    """A department of three: two report to the e2e manager, one to nobody."""
    department = new_id("Dept")
    people = {
        "Zoe Quill": organisation.manager_id,
        "Amar Quist": None,
        "Mina Oduya": organisation.manager_id,
    }
    ids, position = {}, 0
    for name, manager_id in people.items():
        employee_id = new_id("E")
        body = {"name": name, "department": department, "role": "Analyst", "manager_id": manager_id}
        position = hr.ok("PUT", f"/employees/{employee_id}", body)["position"]
        ids[name] = employee_id
    hr.ok("GET", "/employees", params={"min_position": position, "limit": 1})
    return Department(department, ids)


def shown_ids(tab: Tab) -> list[str]:
    rows = tab.page.locator("#people tbody tr[data-employee]")
    return [str(row.get_attribute("data-employee")) for row in rows.all()]


def listed(client: ApiClient, **params: object) -> list[str]:
    return [row["employee_id"] for row in client.ok("GET", "/employees", params=params)["items"]]


def test_the_directory_lists_what_the_api_lists_and_a_search_narrows_it(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    department = staffed(hr, organisation)
    tab = tab_of("hr")
    tab.open("/people")
    tab.page.get_by_label("Department").fill(department.name)
    tab.page.get_by_role("button", name="Filter").click()
    tab.page.wait_for_url("**department=**")
    everyone = listed(hr, department=department.name)
    assert shown_ids(tab) == everyone
    assert sorted(everyone) == sorted(department.ids.values())

    tab.page.get_by_label("Name or id contains").fill("QUI")
    tab.page.get_by_role("button", name="Filter").click()
    tab.page.wait_for_url("**q=QUI**")
    narrowed = listed(hr, department=department.name, q="QUI")
    assert shown_ids(tab) == narrowed
    assert sorted(narrowed) == sorted([department.ids["Zoe Quill"], department.ids["Amar Quist"]])

    by_id = department.ids["Mina Oduya"]
    tab.open(f"/people?q={by_id.lower()}")
    assert shown_ids(tab) == listed(hr, q=by_id.lower()) == [by_id]


def test_the_next_page_link_moves_on_with_the_apis_cursor(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    department = staffed(hr, organisation)
    tab = tab_of("auditor")
    tab.open(f"/people?department={department.name}&limit=2")
    first = hr.ok("GET", "/employees", params={"department": department.name, "limit": 2})
    assert shown_ids(tab) == [row["employee_id"] for row in first["items"]]
    tab.page.get_by_role("link", name="Next page").click()
    tab.page.wait_for_url(f"**after={first['next']}**")
    rest = listed(hr, department=department.name, limit=2, after=first["next"])
    assert shown_ids(tab) == rest
    assert len(rest) == 1
    assert tab.page.get_by_role("link", name="Next page").count() == 0
    tab.page.get_by_role("link", name="First page").click()
    tab.page.wait_for_url(f"**/people?department={department.name}&limit=2")
    assert len(shown_ids(tab)) == 2


def test_a_manager_sees_their_reports_only_and_an_employee_is_refused(
    tab_of: Callable[[str], Tab], hr: ApiClient, manager: ApiClient, organisation: Organisation
) -> None:
    department = staffed(hr, organisation)
    tab = tab_of("manager")
    tab.open(f"/people?department={department.name}")
    theirs = listed(manager, department=department.name)
    assert shown_ids(tab) == theirs
    assert department.ids["Amar Quist"] not in theirs
    assert len(theirs) == 2
    assert tab.page.get_by_label("Manager id").count() == 0

    refused = tab_of("employee")
    response = refused.page.goto(f"{refused.origin}/people")
    assert response is not None
    assert response.status == 403
    assert "Not yours to see" in refused.page.locator("main").inner_text()
    assert refused.page.locator("#people").count() == 0


def test_a_click_or_a_key_on_a_header_sorts_the_table(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    department = staffed(hr, organisation)
    tab = tab_of("hr")
    tab.open(f"/people?department={department.name}")
    names = tab.page.locator("#people tbody tr td:nth-child(2)")
    header = tab.page.locator("#people thead th").nth(1)
    header.get_by_role("button", name="Name").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert names.all_inner_texts() == ["Amar Quist", "Mina Oduya", "Zoe Quill"]
    header.get_by_role("button", name="Name").focus()
    tab.page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "descending"
    assert names.all_inner_texts() == ["Zoe Quill", "Mina Oduya", "Amar Quist"]
    assert tab.page.locator("#people thead th[aria-sort]").count() == 1
