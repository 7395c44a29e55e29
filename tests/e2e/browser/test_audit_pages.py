"""The audit trail and the register: filters narrow to the API's rows, the cursor pages as
the API's does, and an auditor with only a browser downloads an export the API would give
and `ledger verify-export` accepts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from tests.e2e.browser.conftest import Tab
from tests.e2e.browser.history import Written, exported_at_head, write_history
from tests.e2e.client import ApiClient
from tests.e2e.conftest import Organisation
from web.cli.main import main


def api_positions(client: ApiClient, path: str, **params: Any) -> list[int]:
    return [item["position"] for item in client.ok("GET", path, params=params)["items"]]


def page_positions(tab: Tab, table: str) -> list[int]:
    cells = tab.page.locator(f"#{table} tbody tr[data-position]")
    return [int(str(row.get_attribute("data-position"))) for row in cells.all()]


def written_and_seen(hr: ApiClient, organisation: Organisation) -> Written:
    written = write_history(hr, organisation.report_id)
    hr.ok("GET", "/audit", params={"min_position": written.after, "limit": 1})
    hr.ok("GET", "/target-revisions", params={"min_position": written.after, "limit": 1})
    return written


def test_the_trails_filters_narrow_to_the_apis_rows(
    tab_of: Callable[[str], Tab], hr: ApiClient, auditor: ApiClient, organisation: Organisation
) -> None:
    written = written_and_seen(hr, organisation)
    cycle = written.seat.cycle_id
    tab = tab_of("auditor")
    tab.open("/audit")
    tab.page.get_by_label("Cycle").fill(cycle)
    tab.page.get_by_role("button", name="Filter").click()
    tab.page.wait_for_url(f"**cycle_id={cycle}**")
    in_cycle = api_positions(auditor, "/audit", cycle_id=cycle)
    assert page_positions(tab, "audit-table") == in_cycle
    assert len(in_cycle) < len(api_positions(auditor, "/audit", limit=1000))

    event_type = auditor.ok("GET", "/audit", params={"cycle_id": cycle})["items"][-1]["event_type"]
    tab.page.get_by_label("Event type").fill(event_type)
    tab.page.get_by_role("button", name="Filter").click()
    tab.page.wait_for_url("**event_type=**")
    narrowed = api_positions(auditor, "/audit", cycle_id=cycle, event_type=event_type)
    assert page_positions(tab, "audit-table") == narrowed
    assert 0 < len(narrowed) < len(in_cycle)
    assert event_type in tab.page.locator("#audit-table tbody").inner_text()


def test_the_trail_pages_by_the_apis_cursor(
    tab_of: Callable[[str], Tab], hr: ApiClient, auditor: ApiClient, organisation: Organisation
) -> None:
    written = written_and_seen(hr, organisation)
    cycle = written.seat.cycle_id
    tab = tab_of("auditor")
    tab.open(f"/audit?cycle_id={cycle}&limit=2")
    first = auditor.ok("GET", "/audit", params={"cycle_id": cycle, "limit": 2})
    assert page_positions(tab, "audit-table") == [item["position"] for item in first["items"]]
    tab.page.get_by_role("link", name="Next page").click()
    tab.page.wait_for_url(f"**after={first['next']}**")
    second = api_positions(auditor, "/audit", cycle_id=cycle, limit=2, after=first["next"])
    assert page_positions(tab, "audit-table") == second
    assert "cycle_id=" in tab.page.url


def test_the_registers_filters_narrow_to_the_apis_rows(
    tab_of: Callable[[str], Tab], hr: ApiClient, auditor: ApiClient, organisation: Organisation
) -> None:
    written = written_and_seen(hr, organisation)
    tab = tab_of("hr")
    tab.open("/target-revisions")
    tab.page.get_by_label("Cycle").fill(written.seat.cycle_id)
    tab.page.get_by_label("KPI").fill("retention")
    tab.page.get_by_role("button", name="Filter").click()
    tab.page.wait_for_url("**kpi_id=retention**")
    params = {"cycle_id": written.seat.cycle_id, "kpi_id": "retention"}
    rows = auditor.ok("GET", "/target-revisions", params=params)["items"]
    assert page_positions(tab, "register-table") == [row["position"] for row in rows]
    assert [row["kind"] for row in rows] == ["defined", "adjusted"]
    targets = tab.page.locator("#register-table [data-target]").all_inner_texts()
    assert targets[-1].endswith(f"→ {rows[-1]['target']}")


def test_an_auditor_downloads_the_apis_export_and_its_proofs_verify(
    tab_of: Callable[[str], Tab],
    hr: ApiClient,
    auditor: ApiClient,
    organisation: Organisation,
    tmp_path: Path,
) -> None:
    written = written_and_seen(hr, organisation)
    cycle = written.seat.cycle_id
    tab = tab_of("auditor")
    tab.open(f"/audit?cycle_id={cycle}")
    plain = tab.download(tab.page.locator("[data-export=csv]"), tmp_path / "audit.csv")
    assert plain.read_bytes() == exported_at_head(auditor, {"cycle_id": cycle})
    assert cycle in plain.read_text()

    proven = tab.download(tab.page.locator("[data-export=proofs]"), tmp_path / "audit.zip")
    result = CliRunner().invoke(main, ["verify-export", str(proven)])
    assert result.exit_code == 0, result.output
    assert "every row is proven" in result.output


def test_an_export_with_a_malformed_filter_is_a_422_page(tab_of: Callable[[str], Tab]) -> None:
    tab = tab_of("auditor")
    response = tab.page.goto(f"{tab.origin}/audit?limit=0")
    assert response is not None
    assert response.status == 422
    assert "limit" in tab.page.locator(".field-errors").inner_text()


def test_employees_and_managers_get_the_403_page_on_the_ledgers_pages(
    tab_of: Callable[[str], Tab],
) -> None:
    for role in ("employee", "manager"):
        tab = tab_of(role)
        for path in ("/audit", "/target-revisions", "/audit/export", "/ledger", "/projections"):
            response = tab.page.goto(tab.origin + path)
            assert response is not None
            assert response.status == 403, (role, path)
            assert "Not yours to see" in tab.page.locator("main").inner_text()
