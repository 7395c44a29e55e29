"""static/tables.js on a table of its own: numbers sort as numbers (signs and decimals
too), text by its letters, empty cells last either way, a cell's data-sort first."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

import web.pages

SCRIPT = Path(web.pages.__file__).parent / "static" / "tables.js"
TABLE = """
<table class="sortable" id="t">
  <thead><tr><th>Name</th><th class="num">Delta</th><th>Quarter</th><th></th></tr></thead>
  <tbody>
    <tr><td>beta</td><td>-10</td><td data-sort="3">Q3 adjusted</td><td>x</td></tr>
    <tr><td>Alpha</td><td>+2.5</td><td data-sort="1">Q1</td><td>y</td></tr>
    <tr><td>gamma</td><td>—</td><td data-sort="2">Q2</td><td>z</td></tr>
    <tr><td>delta</td><td>-5</td><td data-sort="10">Q10</td><td>w</td></tr>
    <tr><td>epsilon</td><td>100</td><td data-sort="">none</td><td>v</td></tr>
  </tbody>
</table>
"""


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context()
    page = context.new_page()
    page.set_content(TABLE)
    page.add_script_tag(content=SCRIPT.read_text())
    page.evaluate("document.dispatchEvent(new Event('DOMContentLoaded'))")
    yield page
    context.close()


def column(page: Page, index: int) -> list[str]:
    return page.locator(f"#t tbody td:nth-child({index})").all_inner_texts()


def sort(page: Page, name: str) -> None:
    page.get_by_role("button", name=name).click()


def test_numbers_sort_as_numbers_with_empty_cells_last(page: Page) -> None:
    sort(page, "Delta")
    assert column(page, 2) == ["-10", "-5", "+2.5", "100", "—"]
    sort(page, "Delta")
    assert column(page, 2) == ["100", "+2.5", "-5", "-10", "—"]


def test_text_sorts_by_its_letters_in_any_case(page: Page) -> None:
    sort(page, "Name")
    assert column(page, 1) == ["Alpha", "beta", "delta", "epsilon", "gamma"]


def test_a_cells_data_sort_is_what_it_sorts_by(page: Page) -> None:
    sort(page, "Quarter")
    assert column(page, 3) == ["Q1", "Q2", "Q3 adjusted", "Q10", "none"]


def test_only_the_header_sorted_by_says_so_and_an_empty_header_has_no_button(page: Page) -> None:
    sort(page, "Name")
    sort(page, "Delta")
    sorted_headers = page.locator("#t th[aria-sort]")
    assert sorted_headers.count() == 1
    assert sorted_headers.inner_text().startswith("Delta")
    assert page.locator("#t th").nth(3).locator("button").count() == 0
